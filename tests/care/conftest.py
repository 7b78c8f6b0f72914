"""Care fixtures: facilities in Đức Hạnh (commune) and in the district, cases and F1 contacts."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from chongdich.care.actions import do_create_facility
from chongdich.surveillance.actions import do_confirm_case
from chongdich.surveillance.models import Contact
from chongdich.tallies.engine import UNITS, tracked
from chongdich.tallies.rebuild import differences


@pytest.fixture(autouse=True)
def fresh_tally_units():
    """The tally engine caches commune code → unit id for the process; on PostgreSQL the ids of the
    test territory change from test to test (sequences are not rolled back), so start each test clean."""

    UNITS.clear()
    yield
    UNITS.clear()


@pytest.fixture
def quarantine_site(world, personas):
    """A concentrated quarantine site in Xã Đức Hạnh with 2 quarantine places."""

    facility, _ = do_create_facility(
        personas["district"],
        unit=world.commune,
        data={
            "name": "Khu cách ly Trường THCS Đức Hạnh",
            "kind": "concentrated_quarantine",
            "ready_within_24h": True,
            "opened_on": date(2021, 7, 1),
        },
        capacity={"quarantine": 2},
    )
    return facility


@pytest.fixture
def field_hospital(world, personas):
    """A district field hospital with treatment, oxygen and ICU beds."""

    facility, _ = do_create_facility(
        personas["district"],
        unit=world.district,
        data={"name": "Bệnh viện dã chiến Bù Gia Mập", "kind": "field_hospital", "opened_on": date(2021, 7, 1)},
        capacity={"treatment": 2, "oxygen": 1, "icu": 1, "quarantine": 5},
    )
    return facility


@pytest.fixture
def make_case(personas):

    def make(person, confirmed_on=date(2022, 2, 10), **details):
        case, _ = do_confirm_case(personas["district"], person, confirmed_on=confirmed_on, **details)
        return case

    return make


@pytest.fixture
def make_f1(personas):
    """An F1 contact row of ``case`` (as contact tracing would create it)."""

    def make(case, person, last_exposure=date(2022, 3, 1)):
        contact = Contact(
            person=person, index_case=case, rank=1, first_exposure=last_exposure, last_exposure=last_exposure
        )
        contact.place_in(person.unit)
        with tracked() as tally:  # as contact tracing does: a new F1 is tallied
            contact.save()
            tally.add(contact)
        return contact

    return make


def assert_tallies_agree():

    assert differences() == {}


@pytest.fixture(autouse=True)
def _english_messages():
    """These tests check messages by their English wording; the interface defaults to Vietnamese."""

    with translation.override("en"):
        yield
