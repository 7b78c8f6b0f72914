"""Helpers of the watch tests: assessments with an announced change, estimates, runouts, the people who
act on them (a facility manager and lab staff besides the personas), and who received what."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

TODAY = date(2021, 10, 15)


def at(day: date, hour: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def assessment(unit, day: date, level: int, *, framework="4800", pending: int | None = None, pending_from=None):
    """A stored assessment of ``unit`` on ``day``: ``level`` in force, and ``pending`` announced from
    ``pending_from`` (two days after the day by default), as risk.assess writes them."""
    from chongdich.risk.models import RiskAssessment

    return RiskAssessment.objects.create(
        unit=unit,
        code=unit.code,
        name=unit.name,
        tier=unit.level,
        unit_path=unit.path,
        province_code=unit.province_code,
        day=day,
        framework=framework,
        rule_version="t",
        computed_level=pending if pending is not None else level,
        applied_level=pending if pending is not None else level,
        announced_at=at(day, 6),
        in_force_framework=framework,
        in_force_level=level,
        in_force_since=at(date(2021, 9, 1)),
        pending_framework=framework if pending is not None else "",
        pending_level=pending,
        pending_from=(pending_from or at(day, 6) + timedelta(days=2)) if pending is not None else None,
    )


def estimate(unit, day: date, rt: float, p_below_1: float, *, reliable=True, lo=None, hi=None):
    from chongdich.forecast.models import Estimate

    row = Estimate(
        day=day,
        tier=unit.level,
        window=7,
        cases_window=40 if reliable else 3,
        reliable=reliable,
        rt_mean=rt,
        rt_lo=lo if lo is not None else rt - 0.2,
        rt_hi=hi if hi is not None else rt + 0.2,
        p_below_1=p_below_1,
    )
    row.place_in(unit)
    row.save()
    return row


def runout(unit, day: date, kind: str, ref: str, days: int | None, *, capacity=20, current=15, link="/care/"):
    from chongdich.forecast.models import Runout

    row = Runout(
        as_of=day,
        kind=kind,
        subject=f"Khu cách ly {ref}",
        subject_ref=ref,
        link=link,
        capacity=capacity,
        current=current,
        days=days,
        days_early=None if days is None else max(days - 1, 0),
        on_day=None if days is None else day + timedelta(days=days),
    )
    row.place_in(unit)
    row.save()
    return row


def received(user, kind: str) -> int:
    from chongdich.notices.models import Receipt

    return Receipt.objects.filter(user=user, notice__kind=kind).count()


def receivers(kind: str) -> set[str]:
    from chongdich.notices.models import Receipt

    return set(Receipt.objects.filter(notice__kind=kind).values_list("user__username", flat=True))


@pytest.fixture(name="watch_people")
def watch_people_fixture(world, personas, settings):
    """The personas plus a facility manager and lab staff of the commune, a checkpoint officer of the
    commune and a health worker of the sibling commune; the clock pinned to TODAY 10:00."""
    from chongdich.accounts.models import Grant, User

    settings.CHONGDICH_TODAY = f"{TODAY.isoformat()}T10:00"
    people = dict(personas)
    for name, role, unit in (
        ("facility", "facility_manager", world.commune),
        ("lab", "lab_staff", world.commune),
        ("guard", "checkpoint_officer", world.commune),
        ("other_health", "health_staff", world.other_commune),
    ):
        user = User.objects.create_user(username=name, password="test-password-123", full_name=name.title())
        Grant.objects.create(user=user, role=role, unit=unit)
        people[name] = user
    return people
