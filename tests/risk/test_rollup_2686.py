"""R-11 / R-12: district, province and nation levels from their sub-units (QĐ 2686)."""

from __future__ import annotations

from datetime import date

import pytest

from chongdich.core.versioning import RuleVersion
from chongdich.risk.rules import Cluster, Tier, UnitInputs, assess_units, default_config
from chongdich.risk.rules.framework_2686 import compile_params
from chongdich.risk.rules.levels import SCALES, Framework
from chongdich.risk.rules.rollup import roll_up

ON = date(2021, 8, 1)
LEVELS = SCALES[Framework.F2686]
QUIET = dict(clusters=(), unknown_source_cases_14d=0, known_source_cases_14d=0, f1_present=False, neighbours=())
FACTS = {  # own facts that put an isolated commune at each level
    0: {},
    1: {"f1_present": True},
    2: {"unknown_source_cases_14d": 1},
    3: {"clusters": (Cluster(False, "other", 2),)},
}


def params(**rollup):
    values = default_config().rule("risk.2686", ON).values
    return compile_params({**values, "rollup": {**values["rollup"], **rollup}}, "test")


def district(**facts) -> UnitInputs:
    return UnitInputs("D", "Huyện D", Tier.DISTRICT, **facts)


def rolled(children: list[int], unit: UnitInputs | None = None, mode: str = "at_or_above") -> int:
    return roll_up(unit or district(), children, params(share_mode=mode).rollup, LEVELS).level


@pytest.mark.parametrize(
    ("children", "level"),
    [
        ([3, 3, 3] + [0] * 7, 3),  # exactly 30% red → red
        ([3, 3] + [0] * 8, 2),  # 20% red: one red commune → orange
        ([2] * 5 + [0] * 5, 3),  # exactly 50% orange → red
        ([2] * 4 + [0] * 6, 2),  # 40% orange ≥ 30% → orange
        ([2] * 3 + [0] * 7, 2),  # exactly 30% orange → orange
        ([2] * 2 + [0] * 8, 1),  # 20% orange → yellow (fallback: any commune yellow or higher)
        ([1] * 5 + [0] * 5, 2),  # exactly 50% yellow → orange
        ([1] * 4 + [0] * 6, 1),
        ([1] + [0] * 9, 1),
        ([0] * 10, 0),
        ([3], 3),
    ],
)
def test_r11_district_thresholds_at_exact_shares(children, level):
    assert rolled(children) == level


def test_r11_exactly_mode_reads_shares_literally():
    assert rolled([3, 3] + [2] * 3 + [0] * 5, mode="exactly") == 2  # red 20%, orange exactly 30%
    assert rolled([3, 3] + [2] * 3 + [0] * 5, mode="at_or_above") == 3  # orange or higher: 50%


def test_r11_exactly_mode_is_not_monotone_which_is_why_it_is_not_the_default():
    assert rolled([2] * 5 + [0] * 5, mode="exactly") == 3
    assert rolled([3, 3] + [2] * 3 + [0] * 5, mode="exactly") == 2  # two communes got worse, district better
    assert default_config().rule("risk.2686", ON).values["rollup"]["share_mode"] == "at_or_above"


@pytest.mark.parametrize(("share", "level"), [(0.6, 3), (0.5, 2), (0.21, 2), (0.2, 0)])
def test_r11_hard_to_control_source_spread_share_is_strictly_above(share, level):
    assert rolled([0] * 10, district(hard_to_control_spread_share=share)) == level


def test_r11_protected_industrial_site_next_to_untraceable_source_makes_orange():
    assert rolled([0] * 4, district(protected_site_at_risk=True)) == 2


def test_r12_province_red_spread_needs_other_provinces_too():
    province = UnitInputs("P", "Tỉnh P", Tier.PROVINCE, hard_to_control_spread_share=0.7)
    assert rolled([0, 0], province) == 2
    province.spreads_to_other_provinces = True
    assert rolled([0, 0], province) == 3


