"""Person pages through the Django test client: forms, duplicate warnings, lists without N+1."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chongdich.core.models import AuditEvent
from chongdich.people.models import Person
from tests.conftest import valid_cccd


def form(world, **extra):
    return {
        "full_name": "Phan Thị Ngọc",
        "sex": "F",
        "birth_year": "1992",
        "unit": world.village.code,
        "residence_status": "permanent",
        "phone": "0905 111 222",
        "client_id": "form-1",
        **extra,
    }


def test_register_a_person(client_of, world):
    client = client_of("health")
    response = client.post(reverse("people:create"), form(world, cccd=valid_cccd("F", 1992)))
    person = Person.objects.get()
    assert response.status_code == 302 and response.url == reverse("people:detail", args=[person.pk])
    # Submitting the same page again (double tap, flaky network) returns the same record.
    again = client.post(reverse("people:create"), form(world, cccd=person.cccd))
    assert again.status_code == 302 and Person.objects.count() == 1


def test_half_filled_form_explains_and_saves_nothing(client_of, world):
    response = client_of("health").post(reverse("people:create"), {"full_name": "", "unit": world.village.code})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"full_name", "sex", "birth_year"} <= set(errors)
    assert Person.objects.count() == 0


def test_cccd_that_contradicts_sex_is_explained(client_of, world):
    response = client_of("health").post(reverse("people:create"), form(world, cccd=valid_cccd("M", 1992)))
    assert response.status_code == 200
    assert "cccd" in response.context["form"].errors
    assert Person.objects.count() == 0


def test_possible_duplicate_is_offered(client_of, world, make_person):
    existing = make_person(full_name="Phan Thị Ngọc", sex="F", birth_year=1992, phone="+84905111222", cccd=None)
    client = client_of("health")
    response = client.post(reverse("people:create"), form(world, client_id="form-2"))
    assert response.status_code == 200 and existing in response.context["duplicates"]
    assert reverse("people:detail", args=[existing.pk]).encode() in response.content
    response = client.post(reverse("people:create"), form(world, client_id="form-3", confirm_new="on"))
    assert response.status_code == 302 and Person.objects.count() == 2


def test_viewing_a_person_is_audited(client_of, world, make_person, personas):
    person = make_person()
    client_of("commune").get(reverse("people:detail", args=[person.pk]))
    assert AuditEvent.objects.filter(action="view", actor=personas["commune"], object_id=str(person.pk)).exists()


def test_export_is_audited(client_of, world, make_person, personas):
    make_person()
    response = client_of("commune").get(reverse("people:export") + "?sex=M")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    event = AuditEvent.objects.get(action="export", actor=personas["commune"])
    assert event.detail["rows"] == 1 and event.detail["filters"] == {"sex": "M"}


def test_list_query_count_does_not_grow_with_rows(client_of, world, make_person):
    client = client_of("commune")
    make_person()
    client.get(reverse("people:list"))  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("people:list"))
    for i in range(30):
        make_person(full_name=f"Người Thứ {i}", cccd=None)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("people:list"))
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_search_page_and_htmx_partial(client_of, world, make_person):
    make_person(full_name="Đỗ Thị Hằng", sex="F", birth_year=1980)
    client = client_of("commune")
    page = client.get(reverse("people:list"), {"q": "do thi hang"})
    assert "Đỗ Thị Hằng" in page.content.decode()
    partial = client.get(reverse("people:list"), {"q": "do thi hang"}, HTTP_HX_REQUEST="true")
    assert "Đỗ Thị Hằng" in partial.content.decode() and "<nav" not in partial.content.decode()


def test_merge_page(client_of, world, make_person):
    a = make_person(full_name="Lê Văn Tám", cccd=None, phone="")
    b = make_person(full_name="Le Van Tam", cccd=None)
    client = client_of("commune")
    page = client.get(reverse("people:merge", args=[a.pk]), {"other": b.pk})
    assert page.status_code == 200
    response = client.post(reverse("people:merge", args=[a.pk]), {"other": b.pk, "keep": str(a.pk)})
    assert response.status_code == 302
    b.refresh_from_db()
    assert b.merged_into_id == a.pk


def test_household_creation_from_person(client_of, world, make_person):
    person = make_person()
    response = client_of("commune").post(reverse("people:household_create", args=[person.pk]))
    person.refresh_from_db()
    assert response.status_code == 302 and person.household.head_id == person.pk and person.relation == "head"


def test_household_management(client_of, world, make_person):
    from chongdich.people.models import Household

    client = client_of("commune")
    head = make_person(full_name="Võ Văn Cha", birth_year=1960)
    client.post(reverse("people:household_create", args=[head.pk]))
    household = Household.objects.get()
    child = make_person(full_name="Võ Thị Con", sex="F", birth_year=1990, cccd=None)
    url = reverse("people:household", args=[household.pk])
    page = client.get(url, {"q": "vo thi con"})
    assert child in page.context["candidates"]
    client.post(url, {"action": "add", "person": child.pk, "relation": "child"})
    child.refresh_from_db()
    assert child.household_id == household.pk and child.relation == "child"
    client.post(url, {"action": "head", "person": child.pk})
    household.refresh_from_db()
    head.refresh_from_db()
    assert household.head_id == child.pk and head.relation == "other"
    client.post(url, {"action": "remove", "person": child.pk})
    household.refresh_from_db()
    assert household.head_id == head.pk  # the eldest remaining member takes over
    assert client_of("other_commune").post(url, {"action": "remove", "person": head.pk}).status_code == 404


def test_old_link_of_a_merged_person_redirects(client_of, world, make_person):
    keep, gone = make_person(cccd=None), make_person(cccd=None, full_name="Nguyen Van An")
    gone.merged_into = keep
    gone.save()
    response = client_of("commune").get(reverse("people:detail", args=[gone.pk]))
    assert response.status_code == 302 and response.url == reverse("people:detail", args=[keep.pk])
    assert client_of("other_commune").get(reverse("people:detail", args=[gone.pk])).status_code == 404


def test_household_creation_is_one_audited_transaction(world, personas, make_person, monkeypatch):
    from chongdich.core.models import AuditEvent
    from chongdich.people import actions
    from chongdich.people.models import Household

    officer = personas["commune"]
    person = make_person()

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    with monkeypatch.context() as patched:
        patched.setattr(actions, "do_update_person", broken)
        with pytest.raises(RuntimeError):
            actions.do_start_household(officer, person)
    assert not Household.objects.exists()  # nothing half-written: no household without its head
    assert not AuditEvent.objects.filter(object_type="people.household").exists()

    household, created = actions.do_start_household(officer, person)
    person.refresh_from_db()
    assert created and household.head_id == person.pk and person.household_id == household.pk
    events = AuditEvent.objects.filter(object_type="people.household", object_id=str(household.pk))
    assert {e.action for e in events} == {"create", "update"}
    assert events.get(action="update").detail == {"head": person.pk}
    assert household.history.latest().history_user_id == officer.pk
    # A re-sent form: the same household, nothing written again.
    again, created = actions.do_start_household(officer, person)
    assert again.pk == household.pk and not created and events.count() == 2


def test_household_creation_outside_the_area_is_refused(world, personas, make_person):
    from django.core.exceptions import PermissionDenied

    from chongdich.people import actions

    person = make_person()
    with pytest.raises(PermissionDenied):
        actions.do_start_household(personas["other_commune"], person)
