"""Inputs gathered from tallies and records: windows, stocks, clusters, population, capacity per
100,000 of the district, readiness, neighbours; absent inputs stay absent (never 0)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chongdich.risk.inputs import gather
from chongdich.risk.models import CapacityReadiness
from tests.risk_django.conftest import DAY

pytestmark = pytest.mark.django_db


def by_code(gathered):
    return {unit.code: unit for unit in gathered.units}


def test_case_counts_use_7_and_14_day_windows_ending_on_the_day(world, tally):
    tally(world.commune, DAY - timedelta(days=20), cases_new_community=5)  # outside both windows
    tally(
        world.commune,
        DAY - timedelta(days=10),
        cases_new_community=3,
        cases_new_community_unknown_source=1,
        cases_hospitalised=1,
    )
    tally(world.commune, DAY - timedelta(days=6), cases_new_community=2, cases_died=1)  # first day of the week
    tally(world.commune, DAY + timedelta(days=1), cases_new_community=7)  # after the day
    unit = by_code(gather(DAY))["25228"]
    assert unit.new_community_cases_7d == 2
    assert unit.new_community_cases_14d == 5
    assert (unit.unknown_source_cases_14d, unit.known_source_cases_14d) == (1, 4)
    assert (unit.deaths_7d, unit.hospital_cases_7d) == (1, 0)


def test_a_commune_without_tally_rows_recorded_no_event(world):
    unit = by_code(gather(DAY))["25229"]
    assert unit.new_community_cases_7d == 0 and unit.clusters == () and unit.f1_present is False


def test_f1_present_from_the_stock_at_the_end_of_the_day(world, tally):
    tally(world.commune, DAY - timedelta(days=5), f1_home_quarantine=3)
    tally(world.commune, DAY - timedelta(days=1), f1_home_quarantine=-3)  # released
    tally(world.other_commune, DAY - timedelta(days=3), f1_facility_quarantine=2)
    gathered = gather(DAY)
    units = by_code(gathered)
    assert units["25228"].f1_present is False
    assert units["25229"].f1_present is True
    assert gathered.extra["25229"]["f1_facility_quarantine"] == 2


def test_clusters_open_with_a_case_in_the_14_days(world, cluster_with_cases):
    cluster_with_cases(world.other_commune, "market", True, days=(DAY - timedelta(days=30), DAY - timedelta(days=1)))
    cluster_with_cases(
        world.other_commune, "household", False, days=(DAY - timedelta(days=25), DAY - timedelta(days=20))
    )
    cluster_with_cases(
        world.other_commune, "school", False, days=(DAY - timedelta(days=3),) * 2, closed_on=DAY - timedelta(days=1)
    )
    cluster_with_cases(world.commune, "school", True, days=(DAY + timedelta(days=2),) * 2)  # not opened yet
    units = by_code(gather(DAY))
    assert [(c.setting, c.source_known, c.cases) for c in units["25229"].clusters] == [("market", True, 2)]
    assert units["25228"].clusters == ()


def test_population_by_age_band_and_absent_vaccination(world):
    units = by_code(gather(DAY))
    ducs = units["25228"]
    assert (ducs.population, ducs.population_18plus, ducs.population_50plus, ducs.population_65plus) == (
        9000,
        6500,
        2300,
        800,
    )
    phu_van = units["25229"]
    assert phu_van.population == 7800 and phu_van.population_18plus is None  # no age bands: absent, not 0
    for name in ("dose1_18plus", "full_50plus", "full_all", "full_high_risk", "high_risk_population"):
        assert getattr(ducs, name) is None


def test_vacant_and_icu_beds_per_100000_of_the_district(world, tally):
    world.border_commune.population_total = 3200
    world.border_commune.save()
    tally(world.commune, DAY - timedelta(days=30), treatment_capacity=50, oxygen_capacity=10, icu_capacity=5)
    tally(world.district, DAY - timedelta(days=30), treatment_capacity=100)  # a district hospital
    tally(world.commune, DAY - timedelta(days=3), treatment_occupied=20, icu_occupied=5)
    tally(world.commune, DAY + timedelta(days=1), treatment_occupied=100)  # after the day
    gathered = gather(DAY)
    units = by_code(gathered)
    district = units["691"]
    assert district.vacant_beds_per_100k == pytest.approx((165 - 25) * 100_000 / 20_000)
    assert district.icu_beds_per_100k == pytest.approx(5 * 100_000 / 20_000)
    assert units["25228"].vacant_beds_per_100k is None  # communes use their district's figure (in the engine)
    assert gathered.extra["691"] == {"covid_beds": 165, "covid_beds_occupied": 25, "icu_beds": 5}
    assert units["760"].vacant_beds_per_100k is None  # no bed recorded: absent, not 0


def test_no_rate_without_the_district_population(world, tally):
    tally(world.commune, DAY - timedelta(days=30), treatment_capacity=50)
    assert by_code(gather(DAY))["691"].vacant_beds_per_100k is None  # Bù Gia Mập commune has no population


def test_readiness_from_the_unit_else_its_district_else_its_province(world):
    CapacityReadiness.objects.create(
        unit=world.district, unit_path=world.district.path, ready=True, effective_from=DAY - timedelta(days=5)
    )
    CapacityReadiness.objects.create(
        unit=world.other_commune,
        unit_path=world.other_commune.path,
        ready=False,
        effective_from=DAY - timedelta(days=5),
    )
    CapacityReadiness.objects.create(
        unit=world.commune, unit_path=world.commune.path, ready=False, effective_from=DAY + timedelta(days=1)
    )  # not yet
    gathered = gather(DAY)
    units = by_code(gathered)
    assert units["25228"].capacity_ready is True and gathered.extra["25228"]["capacity_ready_set_at"] == "691"
    assert units["25229"].capacity_ready is False
    assert units["26734"].capacity_ready is None  # nothing declared: missing


def test_neighbours_of_the_same_tier_or_unknown(world, neighbourhood):
    units = by_code(gather(DAY))
    assert units["25229"].neighbours == ("25222", "25228")
    assert units["25228"].neighbours == ("25229",)
    assert units["26734"].neighbours is None  # no adjacency recorded: unknown, not "none"


def test_tree_and_nation(world):
    gathered = gather(DAY)
    tiers = [unit.tier.value for unit in gathered.units]
    assert tiers == sorted(tiers, key=["commune", "district", "province", "nation"].index)  # communes first
    units = by_code(gathered)
    assert units["25228"].parent == "691" and units["691"].parent == "70" and units["70"].parent == "VN"
    assert "25228-01" not in units  # villages are not assessed


def test_a_handful_of_queries_whatever_the_number_of_units(world, tally):
    from chongdich.territory.models import AdminUnit

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            gather(DAY)
        return len(queries)

    few = count()
    for n in range(30):
        commune = AdminUnit(
            code=f"2599{n:02d}",
            name=f"Xã Thử {n}",
            level="commune",
            kind="xa",
            parent=world.district,
            population_total=5000,
        )
        commune.save()
        tally(commune, DAY - timedelta(days=1), cases_new_community=1, f1_home_quarantine=2)
    assert count() == few <= 12
