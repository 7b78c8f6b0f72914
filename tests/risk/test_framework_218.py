"""R-30 … R-34: QĐ 218 transmission level, vaccination and death adjustments, capacity, matrix."""

from __future__ import annotations

from datetime import date

import pytest

from chongdich.core.versioning import RuleVersion
from chongdich.risk.rules import Tier, UnitInputs, assess_units, default_config

ON = date(2022, 2, 15)
# Quiet commune: T1, vaccination targets met, no deaths, capacity HIGH (3b 40, ready).
BASE = dict(
    population=100_000,
    new_community_cases_7d=0,
    hospital_cases_7d=0,
    deaths_7d=0,
    full_all=80_000,
    high_risk_population=10_000,
    full_high_risk=9_500,
    vacant_beds_per_100k=40,
    capacity_ready=True,
)


def unit(code: str = "1", tier: Tier = Tier.COMMUNE, parent: str | None = None, **inputs) -> UnitInputs:
    return UnitInputs(code, f"Đơn vị {code}", tier, parent=parent, **{**BASE, **inputs})


def assess(*units: UnitInputs, config=None, province=None):
    return assess_units(list(units), as_of=ON, framework="218", config=config, province=province)


def override(values: dict):
    return default_config().with_versions([RuleVersion("risk.218", "thử", ON, None, values, province="79")])


@pytest.mark.parametrize(
    ("cases", "t"),
    [(0, 1), (19, 1), (20, 2), (49, 2), (50, 3), (600, 3), (601, 4)],
)
def test_r30_1a_bands_per_100k(cases, t):
    assert assess(unit(new_community_cases_7d=cases))[0].indicators["transmission_level"] == t


def test_r30_1a_of_exactly_600_never_gives_t4_alone():
    result = assess(unit(new_community_cases_7d=6_000, population=1_000_000, full_all=800_000))[0]
    assert result.indicators["rate_1a_per_100k_7d"] == 600
    assert result.indicators["transmission_level"] == 3
    assert result.indicators["transmission_adjusted"] == 3
    assert result.computed_level == 2  # M[T3][HIGH]
    just_over = assess(unit(new_community_cases_7d=6_001, population=1_000_000, full_all=800_000))[0]
    assert just_over.indicators["transmission_level"] == 4


@pytest.mark.parametrize(("hospital", "t"), [(4, 1), (5, 2), (10, 3), (30, 4)])
def test_r30_t_is_the_highest_of_1a_and_1b(hospital, t):
    assert assess(unit(hospital_cases_7d=hospital))[0].indicators["transmission_level"] == t


def test_r30_indicator_set_is_configurable():
    config = override({"transmission": {"indicators": ["1a"]}})
    result = assess(unit(hospital_cases_7d=None), config=config, province="79")[0]
    assert (result.computed_level, result.missing) == (1, [])


@pytest.mark.parametrize(
    ("full_all", "full_high_risk", "adjusted"),
    [(75_000, 9_000, 1), (74_999, 9_000, 2), (75_000, 8_999, 2), (0, 0, 2)],
)
def test_r31_missed_vaccination_targets_raise_t_by_one(full_all, full_high_risk, adjusted):
    result = assess(unit(full_all=full_all, full_high_risk=full_high_risk))[0]
    assert result.indicators["transmission_adjusted"] == adjusted


def test_r31_t_never_exceeds_4():
    result = assess(unit(new_community_cases_7d=700, full_all=0))[0]
    assert result.indicators["transmission_adjusted"] == 4


@pytest.mark.parametrize(("population", "raised"), [(16_666, True), (16_667, False), (10_000, True), (100_000, False)])
def test_r32_one_death_exceeds_6_per_100k_only_below_16667_people(population, raised):
    u = unit(population=population, deaths_7d=1, full_all=population, high_risk_population=100, full_high_risk=100)
    result = assess(u)[0]
    assert result.computed_level == (2 if raised else 1)
    assert any(r.rule == "R-32" for r in result.reasons) is raised


def test_r32_reason_text_at_the_edge():
    u = unit(population=16_666, deaths_7d=1, full_all=16_666, high_risk_population=100, full_high_risk=100)
    reason = next(r for r in assess(u)[0].reasons if r.rule == "R-32")
    assert reason.vi == "1 ca tử vong/tuần = 6,0002/100.000 dân (> 6) → nâng 1: cấp 2 (vàng)"


def test_r32_can_raise_the_transmission_level_instead():
    config = override({"deaths": {"raise": "transmission"}})
    as_transmission = assess(unit(deaths_7d=7), config=config, province="79")[0]
    as_level = assess(unit(deaths_7d=7))[0]
    assert as_transmission.computed_level == 1  # M[T2][HIGH]
    assert as_level.computed_level == 2  # M[T1][HIGH] + 1
    assert any("T2" in r.vi for r in as_transmission.reasons if r.rule == "R-32")


