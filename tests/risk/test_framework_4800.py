"""R-20 … R-25: QĐ 4800 criteria, matrix, capacity gate, optional R-23, totals roll-up."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from chongdich.core.versioning import RuleVersion
from chongdich.risk.rules import Tier, UnitInputs, assess_units, default_config, effective_from

ON = date(2021, 11, 1)
BASE = dict(
    population=10_000, new_community_cases_7d=0, dose1_18plus=7_000, population_18plus=7_000, capacity_ready=True
)


def commune(code: str = "1", parent: str | None = None, **inputs) -> UnitInputs:
    return UnitInputs(code, f"Xã {code}", Tier.COMMUNE, parent=parent, **{**BASE, **inputs})


def assess(*units: UnitInputs, config=None, province=None):
    return assess_units(list(units), as_of=ON, framework="4800", config=config, province=province)


def with_values(values: dict) -> object:
    return default_config().with_versions([RuleVersion("risk.4800", "thử", ON, None, values, province="70")])


@pytest.mark.parametrize(
    ("cases", "population", "band"),
    [
        (0, 10_000, "A"),
        (19, 100_000, "A"),
        (1, 5_001, "A"),  # 19.996
        (20, 100_000, "B"),  # r = 20 exactly
        (1, 5_000, "B"),  # r = 20 exactly, small unit
        (1, 4_000, "B"),  # spec example: r = 25, don't smooth
        (49, 100_000, "B"),
        (50, 100_000, "C"),  # r = 50 exactly
        (5, 10_000, "C"),
        (149, 100_000, "C"),
        (150, 100_000, "D"),  # r = 150 exactly
        (3, 2_000, "D"),
    ],
)
def test_r20_bands_lower_bound_inclusive(cases, population, band):
    result = assess(commune(new_community_cases_7d=cases, population=population))[0]
    assert result.indicators["band"] == band
    assert result.reasons[0].rule == "R-20"


def test_r20_reason_text():
    result = assess(commune(new_community_cases_7d=1, population=4_000))[0]
    assert result.reasons[0].text() == (
        "R-20: 25 ca mắc mới cộng đồng/100.000 dân/tuần (1 ca / 4.000 dân) → nhóm B (20 ≤ r < 50)"
    )
    assert result.reasons[0].text("en") == (
        "R-20: 25 new community cases per 100,000 per week (1 / 4,000) → band B (20 ≤ r < 50)"
    )


@pytest.mark.parametrize("population", [0, None])
def test_r20_population_missing_or_zero_gives_no_level(population):
    result = assess(commune(population=population))[0]
    assert (result.computed_level, result.applied_level, result.colour) == (None, None, None)
    assert result.missing == ["population"]


@pytest.mark.parametrize(
    ("cases", "doses", "level"),
    [
        (0, 4_900, 1),
        (0, 4_899, 2),  # A: exactly 70% of 7,000 adults is covered
        (2, 4_900, 2),
        (2, 4_899, 3),  # B
        (5, 4_900, 3),
        (5, 4_899, 4),  # C
        (15, 7_000, 4),
        (15, 0, 4),  # D
    ],
)
def test_r21_matrix(cases, doses, level):
    assert assess(commune(new_community_cases_7d=cases, dose1_18plus=doses))[0].computed_level == level


def test_hcmc_consistency_check_orange_just_under_150():
    # 15/10/2021: ~98% adults first-dosed, ~150 cases/100k/week, announced cấp 3.
    hcmc = commune(
        population=9_000_000, new_community_cases_7d=13_499, dose1_18plus=6_860_000, population_18plus=7_000_000
    )
    assert assess(hcmc)[0].computed_level == 3
    hcmc.new_community_cases_7d = 13_500
    assert assess(hcmc)[0].computed_level == 4


@pytest.mark.parametrize(
    ("ready", "previous", "level", "fragment"),
    [
        (False, 3, 3, "không hạ thấp hơn kỳ trước"),  # would be 1, held at 3
        (False, None, 1, "đánh giá lần đầu"),  # first assessment: computed level kept
        (False, 1, 1, "không hạ thấp"),
        (True, 3, 1, "đạt"),  # capacity ready: may go down
    ],
)
def test_r22_capacity_gate_uses_the_previous_level(ready, previous, level, fragment):
    result = assess(commune(capacity_ready=ready, previous_level=previous))[0]
    assert result.computed_level == level
    gate = [r for r in result.reasons if r.rule == "R-22"]
    assert len(gate) == 1 and fragment in gate[0].vi


def test_r22_gate_can_be_switched_off():
    result = assess(
        commune(capacity_ready=False, previous_level=3), config=with_values({"capacity_gate": False}), province="70"
    )[0]
    assert result.computed_level == 1


def test_r22_capacity_is_required():
    assert assess(commune(capacity_ready=None))[0].missing == ["capacity_ready"]


def test_r23_is_off_by_default():
    result = assess(commune(new_community_cases_7d=1, full_50plus=0, population_50plus=2_000))[0]
    assert result.computed_level == 1
    assert "full_50plus" not in result.inputs


@pytest.mark.parametrize(
    ("cases", "full", "level"),
    [(1, 1_599, 2), (1, 1_600, 1), (0, 0, 1), (15, 0, 4), (5, 0, 4)],
)
def test_r23_when_enabled_raises_one_level_below_80_percent_with_cases(cases, full, level):
    config = with_values({"r23": {"enabled": True}})
    unit = commune(new_community_cases_7d=cases, full_50plus=full, population_50plus=2_000)
    assert assess(unit, config=config, province="70")[0].computed_level == level


def test_a_zero_denominator_only_matters_when_its_rule_is_used():
    assert assess(commune(population_50plus=0))[0].computed_level == 1
    result = assess(commune(population_18plus=0))[0]
    assert (result.computed_level, result.missing) == (None, ["population_18plus"])
    result = assess(
        commune(population_50plus=0, full_50plus=0), config=with_values({"r23": {"enabled": True}}), province="70"
    )[0]
    assert result.missing == ["population_50plus"]


def test_r23_when_enabled_needs_the_50plus_inputs():
    result = assess(commune(), config=with_values({"r23": {"enabled": True}}), province="70")[0]
    assert result.missing == ["full_50plus", "population_50plus"]


@pytest.mark.parametrize(
    "absent", ["population", "new_community_cases_7d", "dose1_18plus", "population_18plus", "capacity_ready"]
)
def test_each_required_input_is_reported_by_name(absent):
    result = assess(commune(**{absent: None}))[0]
    assert (result.computed_level, result.missing) == (None, [absent])
    assert "thiếu dữ liệu bắt buộc" in result.reasons[0].vi


def test_r24_level_takes_effect_48_hours_after_announcement():
    assert effective_from(datetime(2021, 11, 1, 17, 0)) == datetime(2021, 11, 3, 17, 0)
    assert effective_from(datetime(2021, 11, 1, 17, 0), 24) == datetime(2021, 11, 2, 17, 0)


def test_r25_district_uses_the_same_criteria_on_totals():
    units = [
        UnitInputs("D", "Huyện D", Tier.DISTRICT),
        commune("a", "D", new_community_cases_7d=1, population=4_000, dose1_18plus=2_800, population_18plus=2_800),
        commune("b", "D", new_community_cases_7d=0, population=6_000, dose1_18plus=3_000, population_18plus=4_200),
    ]
    district, a, b = assess(*units)
    assert (a.computed_level, b.computed_level) == (2, 1)
    assert district.inputs["population"] == 10_000
    assert district.indicators["band"] == "A"  # 1 / 10,000 = 10 per 100k
    assert district.indicators["adult_first_dose_pct"] == pytest.approx(82.86, abs=0.01)
    assert district.computed_level == 1
    assert district.method == "totals"
    assert district.reasons[0].text() == "R-25: tính trên tổng số liệu của 2 đơn vị trực thuộc"


def test_r25_district_is_ready_only_if_every_commune_is():
    units = [
        UnitInputs("D", "Huyện D", Tier.DISTRICT, previous_level=3),
        commune("a", "D"),
        commune("b", "D", capacity_ready=False),
    ]
    assert assess(*units)[0].computed_level == 3


def test_r25_a_commune_missing_an_input_is_named_in_the_district_result():
    units = [UnitInputs("D", "Huyện D", Tier.DISTRICT), commune("a", "D"), commune("b", "D", dose1_18plus=None)]
    assert assess(*units)[0].missing == ["b.dose1_18plus"]


def test_r25_notes_when_a_district_figure_differs_from_its_communes_total():
    units = [UnitInputs("D", "Huyện D", Tier.DISTRICT, population=25_000), commune("a", "D"), commune("b", "D")]
    notes = [r for r in assess(*units)[0].reasons if "khác tổng" in r.vi]
    assert len(notes) == 1 and "25.000" in notes[0].vi and "20.000" in notes[0].vi


def test_r25_highest_child_method_is_configurable_and_recorded():
    config = with_values({"aggregation": "highest_child"})
    units = [
        UnitInputs("70", "Tỉnh", Tier.PROVINCE),
        UnitInputs("D", "Huyện D", Tier.DISTRICT, parent="70"),
        commune("a", "D", new_community_cases_7d=2),
        commune("b", "D"),
    ]
    province, district, a, b = assess(*units, config=config)
    assert (a.computed_level, district.computed_level, province.computed_level) == (2, 2, 2)
    assert district.method == "highest_child"


def test_a_district_without_communes_in_the_file_is_assessed_on_its_own_figures():
    result = assess(UnitInputs("D", "Huyện D", Tier.DISTRICT, **BASE))[0]
    assert result.computed_level == 1
    assert result.method == "own_inputs"
