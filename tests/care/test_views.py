"""Care pages through the test client: scope (404), capability (403), forms, print pages, no N+1."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chongdich.care.actions import do_admit, do_order_home_quarantine
from chongdich.care.addresses import address_line
from chongdich.care.models import HomeOrder, MonitoringEntry, OrderBatch, Stay
from chongdich.core.models import AuditEvent


@pytest.fixture
def order(personas, make_person):
    person = make_person(full_name="Đặng Văn Cách", address="12 Đường Số 3")
    order, _ = do_order_home_quarantine(personas["commune"], person, last_exposure=date(2022, 3, 1))
    return order


@pytest.mark.parametrize(
    "persona, status",
    [
        ("commune", 200),
        ("district", 200),
        ("health", 200),
        ("community", 200),
        ("other_commune", 404),
        ("viewer", 403),
        ("checkpoint", 403),
        (None, 302),
    ],
)
def test_order_page_by_persona(client_of, order, persona, status):
    assert client_of(persona).get(reverse("care:order", args=[order.pk])).status_code == status


@pytest.mark.parametrize("persona, status", [("commune", 200), ("other_commune", 404), ("viewer", 403)])
def test_facility_page_by_persona(client_of, quarantine_site, persona, status):
    assert client_of(persona).get(reverse("care:facility", args=[quarantine_site.pk])).status_code == status


def test_a_commune_sees_its_district_facilities(client_of, field_hospital, quarantine_site):
    page = client_of("other_commune").get(reverse("care:facilities")).content.decode()
    assert field_hospital.name in page and quarantine_site.name not in page
    assert client_of("other_commune").get(reverse("care:facility_edit", args=[field_hospital.pk])).status_code == 404


@pytest.mark.parametrize(
    "name", ["care:today", "care:facilities", "care:orders", "care:bulk_new", "care:facility_create"]
)
def test_pages_render_and_viewer_is_refused(client_of, order, quarantine_site, name):
    assert client_of("commune").get(reverse(name)).status_code == 200
    assert client_of("viewer").get(reverse(name)).status_code == 403


def test_create_facility_form_is_idempotent(client_of, world):
    data = {
        "name": "Ký túc xá Trường Cao đẳng",
        "kind": "concentrated_quarantine",
        "unit": world.commune.code,
        "beds_quarantine": "120",
        "client_id": "fac-form-1",
    }
    client = client_of("commune")
    first = client.post(reverse("care:facility_create"), data)
    second = client.post(reverse("care:facility_create"), data)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    page = client.get(first.url).content.decode()
    assert "120" in page


def test_admit_refusal_is_shown_and_saves_nothing(client_of, personas, quarantine_site, make_person):
    for name in ("Một", "Hai"):
        do_admit(
            personas["commune"],
            make_person(full_name=f"Phạm Văn {name}"),
            facility=quarantine_site,
            bed_type="quarantine",
            purpose="quarantine_entrant",
            on=date(2022, 3, 1),
        )
    third = make_person(full_name="Phạm Văn Ba")
    url = reverse("care:admit", args=[quarantine_site.pk])
    data = {
        "person": third.pk,
        "purpose": "quarantine_entrant",
        "bed_type": "quarantine",
        "on": "2022-03-02",
        "client_id": "adm-1",
    }
    response = client_of("commune").post(url, data)
    assert response.status_code == 200 and "overflow" in response.content.decode()
    assert not Stay.objects.filter(person=third).exists()
    response = client_of("commune").post(url, {**data, "overflow": "on"})
    assert response.status_code == 302 and Stay.objects.get(person=third).overflow


def test_person_picker_finds_people(client_of, quarantine_site, make_person):
    make_person(full_name="Võ Thị Tìm")
    response = client_of("commune").get(reverse("care:admit", args=[quarantine_site.pk]), {"q": "vo thi tim"})
    assert "Võ Thị Tìm" in response.content.decode()


def test_discharge_before_admission_through_the_form(client_of, personas, quarantine_site, make_person):
    stay, _ = do_admit(
        personas["commune"],
        make_person(),
        facility=quarantine_site,
        bed_type="quarantine",
        purpose="quarantine_entrant",
        on=date(2022, 3, 5),
    )
    response = client_of("health").post(
        reverse("care:discharge", args=[stay.pk]), {"on": "2022-03-01", "reason": "completed"}
    )
    assert response.status_code == 200 and response.context["form"].errors
    stay.refresh_from_db()
    assert stay.discharged_on is None
    assert client_of("other_commune").get(reverse("care:discharge", args=[stay.pk])).status_code == 404


def test_order_home_quarantine_through_the_form(client_of, make_person):
    person = make_person(full_name="Bùi Văn Mới")
    url = reverse("care:order_create", args=["home_quarantine"])
    assert "Bùi Văn Mới" in client_of("health").get(url, {"person": person.pk}).content.decode()
    data = {"person": person.pk, "last_exposure": "2022-03-01", "client_id": "order-form-1"}
    response = client_of("health").post(url, data)
    order = HomeOrder.objects.get(person=person)
    assert response.status_code == 302 and response.url == reverse("care:order", args=[order.pk])
    assert client_of("health").post(url, data).status_code == 302 and HomeOrder.objects.count() == 1
    assert client_of("other_commune").get(url, {"person": person.pk}).status_code == 404


def test_monitoring_form_raises_an_alert_shown_on_the_work_list(client_of, order):
    HomeOrder.objects.filter(pk=order.pk).update(
        start=timezone.localdate() - timedelta(days=1), end=timezone.localdate() + timedelta(days=5)
    )
    response = client_of("community").post(
        reverse("care:monitoring", args=[order.pk]),
        {
            "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "spo2": "93",
            "temperature_c": "38.6",
            "symptoms": ["cough", "dyspnoea"],
            "client_id": "check-1",
        },
    )
    assert response.status_code == 302 and MonitoringEntry.objects.get().warning
    page = client_of("health").get(reverse("care:today")).content.decode()
    assert "Đặng Văn Cách" in page and 'id="alerts"' in page
    alert = order.alerts.get()
    client_of("health").post(reverse("care:alert_resolve", args=[alert.pk]), {"note": "Đã gọi điện"})
    alert.refresh_from_db()
    assert alert.resolved_at is not None


def test_print_one_decision(client_of, order, personas):
    response = client_of("commune").get(reverse("care:order_print", args=[order.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Đặng Văn Cách" in page and order.person.cccd in page and "01/03/2022" in page and "07/03/2022" in page
    assert "XÃ ĐỨC HẠNH" in page and "<script" not in page
    assert AuditEvent.objects.filter(action="export", object_type="care.homeorder", actor=personas["commune"]).exists()
    assert client_of("other_commune").get(reverse("care:order_print", args=[order.pk])).status_code == 404


def test_bulk_preview_confirm_and_print(client_of, personas, make_person, make_case, make_f1):
    case = make_case(make_person(full_name="Ca Nguồn"), confirmed_on=date(2022, 3, 2))
    for i in range(3):
        make_f1(case, make_person(full_name=f"Người Tiếp Xúc {i}"))
    client = client_of("commune")
    query = {"source": "chain", "chain": case.chain_id, "mode": "home"}
    preview = client.get(reverse("care:bulk_new"), query)
    assert preview.status_code == 200 and preview.context["preview"].to_order == 3
    assert not HomeOrder.objects.exists()
    url = reverse("care:bulk_new") + "?" + preview.context["query"]
    confirmed = client.post(url, {"client_id": "bulk-form-1"})
    batch = OrderBatch.objects.get()
    assert confirmed.status_code == 302 and confirmed.url == reverse("care:bulk", args=[batch.pk])
    assert client.post(url, {"client_id": "bulk-form-1"}).url == confirmed.url  # re-sent: same batch
    assert HomeOrder.objects.count() == 3
    assert client.get(confirmed.url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        printed = client.get(reverse("care:bulk_print", args=[batch.pk]))
    page = printed.content.decode()
    assert printed.status_code == 200 and page.count('class="sheet"') == 3 and "Người Tiếp Xúc 2" in page
    assert len(queries) < 20
    assert client_of("other_commune").get(reverse("care:bulk", args=[batch.pk])).status_code == 404


def test_lists_do_not_grow_queries_with_rows(client_of, personas, make_person, quarantine_site):
    def count(name, *args):
        with CaptureQueriesContext(connection) as queries:
            assert client_of("commune").get(reverse(name, args=args)).status_code == 200
        return len(queries)

    def admit(name):
        do_admit(
            personas["commune"],
            make_person(full_name=name),
            facility=quarantine_site,
            bed_type="quarantine",
            purpose="quarantine_entrant",
            on=date(2022, 3, 1),
            overflow=True,
        )

    for i in range(2):
        do_order_home_quarantine(personas["commune"], make_person(full_name=f"Lô {i}"), last_exposure=date(2022, 3, 1))
    admit("Lô ở 1")
    before = [
        count("care:orders"),
        count("care:today"),
        count("care:facilities"),
        count("care:facility", quarantine_site.pk),
    ]
    for i in range(2, 8):
        do_order_home_quarantine(personas["commune"], make_person(full_name=f"Lô {i}"), last_exposure=date(2022, 3, 1))
    for i in range(2, 6):
        admit(f"Lô ở {i}")
    after = [
        count("care:orders"),
        count("care:today"),
        count("care:facilities"),
        count("care:facility", quarantine_site.pk),
    ]
    assert after == before


def test_person_page(client_of, order):
    assert client_of("commune").get(reverse("care:person", args=[order.person_id])).status_code == 200
    assert client_of("other_commune").get(reverse("care:person", args=[order.person_id])).status_code == 404


def test_home_care_form_lists_the_failed_criteria(client_of, make_person, make_case):
    person = make_person(full_name="Lý Văn Khỏe")
    make_case(person, confirmed_on=date(2022, 2, 10))
    url = reverse("care:order_create", args=["home_care"])
    data = {
        "person": person.pk,
        "on": "2022-02-10",
        "respiratory_rate": "20",
        "spo2": "96",
        "abnormal_breathing": "no",
        "comorbidity": "none",
        "can_self_care": "yes",
        "reachable": "yes",
        "has_carer": "",
        "client_id": "hc-1",
    }
    response = client_of("district").post(url, data)
    assert response.status_code == 200 and not HomeOrder.objects.exists()
    errors = " ".join(response.context["form"].non_field_errors())
    assert "261" in errors and "96" in errors
    response = client_of("district").post(url, {**data, "override_reason": "Bác sĩ trạm đồng ý", "client_id": "hc-2"})
    assert response.status_code == 302 and HomeOrder.objects.get().override_reason == "Bác sĩ trạm đồng ý"


def test_print_a_facility_quarantine_and_pages_in_english(client_of, personas, quarantine_site, make_person):
    stay, _ = do_admit(
        personas["commune"],
        make_person(full_name="Hồ Văn Tập Trung"),
        facility=quarantine_site,
        bed_type="quarantine",
        purpose="quarantine_f1",
        on=date(2022, 3, 2),
        last_exposure=date(2022, 3, 1),
    )
    client = client_of("commune")
    page = client.get(reverse("care:stay_print", args=[stay.pk])).content.decode()
    assert "Hồ Văn Tập Trung" in page and quarantine_site.name in page and "07/03/2022" in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    for url in (
        reverse("care:today"),
        reverse("care:facility", args=[quarantine_site.pk]),
        reverse("care:person", args=[stay.person_id]),
        reverse("care:monitoring", args=[1]),
    ):
        assert client.get(url).status_code in (200, 404)
    assert "Today's work" in client.get(reverse("care:today")).content.decode()


def test_person_card_names_the_village_once(client_of, personas, world, make_person):
    person = make_person(unit=world.village2, full_name="Điểu Thị Thôn", address="Thôn Bù Dinh")
    order, _ = do_order_home_quarantine(personas["commune"], person, last_exposure=date(2022, 3, 1))
    page = client_of("health").get(reverse("care:monitoring", args=[order.pk])).content.decode()
    card = page[page.index('class="alert alert-light border') :]
    card = card[: card.index("</div>")]
    assert card.count("Thôn Bù Dinh") == 1
    other = make_person(unit=world.village2, full_name="Điểu Văn Số", address="Số 12")
    order, _ = do_order_home_quarantine(personas["commune"], other, last_exposure=date(2022, 3, 1))
    page = client_of("health").get(reverse("care:monitoring", args=[order.pk])).content.decode()
    assert "Số 12, Thôn Bù Dinh" in page


@pytest.mark.parametrize(
    "street, names, line",
    [
        ("Thôn Bù Dinh", ["Thôn Bù Dinh"], "Thôn Bù Dinh"),
        ("thon bu dinh", ["Thôn Bù Dinh", "Xã Đức Hạnh"], "Thôn Bù Dinh, Xã Đức Hạnh"),
        ("Số 12 Thôn Bù Dinh", ["Thôn Bù Dinh", "Xã Đức Hạnh"], "Số 12 Thôn Bù Dinh, Xã Đức Hạnh"),
        ("Số 5, Thôn 1, Xã Đức Hạnh", ["Thôn 1", "Xã Đức Hạnh"], "Số 5, Thôn 1, Xã Đức Hạnh"),
        ("", ["Thôn 1", "Xã Đức Hạnh"], "Thôn 1, Xã Đức Hạnh"),
        ("12 Đường Số 3", ["Thôn 1"], "12 Đường Số 3, Thôn 1"),
    ],
)
def test_address_line_says_each_place_once(street, names, line):

    assert address_line(street, names) == line
