"""R-01: framework by date; a province may keep an older framework for some days."""

from __future__ import annotations

from datetime import date

import pytest

from chongdich.core.versioning import NoRuleInForce, RuleVersion
from chongdich.risk.rules import (
    Framework,
    NoFrameworkInForce,
    Tier,
    UnitInputs,
    assess_units,
    default_config,
    select_framework,
)


@pytest.mark.parametrize(
    ("on", "framework"),
    [
        (date(2020, 4, 1), None),
        (date(2021, 5, 30), None),
        (date(2021, 5, 31), Framework.F2686),
        (date(2021, 10, 10), Framework.F2686),
        (date(2021, 10, 11), Framework.F4800),
        (date(2022, 1, 26), Framework.F4800),
        (date(2022, 1, 27), Framework.F218),
        (date(2023, 6, 1), Framework.F218),
    ],
)
def test_r01_framework_by_date(on, framework):
    assert select_framework(on) == framework


def test_r01_a_province_may_keep_the_previous_framework_for_some_days():
    late = RuleVersion(
        "risk.framework",
        "tỉnh 70 chậm 4800",
        date(2021, 10, 11),
        date(2021, 10, 18),
        {"framework": "2686"},
        province="70",
    )
    config = default_config().with_versions([late])
    assert select_framework(date(2021, 10, 15), "70", config) == Framework.F2686
    assert select_framework(date(2021, 10, 15), "79", config) == Framework.F4800
    assert select_framework(date(2021, 10, 18), "70", config) == Framework.F4800


def test_assessment_records_the_framework_used_and_refuses_dates_without_one():
    unit = UnitInputs(
        "1",
        "Xã 1",
        Tier.COMMUNE,
        clusters=(),
        unknown_source_cases_14d=0,
        known_source_cases_14d=0,
        f1_present=False,
        neighbours=(),
    )
    result = assess_units([unit], as_of=date(2021, 9, 1))[0]
    assert (result.framework, result.rule_version) == (Framework.F2686, "2686.v1")
    with pytest.raises(NoFrameworkInForce) as error:
        assess_units([unit], as_of=date(2021, 1, 1))
    assert "Chỉ thị 15/16/19" in error.value.vi
    with pytest.raises(NoRuleInForce):  # an explicit framework still needs a rule version in force
        assess_units([unit], as_of=date(2021, 1, 1), framework="2686")
