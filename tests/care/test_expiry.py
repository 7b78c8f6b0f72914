"""§6: quarantine orders and stays end by themselves after their planned end (idempotent, tallied in the same
transaction, tracing released), and F1 are counted by dates so the figure is right even before the job runs."""

from datetime import date, timedelta

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from chongdich.care.actions import do_admit, do_order_home_quarantine
from chongdich.care.actions.expiry import end_due
from chongdich.care.models import DischargeReason, HomeOrder, OrderKind, OrderStatus, Stay
from chongdich.care.selectors import occupied_on
from chongdich.care.tasks import end_due_orders, next_run, schedule_next
from chongdich.core.models import AuditEvent
from chongdich.risk.assess import assess_day
from chongdich.surveillance.models import ContactStatus
from chongdich.tallies.selectors import levels_on
from tests.care.conftest import assert_tallies_agree

EXPOSED = date(2022, 3, 1)  # 21/2/2022 rule, not vaccinated: quarantine 1–7/3, self-monitoring until 10/3


@pytest.fixture
def f1(make_person, make_case, make_f1):
    case = make_case(make_person(full_name="Ca Nguồn"), confirmed_on=date(2022, 3, 2))
    return make_f1(case, make_person(full_name="Người Cách Ly"), last_exposure=EXPOSED)


def f1_levels(world, day):
    levels = levels_on(world.district.path, day)
    return levels["f1_home_quarantine"], levels["f1_facility_quarantine"]


def test_a_home_quarantine_past_its_end_completes_by_itself(settings, world, personas, f1):
    order, _ = do_order_home_quarantine(personas["commune"], f1.person, last_exposure=EXPOSED, contact=f1)
    assert (order.end, order.self_monitor_until) == (date(2022, 3, 7), date(2022, 3, 10))
    assert f1_levels(world, date(2022, 3, 7)) == (1, 0) and f1_levels(world, date(2022, 3, 8)) == (0, 0)
    settings.CHONGDICH_TODAY = "2022-03-10"  # still self-monitoring: nothing to end
    assert end_due().as_dict() == {"stays": 0, "orders": 0}
    settings.CHONGDICH_TODAY = "2022-04-02"  # weeks later, nobody closed it by hand
    assert end_due().as_dict() == {"stays": 0, "orders": 1}
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED and order.ended_on == date(2022, 3, 11)
    assert order.last_day == date(2022, 3, 7)  # the figures of the past do not move
    f1.refresh_from_db()
    assert f1.status == ContactStatus.RELEASED
    assert AuditEvent.objects.filter(object_type="care.homeorder", detail__automatic=True).count() == 1
    assert_tallies_agree()
    assert end_due().as_dict() == {"stays": 0, "orders": 0}  # idempotent


def test_a_quarantine_stay_past_its_end_is_discharged_and_its_self_monitoring_follows(
    settings, world, personas, quarantine_site, f1
):
    stay, _ = do_admit(
        personas["commune"],
        f1.person,
        facility=quarantine_site,
        bed_type="quarantine",
        purpose="quarantine_f1",
        on=date(2022, 3, 2),
        contact=f1,
        last_exposure=EXPOSED,
    )
    assert stay.planned_end == date(2022, 3, 7)
    # Counted by dates: out of the F1 figure the day after the planned end, though the stay is still open.
    assert f1_levels(world, date(2022, 3, 7)) == (0, 1) and f1_levels(world, date(2022, 3, 8)) == (0, 0)
    settings.CHONGDICH_TODAY = "2022-03-09"
    assert end_due().as_dict() == {"stays": 1, "orders": 0}
    stay.refresh_from_db()
    assert (stay.discharged_on, stay.discharge_reason) == (date(2022, 3, 8), DischargeReason.COMPLETED)
    assert occupied_on([quarantine_site.pk], date(2022, 3, 8)) == {}  # the bed is free from the 8th
    follow_up = HomeOrder.objects.get(person=f1.person, kind=OrderKind.SELF_MONITORING)
    assert follow_up.status == OrderStatus.ACTIVE and (follow_up.start, follow_up.end) == (
        date(2022, 3, 8),
        date(2022, 3, 10),
    )
    f1.refresh_from_db()
    assert f1.status == ContactStatus.RELEASED
    assert_tallies_agree()


def test_a_late_run_ends_the_stay_and_the_self_monitoring_that_also_ended(settings, personas, quarantine_site, f1):
    do_admit(
        personas["commune"],
        f1.person,
        facility=quarantine_site,
        bed_type="quarantine",
        purpose="quarantine_f1",
        on=date(2022, 3, 2),
        contact=f1,
        last_exposure=EXPOSED,
    )
    settings.CHONGDICH_TODAY = "2022-05-01"
    assert end_due().as_dict() == {"stays": 1, "orders": 1}
    follow_up = HomeOrder.objects.get(person=f1.person)
    assert follow_up.status == OrderStatus.COMPLETED and follow_up.ended_on == date(2022, 3, 11)
    assert_tallies_agree()


def test_treatment_stays_and_home_care_are_not_ended_by_the_job(
    settings, personas, field_hospital, make_person, make_case
):
    person = make_person()
    case = make_case(person, confirmed_on=date(2022, 3, 2))
    do_admit(
        personas["district"],
        person,
        facility=field_hospital,
        bed_type="treatment",
        purpose="treatment",
        on=date(2022, 3, 2),
        case=case,
    )
    Stay.objects.filter(person=person).update(planned_end=date(2022, 3, 5))
    settings.CHONGDICH_TODAY = "2022-04-01"
    assert end_due().as_dict() == {"stays": 0, "orders": 0}
    assert Stay.objects.get(person=person).discharged_on is None


def test_the_job_runs_as_a_task_and_before_the_daily_assessment(settings, world, personas, f1):

    first, _ = do_order_home_quarantine(personas["commune"], f1.person, last_exposure=EXPOSED)
    settings.CHONGDICH_TODAY = "2022-04-02"
    result = end_due_orders.enqueue()  # the immediate backend of the tests runs it at once
    assert result.return_value == {"stays": 0, "orders": 1}
    HomeOrder.objects.filter(pk=first.pk).update(status=OrderStatus.ACTIVE, ended_on=None)  # as if never run
    assess_day(date(2022, 4, 2))
    assert HomeOrder.objects.get(pk=first.pk).status == OrderStatus.COMPLETED
    assert_tallies_agree()


def test_each_run_queues_the_next_one_for_the_night_once(world):

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}):
        assert schedule_next() and not schedule_next()  # queued once
        queued = DBTaskResult.objects.get(task_path=end_due_orders.module_path)
        assert queued.status == "READY" and queued.run_after == next_run()
        assert next_run() - timedelta(days=1) < queued.run_after
