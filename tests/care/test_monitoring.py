"""Daily monitoring: warning signs raise alerts (scoped to the person's unit); work lists."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from chongdich.care.actions import (
    do_admit,
    do_order_home_care,
    do_order_home_quarantine,
    do_record_monitoring,
    do_resolve_alert,
)
from chongdich.care.models import Alert, MonitoringEntry
from chongdich.care.plans import HomeCareFacts
from chongdich.care.worklists import work_lists
from chongdich.surveillance.models import TreatmentPlace

FACTS = HomeCareFacts(
    respiratory_rate=16, spo2=98, abnormal_breathing=False, comorbidity="none", can_self_care=True, reachable=True
)


def at(day: date, hour: int = 8) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def home_care(personas, make_person, make_case):
    person = make_person()
    make_case(person, confirmed_on=date(2022, 2, 10), treatment_place=TreatmentPlace.HOME)
    order, _ = do_order_home_care(personas["district"], person, on=date(2022, 2, 10), facts=FACTS)
    return order


def test_normal_entry_raises_nothing(personas, home_care):
    entry, alert, created = do_record_monitoring(
        personas["health"],
        home_care,
        at=at(date(2022, 2, 11)),
        temperature_c=Decimal("37.2"),
        spo2=98,
        respiratory_rate=16,
        pulse=80,
    )
    assert created and not entry.warning and alert is None and entry.rule_version


def test_low_spo2_raises_an_alert_in_the_persons_unit(personas, home_care):
    entry, alert, _ = do_record_monitoring(
        personas["community"],
        home_care,
        at=at(date(2022, 2, 11)),
        temperature_c=Decimal("38.0"),
        spo2=94,
        respiratory_rate=18,
        pulse=90,
        symptoms=["cough"],
        client_id="m-1",
    )
    assert entry.warning and alert is not None
    assert alert.unit == home_care.person.unit and alert.order == home_care
    assert any(sign["code"] == "low_spo2" for sign in alert.signs)
    # Re-sent: the same entry and alert.
    again, again_alert, created = do_record_monitoring(personas["community"], home_care, spo2=94, client_id="m-1")
    assert (again, again_alert, created) == (entry, alert, False)
    assert Alert.objects.for_user(personas["other_commune"]).count() == 0
    assert Alert.objects.for_user(personas["community"]).count() == 1
    with pytest.raises(ValidationError):
        do_resolve_alert(personas["health"], alert, note="")
    do_resolve_alert(personas["health"], alert, note="Đã gọi điện, chuyển viện")
    alert.refresh_from_db()
    assert alert.resolved_at and alert.resolved_by == personas["health"]


def test_warning_symptom_raises_an_alert(personas, home_care):
    _entry, alert, _ = do_record_monitoring(
        personas["health"], home_care, at=at(date(2022, 2, 12)), symptoms=["dyspnoea"]
    )
    assert alert is not None and alert.message


def test_implausible_readings_and_scope(personas, home_care):
    with pytest.raises(ValidationError):
        do_record_monitoring(personas["health"], home_care, at=at(date(2022, 2, 11)), temperature_c=Decimal("3.7"))
    with pytest.raises(ValidationError):
        do_record_monitoring(personas["health"], home_care, at=at(date(2022, 2, 11)), symptoms=["not_a_symptom"])
    with pytest.raises(PermissionDenied):
        do_record_monitoring(personas["other_commune"], home_care, at=at(date(2022, 2, 11)), spo2=98)
    assert not MonitoringEntry.objects.exists()


def test_work_lists(personas, make_person, quarantine_site):
    today = timezone.localdate()
    actor = personas["commune"]
    # Exposure 3 days ago: under the rule in force today F1 are not quarantined (self-monitoring);
    # work lists are about dates, so use a self-monitoring plan of today's rule.
    watched, _ = do_order_home_quarantine(
        actor, make_person(full_name="Ngô Văn Theo"), last_exposure=today - timedelta(days=3)
    )
    ending_order, _ = do_order_home_quarantine(
        actor, make_person(full_name="Ngô Văn Hết"), last_exposure=today - timedelta(days=9)
    )
    stay, _ = do_admit(
        actor,
        make_person(full_name="Ngô Văn Ở"),
        facility=quarantine_site,
        bed_type="quarantine",
        purpose="quarantine_f1",
        on=today,
        last_exposure=today,
    )
    type(stay).objects.filter(pk=stay.pk).update(test_days=[today.isoformat()], planned_end=today)
    type(watched).objects.filter(pk=watched.pk).update(test_days=[today.isoformat()])
    lists = work_lists(actor)
    assert [o.pk for o in lists.tests_orders.rows] == [watched.pk]
    assert [s.pk for s in lists.tests_stays.rows] == [stay.pk]
    assert ending_order.end == today and ending_order in lists.ending_orders.rows
    assert stay in lists.ending_stays.rows
    assert [o.pk for o in lists.overdue.rows] == [ending_order.pk, watched.pk]  # started days ago, never checked
    do_record_monitoring(actor, watched, spo2=98, temperature_c=Decimal("36.8"))
    assert [o.pk for o in work_lists(actor).overdue.rows] == [ending_order.pk]
    assert work_lists(actor, hours=12).overdue.total == 1
    assert work_lists(personas["other_commune"]).counts == {
        "tests": 0,
        "ending": 0,
        "overdue": 0,
        "alerts": 0,
        "to_place": 0,
    }


def test_work_lists_follow_a_pinned_clock(settings, personas, make_person):
    """A drill or the demo pins "today" (core.clock): work lists and date checks follow it."""
    settings.CHONGDICH_TODAY = "2022-03-07"
    order, _ = do_order_home_quarantine(personas["commune"], make_person(), last_exposure=date(2022, 3, 1))
    lists = work_lists(personas["commune"])
    assert lists.day == date(2022, 3, 7)
    assert order in lists.tests_orders.rows and order in lists.ending_orders.rows
    with pytest.raises(ValidationError, match="future"):
        do_order_home_quarantine(personas["commune"], make_person(full_name="Sau"), last_exposure=date(2022, 3, 8))
