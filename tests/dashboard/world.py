"""An outbreak written straight into tallies, assessments and tasks (the dashboard reads nothing else).

Today is pinned to 20/08/2021.  Đức Hạnh (the commune) has cases every day of the last 30 days, an
active stock that started long before the window, treatment beds filling and quarantine places not
filling; its level rose from yellow to orange today.  Phú Văn has a few cases; Hồ Chí Minh City has
many (they must never show in Bình Phước's figures).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from tests.helpers import add_tally

TODAY = date(2021, 8, 20)


tally = add_tally  # the tests import it from here


def at(day: date, hour: int = 7) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def assess(unit, day, level, *, framework="2686", since=None, pending=None, tier=None):
    """A stored assessment whose level in force is ``level`` (since ``since``), with an optional
    pending change ``(level, from)``."""
    from chongdich.risk.models import RiskAssessment
    from chongdich.risk.rules import scale

    code = unit.code if unit is not None else "VN"
    return RiskAssessment.objects.create(
        unit=unit,
        code=code,
        name=unit.name if unit else "Toàn quốc",
        tier=tier or (unit.level if unit else "nation"),
        unit_path=unit.path if unit else "",
        province_code=unit.province_code if unit else "",
        day=day,
        framework=framework,
        rule_version="test",
        computed_level=level,
        applied_level=level,
        colour=scale(framework).colour(level),
        announced_at=at(day, 6),
        in_force_framework=framework,
        in_force_level=level,
        in_force_since=since or at(day - timedelta(days=30)),
        pending_framework=framework if pending else "",
        pending_level=pending[0] if pending else None,
        pending_from=pending[1] if pending else None,
    )


def task(unit, what, deadline, status="open"):
    from chongdich.risk.models import Task

    item = Task(
        code=what[:20],
        agency="health",
        agency_vi="Trung tâm Y tế",
        agency_en="Health centre",
        what_vi=what,
        what_en=what,
        deadline=deadline,
        status=status,
        source_scenario=2,
        activated_on=TODAY - timedelta(days=3),
    )
    item.place_in(unit)
    item.save()
    return item


@pytest.fixture
def today(settings):
    settings.CHONGDICH_TODAY = (
        f"{TODAY.isoformat()}T14:00"  # the hour pinned too: results never depend on when tests run
    )
    return TODAY


@pytest.fixture
def outbreak(world, today):
    w = world
    # Long before the window: 3 cases in hospital that are still there, 100 treatment beds, 50 quarantine places.
    tally(
        w.commune,
        TODAY - timedelta(days=200),
        active_hospital=3,
        treatment_capacity=100,
        quarantine_capacity=50,
        quarantine_occupied=20,
    )
    for i in range(30):
        day = TODAY - timedelta(days=29 - i)
        tally(
            w.commune,
            day,
            cases_new_community=i % 5,
            cases_new_isolated=1 if i % 3 == 0 else 0,
            active_home=i % 5,
            tests_done=10,
            tests_positive=i % 5,
            samples_taken=12,
        )
    for i in range(10):  # treatment beds: +2 occupied a day over the last 10 days
        tally(w.commune, TODAY - timedelta(days=9 - i), treatment_occupied=2)
    tally(w.commune, TODAY, f1_home_quarantine=7, f1_facility_quarantine=4, cases_died=1, active_field_hospital=2)
    tally(w.other_commune, TODAY, cases_new_community=2, active_home=2)
    tally(w.other_commune, TODAY - timedelta(days=3), cases_new_isolated=1, active_concentrated=1)
    tally(w.far_commune, TODAY, cases_new_community=500, active_hospital=500, treatment_capacity=900)
    # Levels: Đức Hạnh rose from yellow (1) to orange (2) today; Phú Văn stays green; HCM red.
    for day in (TODAY - timedelta(days=1), TODAY):
        assess(w.province, day, 1)
        assess(w.district, day, 1)
        assess(w.other_commune, day, 0)
        assess(w.border_commune, day, 0)
        assess(w.far_province, day, 3)
        assess(w.far_commune, day, 3)
    assess(w.commune, TODAY - timedelta(days=1), 1)
    assess(w.commune, TODAY, 2, since=at(TODAY, 6))
    # Tasks: one overdue in the district, one due tomorrow, one done, one overdue in another province.
    task(w.district, "Lập chốt kiểm soát", at(TODAY - timedelta(days=2)))
    task(w.district, "Rà soát người về từ vùng dịch", at(TODAY + timedelta(days=1)))
    task(w.district, "Đã xong", at(TODAY - timedelta(days=2)), status="done")
    task(w.far_province, "Việc của tỉnh khác", at(TODAY - timedelta(days=2)))
    return w
