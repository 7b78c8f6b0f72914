"""Rule versions: defaults compile, carry sources with confidence marks, are JSON data, and
malformed overrides are refused with the key, version and path."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from chongdich.core.versioning import RuleVersion
from chongdich.risk.rules import ConfigError, Tier, UnitInputs, assess_units, default_config, version_from_dict
from chongdich.risk.rules.config import FRAMEWORK_RULES
from chongdich.risk.rules.defaults import DEFAULT_VERSIONS
from chongdich.risk.rules.engine import evaluator
from chongdich.risk.rules.levels import Framework

START = {"2686": date(2021, 5, 31), "4800": date(2021, 10, 11), "218": date(2022, 1, 27)}


@pytest.mark.parametrize("version", DEFAULT_VERSIONS, ids=lambda v: f"{v.key}:{v.version}")
def test_defaults_are_json_and_cite_a_source_with_a_confidence_mark(version):
    json.dumps(version.values)
    assert re.search(r"\[(V|V~|R|D)[\],;: ]", version.source), version.source


@pytest.mark.parametrize("framework", list(Framework))
def test_defaults_compile(framework):
    compile_params = evaluator(framework)[0]
    for province in (None, "79", "01", "40"):
        default_config().compiled(FRAMEWORK_RULES[framework], START[framework], province, compile_params)


def test_version_from_dict():
    version = version_from_dict(
        {
            "key": "risk.4800",
            "version": "Bình Phước 1",
            "effective_from": "2021-11-01",
            "province": "70",
            "values": {"coverage_min_pct": 60},
            "source": "[D] thử",
        }
    )
    assert version == RuleVersion(
        "risk.4800", "Bình Phước 1", date(2021, 11, 1), None, {"coverage_min_pct": 60}, "70", "[D] thử"
    )


@pytest.mark.parametrize(
    "raw",
    [
        {"key": "risk.4800", "version": "x", "effective_from": "2021-13-01", "values": {}},
        {"key": "risk.4800", "version": "x", "effective_from": "2021-11-01"},
        {"key": "risk.4800", "version": "x", "effective_from": "2021-11-01", "values": [], "extra": 1},
        {"key": "risk.4800", "version": "x", "effective_from": "2021-11-01", "values": {}, "province": 70},
    ],
)
def test_version_from_dict_refuses_malformed_records(raw):
    with pytest.raises(ConfigError):
        version_from_dict(raw)


UNIT = UnitInputs("1", "Xã 1", Tier.COMMUNE, parent=None)


@pytest.mark.parametrize(
    ("framework", "values", "match"),
    [
        (
            "4800",
            {"bands": {"base": "A", "cuts": [{"label": "B", "at_least": 50}, {"label": "C", "at_least": 20}]}},
            "ascending",
        ),
        ("4800", {"bands": {"base": "A", "cuts": [{"label": "B", "at_least": 20, "more_than": 20}]}}, "exactly one"),
        ("4800", {"matrix": {"A": [1, 5]}}, "matrix.A"),
        ("4800", {"aggregation": "average"}, "aggregation"),
        ("218", {"matrix": {"1": {"HIGH": 0}}}, "matrix.1"),  # partial rows merge; a bad level does not
        ("218", {"transmission": {"indicators": ["1d"]}}, "indicators"),
        ("2686", {"adjacency": {"2": 2}}, "adjacency"),
        ("2686", {"rollup": {"share_mode": "some"}}, "share_mode"),
        ("2686", {"rollup": {"district": {"4": {}}}}, "levels"),
    ],
)
def test_malformed_overrides_are_refused_with_their_path(framework, values, match):
    on = START[framework]
    config = default_config().with_versions(
        [RuleVersion(FRAMEWORK_RULES[framework], "hỏng", on, None, values, province="70")]
    )
    with pytest.raises(ConfigError, match=match) as error:
        assess_units([UNIT], as_of=on, framework=framework, config=config, province="70")
    assert f"{FRAMEWORK_RULES[framework]} [" in str(error.value)
