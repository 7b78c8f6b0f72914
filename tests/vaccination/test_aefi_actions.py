"""AEFI actions: a report from a dose in scope, the onset checked against the dose, edits (the
district's causality), the district's inbox of serious reports and its acknowledgement."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from chongdich.core.models import AuditEvent
from chongdich.vaccination.actions.aefi import do_acknowledge_aefi, do_report_aefi, do_update_aefi
from chongdich.vaccination.models import AefiReport
from chongdich.vaccination.selectors import aefi as selectors
from tests.vaccination.stock_fixtures import TODAY, give, stock_world_fixture  # noqa: F401


def at(day, hour=10, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def data(**changes):
    return {
        "onset_at": at(TODAY - timedelta(days=1), 21),
        "manifestation": "Sốt 39 độ, phát ban",
        "severity": "minor",
        "treatment": "Hạ sốt",
        "outcome": "recovering",
        "reporter": "Y sĩ Lan",
        "causality": "pending",
        "note": "",
    } | changes


@pytest.fixture
def dose(stock_world):
    return give(stock_world.site, stock_world.lot, stock_world.person, TODAY - timedelta(days=1))[0]


def test_report_from_a_dose_in_scope(dose, personas):
    report, created = do_report_aefi(personas["commune"], dose, data=data(), client_id="a-1")
    assert created and report.person_id == dose.person_id and report.unit_path == dose.unit_path
    assert do_report_aefi(personas["commune"], dose, data=data(), client_id="a-1") == (report, False)
    assert AefiReport.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="vaccination.aefireport", action="create").count() == 1
    for persona in ("other_commune", "community", "viewer"):
        with pytest.raises(PermissionDenied):
            do_report_aefi(personas[persona], dose, data=data())
    with pytest.raises(PermissionDenied):  # another area's client id answers like the refusal
        do_report_aefi(personas["other_commune"], dose, data=data(), client_id="a-1")


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"manifestation": "  "}, "manifestation"),
        ({"onset_at": None}, "onset_at"),
        ({"onset_at": at(TODAY - timedelta(days=1), 8)}, "onset_at"),  # before the dose at 09:00
        ({"onset_at": at(TODAY - timedelta(days=3))}, "onset_at"),  # before the day of the dose
        ({"onset_at": at(TODAY + timedelta(days=1))}, "onset_at"),  # in the future
        ({"severity": "bad"}, "severity"),
        ({"causality": "z9"}, "causality"),
        ({"outcome": "died"}, "severity"),  # a death is serious
        ({"reporter": "x" * 121}, "reporter"),
    ],
)
def test_bad_reports_refused_on_their_field(dose, personas, changes, field):
    with pytest.raises(ValidationError) as refused:
        do_report_aefi(personas["commune"], dose, data=data(**changes))
    assert field in refused.value.message_dict
    assert not AefiReport.objects.exists()


def test_a_voided_dose_takes_no_report(stock_world, personas):
    voided = give(stock_world.site, stock_world.lot, stock_world.person, TODAY, voided=True)[0]
    with pytest.raises(ValidationError):
        do_report_aefi(personas["commune"], voided, data=data(onset_at=at(TODAY, 9, 30)))


def test_serious_reports_wait_in_the_districts_inbox(dose, personas):
    serious, _ = do_report_aefi(personas["commune"], dose, data=data(severity="serious", outcome="recovering"))
    do_report_aefi(personas["commune"], dose, data=data())  # a minor one: no alert
    assert selectors.inbox(personas["district"]) == [serious]
    assert selectors.inbox_count(personas["province"]) == 1
    assert selectors.inbox(personas["commune"]) == []  # the commune reports, the district receives
    assert selectors.inbox(personas["other_commune"]) == []
    assert not selectors.may_acknowledge(personas["commune"], serious)
    with pytest.raises(PermissionDenied):
        do_acknowledge_aefi(personas["commune"], serious)
    report, done = do_acknowledge_aefi(personas["district"], serious)
    assert done and report.alerted_at is not None
    assert selectors.inbox(personas["district"]) == []
    assert do_acknowledge_aefi(personas["district"], serious)[1] is False  # a second click: nothing
    event = AuditEvent.objects.filter(object_type="vaccination.aefireport", action="update").get()
    assert event.actor == personas["district"] and "acknowledged" in event.detail


def test_only_serious_reports_are_acknowledged(dose, personas):
    minor, _ = do_report_aefi(personas["commune"], dose, data=data())
    with pytest.raises(ValidationError):
        do_acknowledge_aefi(personas["district"], minor)


def test_update_keeps_a_history_and_the_district_assesses(dose, personas):
    report, _ = do_report_aefi(personas["commune"], dose, data=data())
    do_update_aefi(personas["district"], report, data={"causality": "a1", "outcome": "recovered"})
    report.refresh_from_db()
    assert (report.causality, report.outcome) == ("a1", "recovered")
    assert report.history.count() == 2
    with pytest.raises(PermissionDenied):
        do_update_aefi(personas["other_commune"], report, data={"causality": "c"})
    with pytest.raises(ValidationError):
        do_update_aefi(personas["district"], report, data={"outcome": "died"})  # still "minor"
    # a report made serious later enters the inbox
    do_update_aefi(personas["district"], report, data={"severity": "serious", "outcome": "died"})
    assert selectors.inbox(personas["district"]) == [report]


@pytest.mark.parametrize(
    "path, district",
    [
        ("/70/691/25228/25228-01/", "/70/691/"),
        ("/70/691/25228/", "/70/691/"),
        ("/70/691/", "/70/691/"),
        ("/70/", "/70/"),
    ],
)
def test_district_path(path, district):
    assert selectors.district_path(path) == district
