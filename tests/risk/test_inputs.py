"""Validation of units: each problem names the unit and the field; nothing defaults silently."""

from __future__ import annotations

import pytest

from chongdich.risk.rules import Cluster, InputError, Tier, parse_units
from chongdich.risk.rules.inputs import INPUT_NAMES, UnitInputs
from chongdich.risk.rules.parsing import CHECKS
from chongdich.risk.rules.tree import UnitTree


def unit(**fields) -> dict:
    return {"code": "25222", "name": "Xã Bù Gia Mập", "level": "commune", "parent": None, **fields}


def problems(raw) -> list[tuple[str, str]]:
    with pytest.raises(InputError) as error:
        UnitTree(parse_units(raw))
    return [(p.unit, p.field) for p in error.value.problems]


def test_a_valid_unit_is_typed():
    [parsed] = parse_units(
        [
            unit(
                population=9_850,
                clusters=[{"source_known": False, "setting": "market", "cases": 3}],
                neighbours=["1", "1"],
                vacant_beds_per_100k=22.5,
                f1_present=True,
                previous_level=None,
                _note="ghi chú",
            )
        ]
    )
    assert parsed.tier is Tier.COMMUNE
    assert parsed.clusters == (Cluster(False, "market", 3),)
    assert parsed.neighbours == ("1",)
    assert parsed.previous_level is None
    assert parsed.dose1_18plus is None  # absent stays absent


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"population": -1}, "population"),
        ({"population": 12.5}, "population"),
        ({"population": 100.0}, "population"),
        ({"population": "100"}, "population"),
        ({"population": True}, "population"),
        ({"deaths_7d": -2}, "deaths_7d"),
        ({"vacant_beds_per_100k": -0.5}, "vacant_beds_per_100k"),
        ({"vacant_beds_per_100k": "nhiều"}, "vacant_beds_per_100k"),
        ({"f1_present": 1}, "f1_present"),
        ({"capacity_ready": "yes"}, "capacity_ready"),
        ({"neighbours": "25225"}, "neighbours"),
        ({"neighbours": [25225]}, "neighbours"),
        ({"clusters": [{"source_known": "no", "setting": "market", "cases": 2}]}, "clusters"),
        ({"clusters": [{"source_known": True, "setting": "stadium", "cases": 2}]}, "clusters"),
        ({"clusters": [{"source_known": True, "setting": "market", "cases": 0}]}, "clusters"),
        ({"clusters": [{"source_known": True, "setting": "market"}]}, "clusters"),
        ({"previous_level": "đỏ"}, "previous_level"),
        ({"hard_to_control_spread_share": 1.5}, "hard_to_control_spread_share"),
        ({"populaton": 100}, "populaton"),
        ({"level": "hamlet"}, "level"),
        ({"code": 25222}, "code"),
        ({"code": ""}, "code"),
        ({"name": None}, "name"),
        ({"parent": 691}, "parent"),
    ],
)
def test_invalid_fields_are_named(fields, field):
    found = problems([unit(**fields)])
    assert len(found) == 1 and found[0][1] == field


def test_problems_name_the_unit_by_code_and_name_or_by_position():
    assert problems([unit(population=-1)])[0][0] == "25222 (Xã Bù Gia Mập)"
    assert problems([unit(), {"name": "X", "level": "commune"}])[0][0] == "#1 (X)"


def test_every_problem_is_reported_not_just_the_first():
    assert len(problems([unit(population=-1, deaths_7d="x"), unit(code="2", level="town")])) == 3


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ([unit(), unit()], "code"),
        ([unit(parent="691")], "parent"),
        ([unit(code="691", level="district", parent="25222"), unit()], "parent"),
        ([unit(neighbours=["25225"])], "neighbours"),
        ([unit(neighbours=["25222"])], "neighbours"),
        ([unit(neighbours=["691"]), unit(code="691", level="district")], "neighbours"),
    ],
)
def test_cross_references(raw, field):
    assert problems(raw)[0][1] == field


@pytest.mark.parametrize("raw", [{"units": []}, "x", None, 3])
def test_the_document_must_be_a_list(raw):
    assert problems(raw) == [("-", "-")]


def test_problem_text_in_both_languages():
    with pytest.raises(InputError) as error:
        parse_units([unit(population=-5)])
    problem = error.value.problems[0]
    assert problem.text("vi") == "đơn vị 25222 (Xã Bù Gia Mập), trường 'population': không được âm (nhận -5)"
    assert problem.text("en") == "unit 25222 (Xã Bù Gia Mập), field 'population': must not be negative (got -5)"


def test_schema_and_dataclass_agree():
    fields = set(UnitInputs.__dataclass_fields__) - {"code", "name", "tier", "parent"}
    assert fields == set(INPUT_NAMES) == set(CHECKS)
