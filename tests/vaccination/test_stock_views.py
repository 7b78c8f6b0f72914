"""Stock and AEFI pages through the Django test client: they render, write through their actions,
keep what was typed on a refusal, never answer 500 to odd input, answer 404 outside the area, and the
stock page's totals equal its rows (also in the export)."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse

from chongdich.core.models import AuditEvent
from chongdich.vaccination.actions import stock as actions
from chongdich.vaccination.actions.aefi import do_report_aefi
from chongdich.vaccination.models import AefiReport, Lot, Site, StockMovement
from tests.vaccination.stock_fixtures import TODAY, give, stock_world_fixture  # noqa: F401

D = TODAY - timedelta(days=5)


@pytest.fixture
def stocked(stock_world, personas):
    w, district = stock_world, personas["district"]
    actions.do_receive(district, w.site, lot=w.lot, doses=100, day=D)
    actions.do_receive(district, w.site, lot=w.lot2, doses=60, day=D)
    actions.do_receive(district, w.other_site, lot=w.lot, doses=40, day=D)
    give(w.site, w.lot, w.person, TODAY, 7)
    actions.do_discard(district, w.site, lot=w.lot, doses=3, day=TODAY, opened=True)
    return w


def test_pages_render(stocked, client_of):
    w, client = stocked, client_of("commune")
    for url in (
        reverse("vaccination:sites"),
        reverse("vaccination:site_create"),
        reverse("vaccination:site", args=[w.site.pk]),
        reverse("vaccination:site_edit", args=[w.site.pk]),
        reverse("vaccination:stock"),
        reverse("vaccination:lots"),
        reverse("vaccination:lot_create"),
        reverse("vaccination:aefi_list"),
        *(
            reverse("vaccination:stock_movement", args=[w.site.pk, k])
            for k in ("receive", "transfer", "discard", "adjust")
        ),
    ):
        answer = client.get(url)
        assert answer.status_code == 200, url


def test_out_of_area_is_404(stocked, client_of):
    w, client = stocked, client_of("commune")
    for url in (
        reverse("vaccination:site", args=[w.other_site.pk]),
        reverse("vaccination:site_edit", args=[w.other_site.pk]),
        reverse("vaccination:stock_movement", args=[w.other_site.pk, "receive"]),
        reverse("vaccination:site", args=[w.store.pk]),
        reverse("vaccination:site", args=[999999]),
        reverse("vaccination:stock_movement", args=[w.site.pk, "steal"]),
    ):
        assert client.get(url).status_code == 404, url
    page = client.get(reverse("vaccination:stock")).content.decode()
    assert w.site.name in page and w.other_site.name not in page and w.store.name not in page


def test_stock_page_totals_equal_the_rows(stocked, client_of):
    client = client_of("district")
    answer = client.get(reverse("vaccination:stock"))
    lines = answer.context["table"].data.data
    totals = answer.context["totals"]
    assert sum(line.on_hand for line in lines) == totals.overall.on_hand == 100 + 60 + 40 - 7 - 3
    for product in totals.products:
        assert product.on_hand == sum(line.on_hand for line in lines if line.product == product.product)
    az = next(p for p in totals.products if p.product == "AZ")
    assert az.wastage_pct == 30.0  # 3 / (7 + 3)
    page = answer.content.decode()
    assert "table-warning" in page  # lot2 expires within 30 days
    narrowed = client.get(reverse("vaccination:stock"), {"product": "PF"})
    assert [line.product for line in narrowed.context["table"].data.data] == ["PF"]


def test_stock_export_has_the_rows_and_the_same_totals(stocked, client_of):
    answer = client_of("district").get(reverse("vaccination:stock_export"))
    assert answer.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
    rows = [row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]]
    header = [cell.value for cell in sheet[3]]
    on_hand = header.index("Tồn kho") if "Tồn kho" in header else 13
    site_rows = [row for row in rows if row[3]]
    total_all = rows[-1]
    assert len(site_rows) == 3
    assert sum(row[on_hand] for row in site_rows) == total_all[on_hand] == 190
    assert AuditEvent.objects.filter(action="export", object_type="vaccination.stockmovement").exists()


def test_receive_through_the_form_once(stocked, client_of):
    w, client = stocked, client_of("commune")
    url = reverse("vaccination:stock_movement", args=[w.site.pk, "receive"])
    post = {"client_id": "rcv-1", "lot": w.lot.pk, "doses": "50", "day": TODAY.isoformat(), "note": "Đợt 5"}
    assert client.post(url, post).status_code == 302
    assert client.post(url, post).status_code == 302  # re-sent: the same movement
    assert StockMovement.objects.filter(client_id="rcv-1").count() == 1


def test_refusal_keeps_what_was_typed(stocked, client_of):
    w, client = stocked, client_of("commune")
    url = reverse("vaccination:stock_movement", args=[w.site.pk, "discard"])
    answer = client.post(
        url,
        {"client_id": "d-1", "opened": "0", "lot": w.lot.pk, "doses": "500", "day": TODAY.isoformat(), "note": "Vỡ lọ"},
    )
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "90" in page and "Vỡ lọ" in page and 'value="500"' in page
    assert not StockMovement.objects.filter(client_id="d-1").exists()


@pytest.mark.parametrize(
    "kind, post",
    [
        ("receive", {"lot": "abc", "doses": "x", "day": "2021-99-99"}),
        ("receive", {"lot": "999999", "doses": "-4", "day": "1900-01-01"}),
        ("receive", {"lot": "1", "doses": "99999999999999999999", "day": ""}),
        ("transfer", {"destination": "abc", "lot": "", "doses": "1"}),
        ("discard", {"opened": "7", "lot": "", "doses": "1.5"}),
        ("adjust", {"lot": "", "doses": "0", "note": ""}),
        ("adjust", {"lot": "", "doses": "\u00a0", "note": "x" * 500}),
    ],
)
def test_bad_input_never_500(stocked, client_of, kind, post):
    client = client_of("commune")
    answer = client.post(reverse("vaccination:stock_movement", args=[stocked.site.pk, kind]), post | {"client_id": "b"})
    assert answer.status_code == 200


def test_odd_filters_never_500(stocked, client_of):
    client = client_of("district")
    for query in ({"unit": "nope"}, {"product": "XX"}, {"kind": "zzz"}, {"page": "abc"}, {"q": "Đức"}):
        assert client.get(reverse("vaccination:stock"), query).status_code == 200
        assert client.get(reverse("vaccination:stock_export"), query).status_code == 200
        assert client.get(reverse("vaccination:sites"), query).status_code == 200
        assert client.get(reverse("vaccination:lots"), query).status_code == 200
    for query in ({"onset_from": "x"}, {"severity": "x"}, {"unit": "99999"}, {"inbox": "on"}):
        assert client.get(reverse("vaccination:aefi_list"), query).status_code == 200


def test_transfer_offers_only_sites_the_user_edits(stocked, client_of):
    w = stocked
    form = client_of("commune").get(reverse("vaccination:stock_movement", args=[w.site.pk, "transfer"])).context["form"]
    assert list(form.fields["destination"].queryset) == []  # no second site in the commune
    form = (
        client_of("district").get(reverse("vaccination:stock_movement", args=[w.site.pk, "transfer"])).context["form"]
    )
    assert set(form.fields["destination"].queryset) == {w.other_site, w.store}


def test_create_site_and_lot(stock_world, client_of, world):
    client = client_of("commune")
    answer = client.post(
        reverse("vaccination:site_create"),
        {
            "client_id": "s-9",
            "name": "Điểm tiêm trường THCS",
            "kind": "school",
            "unit": world.village.code,
            "tables": "3",
            "active": "on",
        },
    )
    site = Site.objects.get(client_id="s-9")
    assert answer.status_code == 302 and answer.url == site.get_absolute_url()
    answer = client.post(
        reverse("vaccination:site_create"),
        {"client_id": "s-10", "name": "Ngoài vùng", "kind": "school", "unit": world.other_commune.code, "tables": "1"},
    )
    assert answer.status_code == 200 and not Site.objects.filter(client_id="s-10").exists()
    answer = client.post(
        reverse("vaccination:lot_create"),
        {"client_id": "l-9", "product": "VC", "number": "202107b", "expires_on": "2022-07-01", "doses_per_vial": "1"},
    )
    assert answer.status_code == 302 and Lot.objects.get(client_id="l-9").number == "202107B"


# -- AEFI ------------------------------------------------------------------------------------------
@pytest.fixture
def dose(stock_world):
    return give(stock_world.site, stock_world.lot, stock_world.person, TODAY - timedelta(days=1))[0]


def aefi_post(**changes):
    return {
        "client_id": "ae-1",
        "onset_day": TODAY.isoformat(),
        "onset_time": "",
        "manifestation": "Khó thở, nổi mẩn",
        "severity": "serious",
        "treatment": "Adrenalin",
        "outcome": "recovering",
        "reporter": "Y sĩ Lan",
        "causality": "pending",
        "note": "",
    } | changes


def test_aefi_create_from_a_dose(dose, client_of, personas):
    client = client_of("commune")
    url = reverse("vaccination:aefi_create") + f"?dose={dose.pk}"
    page = client.get(url)
    assert page.status_code == 200 and dose.person.full_name in page.content.decode()
    answer = client.post(url, aefi_post() | {"dose": dose.pk})
    report = AefiReport.objects.get(client_id="ae-1")
    assert answer.status_code == 302 and answer.url == report.get_absolute_url()
    client.post(url, aefi_post() | {"dose": dose.pk})
    assert AefiReport.objects.count() == 1
    detail = client_of("district").get(report.get_absolute_url()).content.decode()
    assert 'id="aefi-acknowledge"' in detail
    assert 'id="aefi-acknowledge"' not in client.get(report.get_absolute_url()).content.decode()
    assert "aefi-inbox-badge" in client_of("district").get(reverse("vaccination:stock")).content.decode()
    answer = client_of("district").post(reverse("vaccination:aefi_acknowledge", args=[report.pk]))
    assert answer.status_code == 302
    report.refresh_from_db()
    assert report.alerted_at is not None
    assert AuditEvent.objects.filter(action="view", object_type="vaccination.aefireport").exists()


def test_aefi_create_needs_a_dose_in_scope(dose, client_of):
    client = client_of("other_commune")
    assert client.get(reverse("vaccination:aefi_create") + f"?dose={dose.pk}").status_code == 404
    assert client_of("commune").get(reverse("vaccination:aefi_create")).status_code == 404
    assert client_of("commune").get(reverse("vaccination:aefi_create") + "?dose=abc").status_code == 404


@pytest.mark.parametrize(
    "changes",
    [
        {"onset_day": "2021-02-30"},
        {"onset_day": "1999-01-01"},
        {"onset_day": (TODAY - timedelta(days=4)).isoformat()},  # before the dose
        {"onset_time": "25:99"},
        {"severity": "x", "outcome": "x", "causality": "x"},
        {"manifestation": ""},
        {"manifestation": "x" * 400},
        {"outcome": "died", "severity": "minor"},
    ],
)
def test_aefi_bad_input_kept_on_the_form(dose, client_of, changes):
    url = reverse("vaccination:aefi_create") + f"?dose={dose.pk}"
    answer = client_of("commune").post(url, aefi_post(**changes) | {"dose": dose.pk})
    assert answer.status_code == 200
    assert answer.context["form"].errors
    assert not AefiReport.objects.exists()


def test_aefi_edit_and_out_of_area(dose, client_of, personas):
    report, _ = do_report_aefi(
        personas["commune"],
        dose,
        data={
            "onset_at": dose.given_at + timedelta(hours=2),
            "manifestation": "Sốt",
            "severity": "minor",
            "outcome": "unknown",
            "causality": "pending",
        },
    )
    client = client_of("district")
    answer = client.post(
        reverse("vaccination:aefi_edit", args=[report.pk]),
        aefi_post(severity="minor", causality="b1", onset_day=dose.given_on.isoformat(), onset_time="11:00"),
    )
    assert answer.status_code == 302
    report.refresh_from_db()
    assert report.causality == "b1"
    other = client_of("other_commune")
    for name in ("aefi", "aefi_edit"):
        assert other.get(reverse(f"vaccination:{name}", args=[report.pk])).status_code == 404
    assert other.post(reverse("vaccination:aefi_acknowledge", args=[report.pk])).status_code == 404
    assert client_of("commune").post(reverse("vaccination:aefi_acknowledge", args=[report.pk])).status_code == 404


def test_aefi_list_filters_and_the_inbox(dose, client_of, personas):
    base = {"manifestation": "Sốt", "outcome": "recovering", "causality": "pending"}
    serious, _ = do_report_aefi(
        personas["commune"], dose, data=base | {"onset_at": dose.given_at + timedelta(hours=1), "severity": "serious"}
    )
    minor, _ = do_report_aefi(
        personas["commune"], dose, data=base | {"onset_at": dose.given_at + timedelta(hours=2), "severity": "minor"}
    )
    district = client_of("district")

    def listed(client, query):
        return list(client.get(reverse("vaccination:aefi_list"), query).context["table"].data.data)

    assert listed(district, {}) == [minor, serious]  # latest onset first
    assert listed(district, {"inbox": "on"}) == [serious]
    assert listed(district, {"severity": "minor"}) == [minor]
    assert listed(client_of("commune"), {"inbox": "on"}) == []  # the commune is not the district's inbox
    assert listed(client_of("other_commune"), {}) == []
    district.post(reverse("vaccination:aefi_acknowledge", args=[serious.pk]))
    assert listed(district, {"inbox": "on"}) == []
    assert "aefi-inbox-badge" not in district.get(reverse("vaccination:aefi_list")).content.decode()
