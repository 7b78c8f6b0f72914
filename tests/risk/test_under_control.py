""" "Under control" criteria of QĐ 3979/3989 (with 2686)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from chongdich.risk.rules import ControlInputs, under_control

ON = date(2021, 9, 15)
GOOD = ControlInputs(
    weekly_community_cases=[900, 1000, 700, 450],
    peak_week_cases=None,
    daily_positivity_pct=[5.0 - 0.2 * day for day in range(14)],
    new_clusters_last_7d=0,
    units_by_level_before={3: 10, 2: 8, 1: 6},
    units_by_level_now={3: 5, 2: 4, 1: 3},
)


def with_(**changes) -> ControlInputs:
    return replace(GOOD, **changes)


def test_all_criteria_met():
    result = under_control(GOOD, on=ON)
    assert result.under_control is True
    assert all(result.criteria.values())
    assert result.reasons and all(r.vi and r.en for r in result.reasons)


@pytest.mark.parametrize(
    ("changes", "criterion"),
    [
        ({"weekly_community_cases": [900, 1000, 700, 700]}, "cases_falling"),  # not falling
        ({"weekly_community_cases": [900, 1000, 700, 501]}, "cases_falling"),  # not ≥50% below the 1,000 peak
        ({"daily_positivity_pct": [5.0] * 14}, "positivity_falling"),
        ({"new_clusters_last_7d": 1}, "no_new_clusters"),
        ({"units_by_level_now": {3: 6, 2: 4, 1: 3}}, "risk_areas_reduced"),  # red fell 40%
        ({"units_by_level_before": {3: 0, 2: 8, 1: 6}, "units_by_level_now": {3: 1, 2: 4, 1: 3}}, "risk_areas_reduced"),
    ],
)
def test_each_failing_criterion(changes, criterion):
    result = under_control(with_(**changes), on=ON)
    assert result.under_control is False
    assert result.criteria[criterion] is False


def test_exactly_50_percent_below_peak_and_exactly_halved_counts_are_met():
    result = under_control(with_(weekly_community_cases=[900, 1000, 700, 500]), on=ON)
    assert result.criteria["cases_falling"] is True
    assert under_control(GOOD, on=ON).criteria["risk_areas_reduced"] is True  # 10 → 5, 8 → 4, 6 → 3


def test_hcmc_needs_only_a_30_percent_fall_in_risk_areas():
    inputs = with_(units_by_level_now={3: 7, 2: 5, 1: 4})  # falls of 30%, 37.5%, 33%
    assert under_control(inputs, on=ON).criteria["risk_areas_reduced"] is False
    assert under_control(inputs, on=ON, province="79").criteria["risk_areas_reduced"] is True


def test_missing_inputs_are_named_and_give_no_answer():
    result = under_control(with_(daily_positivity_pct=None, new_clusters_last_7d=None), on=ON)
    assert result.under_control is None
    assert result.missing == ["daily_positivity_pct", "new_clusters_last_7d"]


def test_a_failing_criterion_decides_even_with_missing_inputs():
    assert under_control(with_(daily_positivity_pct=None, new_clusters_last_7d=2), on=ON).under_control is False
