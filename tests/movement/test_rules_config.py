"""The movement rule versions: defaults are JSON citing a source with a confidence mark, the checkpoint
family covers every day from 1/1/2020 without gap or overlap, every version compiles, a province
overrides what it names, malformed versions are refused naming key and version, and the package never
imports Django nor anything of chongdich but core.versioning."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from chongdich.core.versioning import RuleVersion
from chongdich.movement.rules import (
    CHECKPOINT_KEY,
    DEFAULT_VERSIONS,
    EPIDEMIC_START,
    KEYS,
    CheckpointRule,
    ConfigError,
    default_config,
    validate_overrides,
    version_from_dict,
)
from chongdich.movement.rules.checkpoint import compile_checkpoint
from chongdich.movement.rules.config import COMPILERS
from tests.rule_packages import (
    assert_cites_a_source,
    assert_covers_every_day,
    assert_import_loads_no_django,
    assert_override_refused,
    assert_source_imports_no_django,
)

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "src" / "chongdich" / "movement" / "rules"


@pytest.mark.parametrize("version", DEFAULT_VERSIONS, ids=lambda v: f"{v.key}:{v.version}")
def test_defaults_are_json_and_cite_a_source_with_a_confidence_mark(version):
    json.dumps(version.values, ensure_ascii=False)
    assert_cites_a_source(version, KEYS)


@pytest.mark.parametrize("version", DEFAULT_VERSIONS, ids=lambda v: f"{v.key}:{v.version}")
def test_defaults_compile(version):
    COMPILERS[version.key](version.values, version.version)


def test_the_checkpoint_family_covers_every_day_from_the_epidemics_start():
    assert_covers_every_day(DEFAULT_VERSIONS, CHECKPOINT_KEY, default_config(), EPIDEMIC_START)
    assert set(COMPILERS) == set(KEYS)


@pytest.mark.parametrize(
    ("on", "version", "cards", "not_checked", "test", "hours"),
    [
        (date(2020, 1, 1), "Chốt 2020", False, False, False, 72),
        (date(2021, 7, 8), "Chốt 2020", False, False, False, 72),
        (date(2021, 7, 9), "Chốt cửa ngõ 9/7/2021", False, False, True, 72),
        (date(2021, 7, 17), "Chốt cửa ngõ 9/7/2021", False, False, True, 72),
        (date(2021, 7, 18), "4977/TCĐBVN-VT", True, False, True, 72),
        (date(2021, 7, 26), "4977/TCĐBVN-VT", True, False, True, 72),
        (date(2021, 7, 27), "7630/BGTVT-VT", True, False, True, 72),
        (date(2021, 7, 29), "7630/BGTVT-VT", True, False, True, 72),
        (date(2021, 7, 30), "5187/VPCP-CN (30/7/2021)", True, True, True, 72),
        (date(2021, 10, 10), "5187/VPCP-CN (30/7/2021)", True, True, True, 72),
        (date(2021, 10, 11), "NQ 128/NQ-CP", False, False, True, 72),
        (date(2022, 4, 26), "NQ 128/NQ-CP", False, False, True, 72),
        (date(2022, 4, 27), "2118/BYT-DP", False, False, False, 72),
    ],
)
def test_version_in_force_by_date(on, version, cards, not_checked, test, hours):
    rule = default_config().checkpoint_rule(on)
    assert isinstance(rule, CheckpointRule)
    assert (rule.version, rule.recognise_cards, rule.carded_not_checked, rule.test_required) == (
        version,
        cards,
        not_checked,
        test,
    )
    assert rule.test_valid_hours == hours and rule.fever_c == Decimal("37.5")
    assert rule.name_vi and rule.name_en and rule.source and rule.effective_from <= on


def test_a_province_override_merges_over_the_national_version():
    override = version_from_dict(
        {
            "key": CHECKPOINT_KEY,
            "version": "Tỉnh 01: 48 giờ",
            "effective_from": "2021-08-01",
            "effective_to": "2021-09-01",
            "values": {"test_valid_hours": 48, "fever_c": "38.0"},
            "province": "01",
            "source": "[D] CV tỉnh",
        }
    )
    cfg = default_config().with_versions([override])
    rule = cfg.checkpoint_rule(date(2021, 8, 15), "01")
    assert (rule.test_valid_hours, rule.fever_c, rule.carded_not_checked) == (48, Decimal("38.0"), True)
    assert rule.version == "5187/VPCP-CN (30/7/2021) + Tỉnh 01: 48 giờ"
    assert cfg.checkpoint_rule(date(2021, 9, 1), "01").test_valid_hours == 72
    assert cfg.checkpoint_rule(date(2021, 8, 15), "79").test_valid_hours == 72
    validate_overrides([override])


def test_version_from_dict_knows_only_movement_families():
    with pytest.raises(ConfigError):
        version_from_dict({"key": "risk.4800", "version": "x", "effective_from": "2021-11-01", "values": {}})
    with pytest.raises(ConfigError):
        version_from_dict({"key": CHECKPOINT_KEY, "version": "x", "effective_from": "1/8/2021", "values": {}})


@pytest.mark.parametrize(
    ("values", "match"),
    [
        ({"test_valid_hours": 0}, "test_valid_hours"),
        ({"test_valid_hours": "72"}, "test_valid_hours"),
        ({"test_valid_hours": True}, "test_valid_hours"),
        ({"test_valid_hours": 10_000}, "test_valid_hours"),
        ({"no_test": "shoot"}, "no_test"),
        ({"no_declaration": ""}, "no_declaration"),
        ({"watched_area": "arrest"}, "watched_area"),
        ({"carded_not_checked": "yes"}, "carded_not_checked"),
        ({"test_kinds": []}, "test_kinds"),
        ({"test_kinds": ["pcr", "blood"]}, "test_kinds"),
        ({"test_valid_hours_by_kind": {"rat": 0}}, "test_valid_hours_by_kind"),
        ({"test_valid_hours_by_kind": {"blood": 24}}, "test_valid_hours_by_kind"),
        ({"test_exempt_colours": ["purple"]}, "test_exempt_colours"),
        ({"exempt_vehicle_types": [1]}, "exempt_vehicle_types"),
        ({"fever_c": "hot"}, "fever_c"),
        ({"fever_c": 50}, "fever_c"),
        ({"fever_c": "NaN"}, "fever_c"),
        ({"test_valid_hourz": 48}, "unknown key"),
    ],
)
def test_malformed_overrides_are_refused_naming_key_and_version(values, match):
    assert_override_refused(
        default_config(), ConfigError, CHECKPOINT_KEY, date(2021, 8, 1), values, match, compile_checkpoint
    )


def test_validate_overrides():
    with pytest.raises(ConfigError, match="province"):
        validate_overrides([RuleVersion(CHECKPOINT_KEY, "x", date(2021, 9, 1), None, {"test_valid_hours": 48})])
    with pytest.raises(ConfigError, match="family"):
        validate_overrides([RuleVersion("risk.4800", "x", date(2021, 9, 1), None, {}, province="70")])
    with pytest.raises(ConfigError, match=r"no_test.*\(on 2021-09-01\)"):
        validate_overrides([RuleVersion(CHECKPOINT_KEY, "x", date(2021, 9, 1), None, {"no_test": "x"}, "70")])
    early = RuleVersion(CHECKPOINT_KEY, "Tỉnh 70", date(2019, 6, 1), None, {"test_valid_hours": 48}, province="70")
    validate_overrides([early])  # before the family's start it is simply not in force


def test_compile_refuses_a_version_without_its_names():
    with pytest.raises(ConfigError, match="missing"):
        compile_checkpoint({"test_valid_hours": 72}, "x")
    with pytest.raises(ConfigError, match="object"):
        compile_checkpoint([], "x")


def test_no_django_import_in_the_movement_rules_source():
    assert_source_imports_no_django(RULES)
    for path in RULES.glob("*.py"):  # nothing of chongdich but core.versioning and the package itself
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.lstrip().startswith(("from chongdich", "import chongdich")):
                assert line.lstrip().startswith(("from chongdich.movement.rules", "from chongdich.core.versioning"))


def test_importing_and_using_the_rules_loads_no_django():
    assert_import_loads_no_django(
        "import chongdich.movement.rules as r; from datetime import datetime; "
        "r.normalise_plate('51C-123.45'); r.advise(r.PassageIn(at=datetime(2021, 8, 1, 9))); "
        "r.watched('red', ('79',), set(), set()); r.is_symptomatic(['fever'])"
    )


def test_the_documented_example_overrides_are_valid():
    raw = json.loads((ROOT / "docs" / "movement" / "example-rules.json").read_text(encoding="utf-8"))
    versions = [version_from_dict(item) for item in raw]
    validate_overrides(versions)
    cfg = default_config().with_versions(versions)
    assert cfg.checkpoint_rule(date(2021, 8, 1), "79").hours_for("rat") == 24
    assert cfg.checkpoint_rule(date(2021, 8, 1), "79").hours_for("pcr") == 48
    assert cfg.checkpoint_rule(date(2022, 1, 1), "01").test_kinds == {"pcr"}