def test_rollup_reasons_cite_counts_and_thresholds():
    reasons = roll_up(district(), [3, 3, 3] + [0] * 7, params().rollup, LEVELS).reasons
    assert reasons[0].text() == "R-11: 3/10 xã (30%) ở mức Đỏ trở lên, ngưỡng ≥ 30% → Đỏ"
    assert reasons[0].text("en") == "R-11: 3/10 communes (30%) at red or higher, threshold ≥ 30% → red"


def commune(code: str, level: int | None, parent: str = "D", **extra) -> UnitInputs:
    facts = {**QUIET, **FACTS[level if level is not None else 0], **extra}
    unit = UnitInputs(code, f"Xã {code}", Tier.COMMUNE, parent=parent, **facts)
    if level is None:
        unit.clusters = None
    return unit


def test_district_and_province_roll_up_from_the_file():
    units = [
        UnitInputs("P", "Tỉnh P", Tier.PROVINCE),
        UnitInputs("D", "Huyện D", Tier.DISTRICT, parent="P"),
        UnitInputs("E", "Huyện E", Tier.DISTRICT, parent="P"),
        *[commune(f"d{i}", level) for i, level in enumerate([3, 0, 0, 0])],
        *[commune(f"e{i}", 0, parent="E") for i in range(3)],
    ]
    result = {a.code: a for a in assess_units(units, as_of=ON, framework="2686")}
    assert result["D"].computed_level == 2  # one red commune
    assert result["E"].computed_level == 0
    assert result["P"].computed_level == 3  # 1 of 2 districts (50%) at orange or higher
    assert result["D"].indicators["children_by_level"] == {"0": 3, "1": 0, "2": 0, "3": 1}
    assert result["P"].method == "shares_at_or_above"


def test_nation_rolls_up_from_provinces():
    units = [
        UnitInputs("VN", "Việt Nam", Tier.NATION),
        *[UnitInputs(f"P{i}", f"Tỉnh {i}", Tier.PROVINCE, parent="VN") for i in range(3)],
        *[UnitInputs(f"D{i}", f"Huyện {i}", Tier.DISTRICT, parent=f"P{i}") for i in range(3)],
        commune("c0", 3, parent="D0"),
        commune("c1", 0, parent="D1"),
        commune("c2", 0, parent="D2"),
    ]
    result = {a.code: a.computed_level for a in assess_units(units, as_of=ON, framework="2686")}
    assert (result["P0"], result["VN"]) == (3, 3)  # 1 of 3 provinces red (33%)


def test_district_without_communes_in_the_file_has_no_level():
    result = assess_units([district()], as_of=ON, framework="2686")[0]
    assert (result.computed_level, result.missing) == (None, ["communes"])


def test_undetermined_communes_that_cannot_change_the_district_are_noted_not_blocking():
    units = [
        district(),
        *[commune(f"c{i}", 3) for i in range(3)],
        *[commune(f"g{i}", 0) for i in range(4)],
        commune("u", None),
    ]
    result = assess_units(units, as_of=ON, framework="2686")[0]
    assert result.computed_level == 3
    assert result.missing == []
    assert any("không phụ thuộc" in r.vi for r in result.reasons)


def test_undetermined_communes_that_could_change_the_district_block_it_and_are_named():
    units = [
        district(),
        commune("c0", 3),
        commune("c1", 3),
        *[commune(f"g{i}", 0) for i in range(5)],
        commune("u", None),
    ]
    result = assess_units(units, as_of=ON, framework="2686")[0]
    assert result.computed_level is None  # 2/8 red → orange, 3/8 red → red
    assert result.missing == ["u.clusters"]


def test_exactly_mode_needs_every_commune_determined():
    config = default_config().with_versions(
        [RuleVersion("risk.2686", "đếm đúng mức", ON, None, {"rollup": {"share_mode": "exactly"}}, province="70")]
    )
    units = [
        UnitInputs("70", "Tỉnh", Tier.PROVINCE),
        UnitInputs("D", "Huyện D", Tier.DISTRICT, parent="70"),
        *[commune(f"c{i}", 3) for i in range(3)],
        *[commune(f"g{i}", 0) for i in range(4)],
        commune("u", None),
    ]
    assert assess_units(units, as_of=ON, framework="2686", config=config)[1].computed_level is None
