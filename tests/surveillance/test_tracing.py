"""The tracing actions: a contact's status (scoped by residence, audited, never "became a case" by
hand) and recording a contact, with the person registered on the spot, all or nothing."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from chongdich.core.models import AuditEvent
from chongdich.people.models import Person
from chongdich.surveillance.actions import do_set_contact_status, do_trace_contact
from chongdich.surveillance.models import Contact, ContactStatus, Exposure
from chongdich.surveillance.tracing import exposure_bounds
from tests.surveillance.pages import D, at


@pytest.fixture
def contact(world, make_person, confirm, expose):
    case = confirm(make_person(full_name="Nguồn Lây", cccd=None))
    f1 = make_person(unit=world.other_village, full_name="Sống Ở Phú Văn", cccd=None)
    expose(case.person, f1)
    return Contact.objects.get(person=f1)


def test_status_is_set_by_the_area_where_the_contact_lives(world, personas, contact):
    with pytest.raises(PermissionDenied):
        do_set_contact_status(personas["health"], contact, ContactStatus.REACHED)  # the F0's commune
    with pytest.raises(PermissionDenied):
        do_set_contact_status(personas["community"], contact, ContactStatus.REACHED)  # no edit right
    updated = do_set_contact_status(personas["other_commune"], contact, ContactStatus.REACHED)
    assert updated.status == ContactStatus.REACHED
    event = AuditEvent.objects.get(object_type="surveillance.contact", object_id=str(contact.pk))
    assert event.detail == {"changed": {"status": ["to_find", "reached"]}} and "Sống Ở Phú Văn" in event.object_label
    assert updated.history.first().history_user == personas["other_commune"]
    do_set_contact_status(personas["other_commune"], updated, ContactStatus.REACHED)  # no change: no event
    assert AuditEvent.objects.filter(object_type="surveillance.contact").count() == 1


def test_became_a_case_is_not_set_or_undone_by_hand(world, personas, contact, confirm):
    with pytest.raises(ValidationError):
        do_set_contact_status(personas["other_commune"], contact, ContactStatus.BECAME_CASE)
    confirm(contact.person, day=date(2021, 7, 14), actor="district")
    contact.refresh_from_db()
    assert contact.status == ContactStatus.BECAME_CASE
    with pytest.raises(ValidationError):
        do_set_contact_status(personas["other_commune"], contact, ContactStatus.TO_FIND)


def test_trace_contact_registers_the_person_all_or_nothing(world, personas, make_person, confirm):
    case = confirm(make_person(full_name="Nguồn Lây", cccd=None))
    new = {
        "full_name": "Người Mới",
        "sex": "F",
        "birth_year": 1990,
        "phone": "",
        "unit": world.village2,
        "residence_status": "permanent",
    }
    with pytest.raises(ValidationError):  # in the future: refused, and the new person with it
        do_trace_contact(
            personas["health"],
            person=case.person,
            new_person=new,
            exposure={"kind": "household", "start": at(date(2999, 1, 1))},
        )
    assert not Person.objects.filter(full_name="Người Mới").exists()
    exposure, created = do_trace_contact(
        personas["health"],
        person=case.person,
        new_person=new,
        client_id="t-1",
        exposure={"kind": "household", "start": at(D)},
    )
    assert created and exposure.contact.full_name == "Người Mới" and exposure.source == case.person
    again, created = do_trace_contact(
        personas["health"],
        person=case.person,
        new_person=new,
        client_id="t-1",
        exposure={"kind": "household", "start": at(D)},
    )
    assert not created and again.pk == exposure.pk and Person.objects.filter(full_name="Người Mới").count() == 1
    back, _ = do_trace_contact(
        personas["health"],
        person=case.person,
        other=exposure.contact,
        forward=False,
        exposure={"kind": "physical_contact", "start": at(D)},
    )
    assert (back.source, back.contact) == (exposure.contact, case.person)
    assert Exposure.objects.count() == 2


def test_exposure_bounds_of_today_are_never_in_the_future():
    today = timezone.localdate()
    start, end = exposure_bounds(today, None, today)
    assert start <= timezone.now() and end <= timezone.now() and end >= start
    start, end = exposure_bounds(date(2021, 7, 1), None, date(2021, 7, 3))
    assert timezone.localtime(start).date() == date(2021, 7, 1) and timezone.localtime(end).date() == date(2021, 7, 3)
    assert exposure_bounds(date(2021, 7, 1))[1] is None


def test_automatic_advance_only_moves_forward(world, personas, contact, confirm, make_person, expose):
    from chongdich.surveillance.actions import advance_contacts

    assert advance_contacts(personas["district"], [contact.person], ContactStatus.TESTED, cause="test #1") == 1
    assert advance_contacts(personas["district"], [contact.person], ContactStatus.REACHED, cause="test #2") == 0
    contact.refresh_from_db()
    assert contact.status == ContactStatus.TESTED and contact.history.first().history_change_reason == "test #1"
    other = make_person(full_name="Thành Ca", cccd=None)
    expose(contact.index_case.person, other)
    confirm(other, day=date(2021, 7, 14), actor="district")
    became = Contact.objects.get(person=other)
    people = Person.objects.filter(pk__in=[contact.person_id, other.pk]).values("pk")  # the bulk form: a subquery
    assert advance_contacts(personas["district"], people, ContactStatus.ISOLATED, cause="bulk", audit_each=False) == 1
    became.refresh_from_db()
    contact.refresh_from_db()
    assert became.status == ContactStatus.BECAME_CASE and contact.status == ContactStatus.ISOLATED
