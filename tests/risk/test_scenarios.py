"""District scenarios from active cases under treatment, with response packages."""

from __future__ import annotations

from datetime import date

import pytest

from chongdich.core.versioning import RuleVersion
from chongdich.risk.rules import default_config, select_scenario

ON = date(2021, 8, 1)


@pytest.mark.parametrize(("active", "scenario"), [(0, 1), (99, 1), (100, 2), (500, 2), (501, 3), (5_000, 3)])
def test_scenario_thresholds(active, scenario):
    assert select_scenario(active, on=ON).scenario == scenario


def test_packages_are_cumulative_and_later_tasks_replace_earlier_ones():
    tasks = {t.code: t for t in select_scenario(600, on=ON).tasks}
    assert {
        "checkpoints_zoning",
        "community_teams",
        "home_treatment",
        "volunteers",
        "distancing_ct16",
        "request_support",
    } <= set(tasks)
    assert "1.000 giường" in tasks["field_hospital"].vi and "50 giường" in tasks["field_hospital"].vi
    assert tasks["field_hospital"].scenario == 3
    assert tasks["distancing_ct16"].agency_vi == "Ủy ban nhân dân huyện"
    assert all(t.deadline_hours > 0 and t.en for t in tasks.values())
    two = {t.code: t for t in select_scenario(100, on=ON).tasks}
    assert "500 giường" in two["field_hospital"].vi and "distancing_ct16" not in two


def test_reason_text():
    plan = select_scenario(501, on=ON)
    assert plan.reason.vi == "501 ca đang điều trị (n > 500) → Kịch bản 3: trên 500 ca đang điều trị"


def test_thresholds_are_configurable_per_province():
    config = default_config().with_versions(
        [
            RuleVersion(
                "risk.scenarios",
                "tỉnh nhỏ",
                ON,
                None,
                {"bands": {"base": 1, "cuts": [{"label": 2, "at_least": 50}, {"label": 3, "more_than": 200}]}},
                province="70",
            )
        ]
    )
    assert select_scenario(60, on=ON, province="70", config=config).scenario == 2
    assert select_scenario(60, on=ON, province="79", config=config).scenario == 1


@pytest.mark.parametrize("bad", [-1, 1.5, None])
def test_active_cases_must_be_a_count(bad):
    with pytest.raises(ValueError):
        select_scenario(bad, on=ON)