@pytest.mark.parametrize(
    ("beds", "capacity"),
    [(40, "HIGH"), (30.01, "HIGH"), (30, "MEDIUM"), (10, "MEDIUM"), (9.99, "LOW"), (0, "LOW")],
)
def test_r33_capacity_from_vacant_beds(beds, capacity):
    assert assess(unit(vacant_beds_per_100k=beds))[0].indicators["capacity"] == capacity


def test_r33_worst_of_3a_and_3b_by_default():
    result = assess(unit(capacity_ready=False))[0]
    assert result.indicators["capacity_parts"] == {"3b": "HIGH", "3a": "LOW"}
    assert result.computed_level == 2  # M[T1][LOW]


def test_r33_3b_alone_when_configured():
    result = assess(unit(capacity_ready=None), config=override({"capacity": {"combine": "3b"}}), province="79")[0]
    assert (result.computed_level, result.indicators["capacity"]) == (1, "HIGH")


def test_r33_3c_used_once_thresholds_are_configured():
    config = override(
        {
            "capacity": {
                "3c": {"base": "LOW", "cuts": [{"label": "MEDIUM", "at_least": 2}, {"label": "HIGH", "at_least": 5}]}
            }
        }
    )
    assert assess(unit(), config=config, province="79")[0].missing == ["icu_beds_per_100k"]
    assert assess(unit(icu_beds_per_100k=3), config=config, province="79")[0].indicators["capacity"] == "MEDIUM"


def test_r33_communes_inherit_the_district_bed_figure():
    units = [
        unit("D", Tier.DISTRICT, vacant_beds_per_100k=5),
        unit("a", parent="D", vacant_beds_per_100k=None),
        unit("b", parent="D", vacant_beds_per_100k=50),
    ]
    district, a, b = assess(*units)
    assert a.indicators["capacity"] == b.indicators["capacity"] == "LOW"
    assert a.inputs["vacant_beds_per_100k"] == 5
    assert any("dùng số liệu của huyện D" in r.vi for r in b.reasons)


def test_r33_a_commune_without_any_bed_figure_points_at_its_district():
    units = [unit("D", Tier.DISTRICT, vacant_beds_per_100k=None), unit("a", parent="D", vacant_beds_per_100k=None)]
    assert assess(*units)[1].missing == ["D.vacant_beds_per_100k"]


@pytest.mark.parametrize(
    ("t", "capacity", "level"),
    [
        (1, "HIGH", 1),
        (1, "MEDIUM", 1),
        (1, "LOW", 2),
        (2, "HIGH", 1),
        (2, "MEDIUM", 2),
        (2, "LOW", 3),  # (T2, MEDIUM) → 2 verified (HCMC)
        (3, "HIGH", 2),
        (3, "MEDIUM", 3),
        (3, "LOW", 4),  # (T3, HIGH) → 2 verified (HCMC)
        (4, "HIGH", 3),
        (4, "MEDIUM", 4),
        (4, "LOW", 4),
    ],
)
def test_r34_matrix(t, capacity, level):
    cases = {1: 0, 2: 20, 3: 50, 4: 601}[t]
    beds = {"HIGH": 40, "MEDIUM": 20, "LOW": 5}[capacity]
    result = assess(unit(new_community_cases_7d=cases, vacant_beds_per_100k=beds))[0]
    assert (result.indicators["transmission_adjusted"], result.indicators["capacity"]) == (t, capacity)
    assert result.computed_level == level


def test_hcmc_checks():
    t2_medium = assess(unit(new_community_cases_7d=30, vacant_beds_per_100k=15))[0]
    t3_high = assess(unit(new_community_cases_7d=100, vacant_beds_per_100k=35))[0]
    assert t2_medium.computed_level == 2
    assert t3_high.computed_level == 2


def test_required_inputs_are_reported():
    result = assess(unit(full_high_risk=None, deaths_7d=None, capacity_ready=None))[0]
    assert result.computed_level is None
    assert result.missing == ["full_high_risk", "deaths_7d", "capacity_ready"]


def test_province_totals_and_population_weighted_beds():
    units = [
        unit("P", Tier.PROVINCE, vacant_beds_per_100k=None),
        unit("D1", Tier.DISTRICT, parent="P", vacant_beds_per_100k=40),
        unit("D2", Tier.DISTRICT, parent="P", vacant_beds_per_100k=10, population=300_000, full_all=240_000),
        unit("a", parent="D1", vacant_beds_per_100k=None),
        unit("b", parent="D2", vacant_beds_per_100k=None, population=300_000, full_all=240_000),
    ]
    province = assess(*units)[0]
    assert province.inputs["population"] == 400_000
    assert province.inputs["vacant_beds_per_100k"] == pytest.approx(17.5)  # (40×100k + 10×300k) / 400k
    assert province.indicators["capacity"] == "MEDIUM"
