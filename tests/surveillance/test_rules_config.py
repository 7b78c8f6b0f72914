"""Surveillance rule versions (care's: tests/care/test_rules_config.py): defaults are JSON data with sources and confidence marks, cover
every date from 2020 without gaps, compile, and accept province overrides; malformed versions
are refused with the key and version; the package never imports Django."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from chongdich.core.versioning import RuleVersion
from chongdich.surveillance.rules import (
    ConfigError,
    SurveillanceConfig,
    default_config,
    definitions,
    infectious,
    version_from_dict,
)
from chongdich.surveillance.rules import config as cfg
from chongdich.surveillance.rules.defaults import DEFAULT_VERSIONS, EPIDEMIC_START
from tests.rule_packages import (
    assert_cites_a_source,
    assert_covers_every_day,
    assert_import_loads_no_django,
    assert_override_refused,
    assert_source_imports_no_django,
)

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "src" / "chongdich" / "surveillance" / "rules"

COMPILERS = {
    cfg.INFECTIOUS_KEY: infectious.compile_params,
    cfg.F1_KEY: definitions.compile_f1,
    cfg.F2_KEY: definitions.compile_f2,
}


@pytest.mark.parametrize("version", DEFAULT_VERSIONS, ids=lambda v: f"{v.key}:{v.version}")
def test_defaults_are_json_and_cite_a_source_with_a_confidence_mark(version):
    json.dumps(version.values, ensure_ascii=False)
    assert_cites_a_source(version, cfg.KEYS)


@pytest.mark.parametrize("version", DEFAULT_VERSIONS, ids=lambda v: f"{v.key}:{v.version}")
def test_defaults_compile(version):
    compile_ = COMPILERS.get(version.key)
    if compile_ is not None:
        compile_(version.values, version.version)


@pytest.mark.parametrize("key", cfg.KEYS)
def test_each_family_covers_every_day_from_2020_without_gap_or_overlap(key):
    assert_covers_every_day(DEFAULT_VERSIONS, key, default_config(), EPIDEMIC_START)


@pytest.mark.parametrize(
    ("key", "on", "version"),
    [
        (cfg.F1_KEY, date(2022, 4, 14), "Định nghĩa F1 (29/12/2021)"),
        (cfg.F1_KEY, date(2022, 4, 15), "CV 1909/BYT-DP"),
        (cfg.F2_KEY, date(2021, 7, 30), "QĐ 3638/QĐ-BYT"),
    ],
)
def test_version_in_force_by_date(key, on, version):
    assert default_config().rule(key, on).version == version


def test_version_from_dict():
    version = version_from_dict(
        {
            "key": cfg.F1_KEY,
            "version": "Tỉnh 70: 1,5 m",
            "effective_from": "2022-04-15",
            "province": "70",
            "values": {"distance_m": 1.5},
            "source": "[D] thử",
        }
    )
    assert version == RuleVersion(
        cfg.F1_KEY, "Tỉnh 70: 1,5 m", date(2022, 4, 15), None, {"distance_m": 1.5}, "70", "[D] thử"
    )


@pytest.mark.parametrize(
    "raw",
    [
        {"key": cfg.F1_KEY, "version": "x", "effective_from": "2021-13-01", "values": {}},
        {"key": cfg.F1_KEY, "version": "x", "effective_from": "2021-11-01"},
        {"key": cfg.F1_KEY, "version": "x", "effective_from": "2021-11-01", "values": [], "extra": 1},
        {"key": cfg.F1_KEY, "version": "x", "effective_from": "2021-11-01", "values": {}, "province": 70},
        {"key": "risk.4800", "version": "x", "effective_from": "2021-11-01", "values": {}},
        {"key": cfg.F1_KEY, "version": "x", "effective_from": "2021-11-01", "effective_to": "2021-11-01", "values": {}},
    ],
)
def test_version_from_dict_refuses_malformed_records(raw):
    with pytest.raises(ConfigError):
        version_from_dict(raw)


@pytest.mark.parametrize(
    ("key", "on", "values", "match"),
    [
        (cfg.F1_KEY, date(2022, 5, 1), {"distance_m": "1"}, r"distance_m"),
        (cfg.F1_KEY, date(2022, 5, 1), {"masked_min_minutes": -1}, r"masked_min_minutes"),
    ],
)
def test_malformed_override_is_refused_with_key_and_version(key, on, values, match):
    assert_override_refused(default_config(), ConfigError, key, on, values, match, COMPILERS[key])


def test_compiled_once_per_version():
    config = SurveillanceConfig(DEFAULT_VERSIONS)
    first = config.compiled(cfg.F1_KEY, date(2022, 1, 1), None, definitions.compile_f1)[1]
    assert config.compiled(cfg.F1_KEY, date(2022, 3, 1), None, definitions.compile_f1)[1] is first


def test_no_django_import_in_the_surveillance_rules_source():
    assert_source_imports_no_django(RULES)


def test_importing_the_rules_loads_no_django():
    assert_import_loads_no_django(
        "import chongdich.surveillance.rules as r; r.ranks; r.active_count; r.classify_exposure; r.default_config()"
    )
