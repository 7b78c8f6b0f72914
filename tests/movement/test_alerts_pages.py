"""The alert pages: list scoped with a count equal to its rows, filters (bad input refused, never an
error), the page with its source, the one-click order and sample through the browser's forms, the
report form, the export, the movement index whose figures equal the lists they open, and the
dashboard's movement figures."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse

from chongdich.care.models import HomeOrder
from chongdich.movement.models import Alert
from chongdich.testing.models import Sample
from tests.movement.alerts_world import checkpoint, declaration, passage, save_declarations, save_passages

pytestmark = pytest.mark.django_db
DAY = date(2021, 8, 10)
TODAY = date(2021, 8, 12)


@pytest.fixture(autouse=True)
def _today(settings):
    settings.CHONGDICH_TODAY = "2021-08-12T10:00"


@pytest.fixture
def alerts(world):
    save_declarations(
        [
            declaration(world.village, DAY, watched=True, origin="26734", full_name="Võ Thị Hoa", birth_year=1988),
            declaration(world.commune, TODAY, symptoms=["fever"], full_name="Đỗ Văn Em", birth_year=1975),
            declaration(world.other_village, TODAY, watched=True, origin="26734", full_name="Ngoài Vùng"),
        ]
    )
    cp = checkpoint(world.border_commune)
    save_passages([passage(cp, TODAY, watched=True, destination="25228")])
    return {a.full_name: a for a in Alert.objects.all()}


def rows(response):
    return list(response.context["table"].data)


def test_list_is_scoped_and_counts_its_rows(alerts, client_of):
    page = client_of("commune").get(reverse("movement:alerts"))
    assert page.status_code == 200
    names = {a.full_name for a in rows(page)}
    assert names == {"Võ Thị Hoa", "Đỗ Văn Em", "Lê Văn Cường"} and page.context["total"] == 3
    assert "Ngoài Vùng" not in page.content.decode()
    district = client_of("district").get(reverse("movement:alerts"), {"kind": "arrival"})
    assert len(rows(district)) == 3 and district.context["total"] == 3
    team = client_of("community").get(reverse("movement:alerts"))
    assert {a.full_name for a in rows(team)} == {"Võ Thị Hoa"}  # the village's own alert


@pytest.mark.parametrize(
    "query",
    [
        {"day": "0001-01-01"},
        {"open_on": "9999-12-31"},
        {"day": "not a day"},
        {"owner": "xyz"},
        {"state": "bogus"},
        {"unit": "99999"},
        {"kind": "<script>"},
    ],
)
def test_bad_filters_show_nothing_and_say_why(alerts, client_of, query):
    page = client_of("commune").get(reverse("movement:alerts"), query)
    assert page.status_code == 200 and rows(page) == [] and page.context["total"] == 0
    assert page.context["filter"].form.errors


def test_filters(alerts, client_of, personas):
    from chongdich.movement.actions.alerts import do_finish_alert, do_take_alert

    client = client_of("commune")
    do_take_alert(personas["commune"], alerts["Võ Thị Hoa"])
    do_finish_alert(personas["health"], alerts["Đỗ Văn Em"], outcome="no_action")
    url = reverse("movement:alerts")
    assert {a.full_name for a in rows(client.get(url, {"owner": "me"}))} == {"Võ Thị Hoa"}
    assert {a.full_name for a in rows(client.get(url, {"owner": "none"}))} == {"Lê Văn Cường"}
    assert {a.full_name for a in rows(client.get(url, {"state": "open"}))} == {"Võ Thị Hoa", "Lê Văn Cường"}
    assert {a.full_name for a in rows(client.get(url, {"state": "done"}))} == {"Đỗ Văn Em"}
    assert {a.full_name for a in rows(client.get(url, {"day": DAY.isoformat()}))} == {"Võ Thị Hoa"}
    assert {a.full_name for a in rows(client.get(url, {"open_on": DAY.isoformat()}))} == {"Võ Thị Hoa"}
    assert {a.full_name for a in rows(client.get(url, {"unit": "25228-01"}))} == {"Võ Thị Hoa"}
    assert {a.full_name for a in rows(client.get(url, {"kind": "symptoms"}))} == {"Đỗ Văn Em"}
    owner = personas["health"].pk
    assert {a.full_name for a in rows(client.get(url, {"owner": str(owner)}))} == {"Đỗ Văn Em"}


def test_alert_page_shows_plan_and_source_in_scope(alerts, client_of):
    alert = alerts["Võ Thị Hoa"]
    page = client_of("commune").get(alert.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200 and 'id="alert-plan"' in html and 'id="order-form"' in html
    assert alert.detail["plan"]["rule_version"] in html and page.context["source"].record is not None
    assert client_of("other_commune").get(alert.get_absolute_url()).status_code == 404
    # the passage's checkpoint is in another commune: the destination sees the alert, not the passage
    arrival = alerts["Lê Văn Cường"]
    page = client_of("commune").get(arrival.get_absolute_url())
    assert page.status_code == 200 and page.context["source"].record is None
    assert client_of("district").get(arrival.get_absolute_url()).context["source"].record is not None
    team = client_of("community").get(alert.get_absolute_url())
    assert team.status_code == 200 and 'id="order-form"' not in team.content.decode()


def test_one_click_order_through_the_page(alerts, client_of):
    alert = alerts["Võ Thị Hoa"]
    client = client_of("commune")
    url = reverse("movement:alert_order", args=[alert.pk])
    refused = client.post(url, {"person": "new", "client_id": "c-1"})
    assert refused.status_code == 400 and "cách ly tập trung" in refused.content.decode()
    alert.refresh_from_db()
    assert alert.person is not None and alert.state == "new"  # registered and linked; the order waits
    done = client.post(url, {"override_reason": "Tỉnh cho phép cách ly tại nhà", "client_id": "c-2"})
    assert done.status_code == 302
    alert.refresh_from_db()
    order = HomeOrder.objects.get()
    assert alert.state == "done" and alert.outcome == "quarantine" and alert.detail["order"] == order.pk
    assert order.person == alert.person
    again = client.post(url, {"override_reason": "x", "client_id": "c-2"})  # the re-sent form
    assert again.status_code == 302 and HomeOrder.objects.count() == 1
    page = client.get(alert.get_absolute_url()).content.decode()
    assert reverse("care:order", args=[order.pk]) in page and 'id="reopen-form"' in page


def test_one_click_sample_through_the_page(alerts, client_of):
    alert = alerts["Đỗ Văn Em"]
    client = client_of("health")
    page = client.get(alert.get_absolute_url()).content.decode()
    assert 'id="sample-form"' in page
    done = client.post(reverse("movement:alert_sample", args=[alert.pk]), {"person": "new", "kind": "rapid_antigen"})
    assert done.status_code == 302
    alert.refresh_from_db()
    sample = Sample.objects.get()
    assert alert.outcome == "tested" and alert.detail["sample"] == sample.pk and sample.person == alert.person


def test_take_and_finish_through_the_page(alerts, client_of):
    alert = alerts["Lê Văn Cường"]
    client = client_of("commune")
    assert client.post(reverse("movement:alert_take", args=[alert.pk])).status_code == 302
    bad = client.post(reverse("movement:alert_finish", args=[alert.pk]), {"outcome": "", "note": "x" * 400})
    assert bad.status_code == 400 and bad.context["finish_form"].errors
    ok = client.post(reverse("movement:alert_finish", args=[alert.pk]), {"outcome": "arrived"})
    assert ok.status_code == 302
    alert.refresh_from_db()
    assert alert.state == "done" and alert.outcome == "arrived"


def test_report_form(world, client_of):
    client = client_of("community")
    form = client.get(reverse("movement:alert_report"))
    assert form.status_code == 200 and form.context["form"].initial["unit"] == "25228-01"
    bad = client.post(
        reverse("movement:alert_report"),
        {"full_name": "", "unit": "25229-01", "arrived_on": "2099-01-01", "phone": "12", "origin": "nope"},
    )
    assert bad.status_code == 200
    assert set(bad.context["form"].errors) >= {"full_name", "unit", "arrived_on", "phone", "origin"}
    data = {"full_name": "Phạm Văn Dũng", "unit": "25228-01", "arrived_on": "2021-08-11", "client_id": "rep-1"}
    assert client.post(reverse("movement:alert_report"), data).status_code == 302
    assert client.post(reverse("movement:alert_report"), data).status_code == 302
    assert Alert.objects.filter(kind="undeclared").count() == 1


def test_report_form_picks_the_origin_commune_by_name(world, client_of):
    client = client_of("community")
    origin = world.other_commune
    data = {"full_name": "Trần Thị Em", "unit": "25228-01", "arrived_on": "2021-08-11", "client_id": "rep-2"}
    plain = origin.name.replace("ú", "u").replace("ă", "a").replace("ư", "u")  # typed without some diacritics
    ambiguous = client.post(reverse("movement:alert_report"), {**data, "origin": "xa"})
    assert ambiguous.status_code == 200 and "origin" in ambiguous.context["form"].errors
    assert ambiguous.context["form"]["origin"].value() == "xa"  # what was typed is kept
    answer = client.post(reverse("movement:alert_report"), {**data, "origin": f"{plain} ({origin.code})"})
    assert answer.status_code == 302
    assert Alert.objects.get(kind="undeclared", full_name="Trần Thị Em").origin_commune_code == origin.code


def test_export_has_the_list_rows(alerts, client_of):
    response = client_of("commune").get(reverse("movement:alerts_export"), {"kind": "arrival"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["Lê Văn Cường", "Võ Thị Hoa"]


def test_index_figures_equal_the_lists(alerts, client_of):
    client = client_of("commune")
    page = client.get(reverse("movement:index"))
    assert page.status_code == 200
    figures, links = page.context["figures"], page.context["links"]
    assert figures["alerts_open"] == 3 and figures["declarations"] == 1 and figures["declarations_symptomatic"] == 1
    assert figures["arrivals_watched"] == 0 and links["arrivals_watched"] is None  # passages count at the checkpoint
    for key in ("alerts_open", "alerts_new"):
        assert len(rows(client.get(links[key]))) == figures[key], key
    assert len(page.context["alerts"]) == 3
    team = client_of("community").get(reverse("movement:index"))
    assert team.status_code == 200 and not any(team.context["links"].values())


def test_dashboard_movement_figures_equal_the_lists(alerts, client_of, personas):
    from chongdich.dashboard.links import FIGURES, open_alert_links, tile_links
    from chongdich.dashboard.selectors import dashboard, place_for

    user = personas["district"]
    client = client_of("district")
    place = place_for(user, "691")
    data = dashboard(place, TODAY)
    assert data.kpi["alerts_open"] == 4 and data.kpi["alerts_new"] == 3
    assert data.open_alerts == [("25228", "Xã Đức Hạnh", 3), ("25229", "Xã Phú Văn", 1)]
    links = tile_links(user, place, TODAY)
    for figure in FIGURES:
        if figure.key in ("alerts_open", "alerts_new"):
            assert len(rows(client.get(links[figure.key]))) == figure.value(data.kpi)
    per_unit = open_alert_links(user, place, TODAY, ["25228"])["25228"]
    assert len(rows(client.get(per_unit))) == 3
    page = client.get(reverse("dashboard:index"), {"unit": "691", "day": TODAY.isoformat()}).content.decode()
    assert 'id="tile-movement"' in page and 'id="dash-open-alerts"' in page
