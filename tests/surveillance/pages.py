"""Fixtures shared by the surveillance page, import and graph tests (import them into a module)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

D = date(2021, 7, 10)


@pytest.fixture(autouse=True)
def fresh_tally_units():
    """The tallies' unit cache outlives a test's rolled-back units; on PostgreSQL (ids not reused) a
    stale entry points a tally at a unit that no longer exists.  Clear it around every test."""
    from chongdich.tallies.engine import UNITS

    UNITS.clear()
    yield
    UNITS.clear()


def at(day: date, hour: int = 9):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def confirm(personas):
    """confirm(person, day=D, **details) → a case recorded by the commune's health worker."""
    from chongdich.surveillance.actions import do_confirm_case

    def make(person, day: date = D, actor="health", **details):
        case, _created = do_confirm_case(personas[actor], person, confirmed_on=day, **details)
        return case

    return make


@pytest.fixture
def expose(personas):
    """expose(source, contact, day=D, kind="household") → an exposure recorded by the district."""
    from chongdich.surveillance.actions import do_record_exposure

    def make(source, contact, day: date = D, kind: str = "household", **extra):
        exposure, _created = do_record_exposure(
            personas["district"], source=source, contact=contact, kind=kind, start=at(day), **extra
        )
        return exposure

    return make
