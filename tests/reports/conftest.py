"""Reports: a pinned "today" (the demo's 20/8/2021) and tallies written directly."""

from __future__ import annotations

from datetime import date

import pytest

DAY = date(2021, 8, 20)


@pytest.fixture(autouse=True)
def pinned_today(settings):
    settings.CHONGDICH_TODAY = f"{DAY.isoformat()}T14:00"  # the hour pinned too: results never depend on when tests run
    return DAY


@pytest.fixture
def outbreak(world, tally):
    """Tallies of the district's communes (and a commune of another province that must never count).

    Đức Hạnh: 2 community cases (1 of unknown source) three days ago, treated at home; today 1
    community case and 2 found in quarantine, 3 admitted to hospital, 1 recovered at home; F1 in
    quarantine; samples and tests; quarantine places and treatment beds.
    Phú Văn: 4 cases yesterday in a concentrated facility, 1 death today.
    """
    from datetime import timedelta

    tally(
        world.commune,
        DAY - timedelta(days=3),
        cases_new_community=2,
        cases_new_community_unknown_source=1,
        active_home=2,
        f1_home_quarantine=5,
        samples_taken=10,
        tests_done=8,
        tests_positive=2,
        samples_pending=2,
        quarantine_capacity=50,
        quarantine_occupied=5,
        treatment_capacity=20,
    )
    tally(
        world.commune,
        DAY,
        cases_new_community=1,
        cases_new_isolated=2,
        cases_hospitalised=3,
        active_hospital=3,
        cases_recovered=1,
        active_home=-1,
        f1_facility_quarantine=4,
        samples_taken=6,
        tests_done=5,
        tests_positive=3,
        samples_pending=1,
        treatment_occupied=3,
    )
    tally(world.other_commune, DAY - timedelta(days=1), cases_new_community=4, active_concentrated=4)
    tally(world.other_commune, DAY, cases_died=1, active_concentrated=-1)
    tally(world.far_commune, DAY, cases_new_community=100, active_hospital=100)
    return world


@pytest.fixture
def assessed(outbreak):
    """Risk levels published for the day (the real daily assessment)."""
    from datetime import timedelta

    from chongdich.risk.assess import assess_day
    from chongdich.territory.models import Adjacency

    for a, b in ((outbreak.commune, outbreak.other_commune), (outbreak.other_commune, outbreak.border_commune)):
        Adjacency.objects.create(unit=a, neighbour=b)
        Adjacency.objects.create(unit=b, neighbour=a)
    assess_day(DAY - timedelta(days=1))
    assess_day(DAY)
    return outbreak
