"""Surveillance rule versions (care's: tests/care/test_rules_config.py): defaults are JSON data with sources and confidence marks, cover
every date from 2020 without gaps, compile, and accept province overrides; malformed versions
are refused with the key and version; the package never imports Django."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from chongdich.core.versioning import NoRuleInForce, RuleVersion
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
    assert version.key in cfg.KEYS
    assert re.search(r"\[(V|V~|R|D)[\],;: ]", version.source), version.source


@pytest.mark.parametrize("version", DEFAULT_VERSIONS, ids=lambda v: f"{v.key}:{v.version}")
def test_defaults_compile(version):
    compile_ = COMPILERS.get(version.key)
    if compile_ is not None:
        compile_(version.values, version.version)


@pytest.mark.parametrize("key", cfg.KEYS)
def test_each_family_covers_every_day_from_2020_without_gap_or_overlap(key):
    national = sorted(
        (v for v in DEFAULT_VERSIONS if v.key == key and v.province is None), key=lambda v: v.effective_from
    )
    assert national[0].effective_from == EPIDEMIC_START
    for before, after in zip(national, national[1:], strict=False):
        assert before.effective_to == after.effective_from, (before.version, after.version)
    assert national[-1].effective_to is None
    with pytest.raises(NoRuleInForce):
        default_config().rule(key, EPIDEMIC_START - timedelta(days=1))


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
    override = RuleVersion(key, "Tỉnh 70 lỗi", date(2020, 1, 1), None, values, province="70")
    config = default_config().with_versions([override])
    with pytest.raises(ConfigError, match=match) as raised:
        config.compiled(key, on, "70", COMPILERS[key])
    assert key in str(raised.value) and "Tỉnh 70 lỗi" in str(raised.value)


def test_compiled_once_per_version():
    config = SurveillanceConfig(DEFAULT_VERSIONS)
    first = config.compiled(cfg.F1_KEY, date(2022, 1, 1), None, definitions.compile_f1)[1]
    assert config.compiled(cfg.F1_KEY, date(2022, 3, 1), None, definitions.compile_f1)[1] is first


def test_no_django_import_in_the_surveillance_rules_source():
    for path in RULES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not any(name.split(".")[0] in {"django", "numpy"} for name in names), f"{path.name}: {names}"
            assert not any(name.startswith("chongdich.risk") for name in names), f"{path.name}: {names}"


def test_importing_the_rules_loads_no_django():
    code = (
        "import sys, chongdich.surveillance.rules as r; r.ranks; r.active_count; r.classify_exposure; "
        "r.default_config(); "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'numpy')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
