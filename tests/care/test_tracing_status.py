"""Care decisions move the tracing status of the person's contacts forward, in their transaction, audited;
a bulk order moves thousands with one UPDATE."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chongdich.care.actions import (
    do_admit,
    do_bulk_facility_quarantine,
    do_bulk_home_quarantine,
    do_order_home_quarantine,
    do_order_self_monitoring,
)
from chongdich.care.models import HomeOrder
from chongdich.core.models import AuditEvent
from chongdich.surveillance.models import Contact, ContactStatus


def status(contact):
    contact.refresh_from_db()
    return contact.status


def contact_updates(queries):
    table = Contact._meta.db_table
    return [q["sql"] for q in queries if q["sql"].startswith(f'UPDATE "{table}"')]


@pytest.fixture
def f1(make_person, make_case, make_f1):
    case = make_case(make_person(full_name="Ca Nguồn"), confirmed_on=date(2022, 3, 2))
    return make_f1(case, make_person(full_name="Người Tiếp Xúc"), last_exposure=date(2022, 3, 1))


def test_home_quarantine_isolates_the_contact(personas, f1):
    order, _ = do_order_home_quarantine(personas["commune"], f1.person, last_exposure=date(2022, 3, 1))
    assert status(f1) == ContactStatus.ISOLATED
    entry = f1.history.first()
    assert entry.history_user == personas["commune"] and entry.history_change_reason == f"care.homeorder #{order.pk}"
    event = AuditEvent.objects.get(object_type="surveillance.contact", object_id=str(f1.pk))
    assert event.actor == personas["commune"]
    assert event.detail == {"changed": {"status": ["to_find", "isolated"]}, "cause": f"care.homeorder #{order.pk}"}


def test_every_open_contact_of_the_person_moves_and_closed_ones_stay(personas, make_person, make_case, make_f1, f1):
    other = make_f1(make_case(make_person(full_name="Ca Khác"), confirmed_on=date(2022, 3, 2)), f1.person)
    released = make_f1(make_case(make_person(full_name="Ca Cũ"), confirmed_on=date(2022, 3, 2)), f1.person)
    Contact.objects.filter(pk=other.pk).update(status=ContactStatus.REACHED)
    Contact.objects.filter(pk=released.pk).update(status=ContactStatus.RELEASED)
    do_order_home_quarantine(personas["commune"], f1.person, last_exposure=date(2022, 3, 1))
    assert (status(f1), status(other), status(released)) == ("isolated", "isolated", "released")


def test_self_monitoring_means_reached_and_never_goes_back(personas, make_person, make_case, make_f1, f1):
    do_order_self_monitoring(personas["commune"], f1.person, start=date(2022, 3, 1), end=date(2022, 3, 10))
    assert status(f1) == ContactStatus.REACHED
    tested = make_f1(make_case(make_person(full_name="Ca Khác"), confirmed_on=date(2022, 3, 2)), make_person())
    Contact.objects.filter(pk=tested.pk).update(status=ContactStatus.TESTED)
    do_order_self_monitoring(personas["commune"], tested.person, start=date(2022, 3, 1), end=date(2022, 3, 10))
    assert status(tested) == ContactStatus.TESTED


def test_an_admission_for_quarantine_isolates(personas, quarantine_site, f1):
    stay, _ = do_admit(
        personas["commune"],
        f1.person,
        facility=quarantine_site,
        bed_type="quarantine",
        purpose="quarantine_f1",
        on=date(2022, 3, 2),
        contact=f1,
    )
    assert status(f1) == ContactStatus.ISOLATED
    assert AuditEvent.objects.get(object_type="surveillance.contact").detail["cause"] == f"care.stay #{stay.pk}"


def test_the_status_moves_inside_the_decision_s_transaction(personas, f1, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("tracing failed")

    monkeypatch.setattr("chongdich.surveillance.actions.tracing._copy_to_history", fail)  # after the UPDATE
    with pytest.raises(RuntimeError):
        do_order_home_quarantine(personas["commune"], f1.person, last_exposure=date(2022, 3, 1))
    assert not HomeOrder.objects.exists() and status(f1) == ContactStatus.TO_FIND


def test_bulk_home_quarantine_moves_everyone_with_one_update(personas, make_person, make_case, make_f1):
    case = make_case(make_person(full_name="Ca Chỉ Điểm"), confirmed_on=date(2022, 3, 2))
    contacts = [make_f1(case, make_person(full_name=f"Tiếp Xúc {i}")) for i in range(5)]
    Contact.objects.filter(pk=contacts[0].pk).update(status=ContactStatus.TESTED)
    with CaptureQueriesContext(connection) as queries:
        result = do_bulk_home_quarantine(personas["commune"], chain=case.chain)
    assert result.counts["ordered"] == 5
    assert {status(c) for c in contacts} == {ContactStatus.ISOLATED}
    assert len(contact_updates(queries.captured_queries)) == 1
    assert all(c.history.first().history_change_reason == f"bulk order #{result.batch.pk}" for c in contacts)
    assert all(c.history.first().history_user == personas["commune"] for c in contacts)
    assert not AuditEvent.objects.filter(object_type="surveillance.contact").exists()  # one event for the batch:
    event = AuditEvent.objects.get(object_type="care.orderbatch")
    assert event.detail["contacts"] == {"isolated": 5}


def test_bulk_facility_quarantine_isolates(personas, make_person, make_case, make_f1, field_hospital):
    case = make_case(make_person(full_name="Ca Chỉ Điểm"), confirmed_on=date(2022, 3, 2))
    contacts = [make_f1(case, make_person(full_name=f"Tiếp Xúc {i}")) for i in range(3)]
    result = do_bulk_facility_quarantine(
        personas["district"], facility=field_hospital, chain=case.chain, on=date(2022, 3, 2)
    )
    assert result.counts["ordered"] == 3 and {status(c) for c in contacts} == {ContactStatus.ISOLATED}
    assert AuditEvent.objects.get(object_type="care.orderbatch").detail["contacts"] == {"isolated": 3}
