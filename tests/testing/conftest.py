"""Fixtures of the testing app: a provincial lab, and samples registered through the services
(so that tallies stay in step with the records from the first write)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from chongdich.tallies.engine import UNITS
from chongdich.tallies.rebuild import differences
from chongdich.testing.actions import do_register_sample
from chongdich.testing.models import Lab


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def lab(world):

    lab = Lab(name="CDC Bình Phước", code="CDC-BP", daily_capacity=300, antigen_capacity=1000)
    lab.place_in(world.province)
    lab.save()
    return lab


@pytest.fixture
def make_sample(personas, make_person, lab, today):
    """make_sample(person=None, days_ago=1, **service kwargs) → a pending RT-PCR sample."""

    def make(person=None, days_ago: int = 1, **kwargs):
        kwargs.setdefault("kind", "rt_pcr")
        kwargs.setdefault("reason", "f1")
        kwargs.setdefault("lab", lab)
        sample, _created = do_register_sample(
            personas["national"],
            person=person or make_person(cccd=None),
            taken_on=today - timedelta(days=days_ago),
            **kwargs,
        )
        return sample

    return make


@pytest.fixture
def no_drift():
    """Call after a write: the tallies kept by the services equal a rebuild from the records."""

    def check():
        assert differences() == {}

    return check


@pytest.fixture(autouse=True)
def fresh_tally_units():
    """The tally engine caches commune ids per process; every test creates its units afresh."""

    UNITS.clear()
    yield
    UNITS.clear()


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests check messages by their English wording; the interface defaults to Vietnamese."""

    with translation.override("en"):
        yield
