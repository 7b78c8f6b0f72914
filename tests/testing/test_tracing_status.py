"""Taking a sample from a contact moves their tracing status to "tested" — forward only, audited, and
only for exposures up to the sampling day."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chongdich.core.models import AuditEvent
from chongdich.surveillance.actions import do_confirm_case
from chongdich.surveillance.models import Contact, ContactStatus
from chongdich.testing.actions import do_register_pool, do_register_sample


@pytest.fixture
def make_contact(personas, make_person, today):
    """make_contact(person=None, days_ago=3, status="to_find") → an F1 row of a new case."""

    def make(person=None, days_ago: int = 3, status: str = ContactStatus.TO_FIND):
        case, _ = do_confirm_case(
            personas["district"],
            make_person(full_name="Ca Nguồn", cccd=None),
            confirmed_on=today - timedelta(days=days_ago),
        )
        person = person or make_person(full_name="Người Tiếp Xúc", cccd=None)
        day = today - timedelta(days=days_ago)
        contact = Contact(person=person, index_case=case, rank=1, first_exposure=day, last_exposure=day, status=status)
        contact.place_in(person.unit)
        contact.save()
        return contact

    return make


def status(contact):
    contact.refresh_from_db()
    return contact.status


def test_a_sample_marks_the_contact_tested(personas, make_contact, lab, today):
    contact = make_contact()
    sample, _ = do_register_sample(
        personas["health"], person=contact.person, kind="rt_pcr", reason="f1", taken_on=today, lab=lab
    )
    assert status(contact) == ContactStatus.TESTED
    event = AuditEvent.objects.get(object_type="surveillance.contact", object_id=str(contact.pk))
    assert event.detail == {"changed": {"status": ["to_find", "tested"]}, "cause": f"testing.sample #{sample.pk}"}
    assert contact.history.first().history_user == personas["health"]


def test_a_sample_never_moves_a_contact_back(personas, make_contact, lab, today):
    isolated = make_contact(status=ContactStatus.ISOLATED)
    released = make_contact(person=isolated.person, status=ContactStatus.RELEASED)
    reached = make_contact(person=isolated.person, status=ContactStatus.REACHED)
    do_register_sample(
        personas["health"], person=isolated.person, kind="rapid_antigen", reason="f1", taken_on=today, result="negative"
    )
    assert (status(isolated), status(released), status(reached)) == ("isolated", "released", "tested")
    assert AuditEvent.objects.filter(object_type="surveillance.contact").count() == 1


def test_a_sample_taken_before_the_exposure_does_not_count(personas, make_contact, lab, today):
    contact = make_contact(days_ago=1)
    do_register_sample(
        personas["health"],
        person=contact.person,
        kind="rt_pcr",
        reason="screening",
        taken_on=today - timedelta(days=2),
        lab=lab,
    )
    assert status(contact) == ContactStatus.TO_FIND


def test_pool_members_are_tested(personas, make_contact, make_person, lab, today):
    contacts = [make_contact(person=make_person(full_name=f"Thành Viên {i}", cccd=None)) for i in range(3)]
    others = [make_person(full_name="Không Phải F1", cccd=None)]
    do_register_pool(
        personas["health"], members=[c.person for c in contacts] + others, reason="f1", taken_on=today, lab=lab
    )
    assert {status(c) for c in contacts} == {ContactStatus.TESTED}
