"""Care's rule versions (F1 quarantine, home care, release, monitoring): defaults are JSON data with
sources and confidence marks, cover every date from 2020 without gaps, compile, and accept province
overrides; malformed versions are refused with the key and version; the package never imports Django."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from chongdich.care.rules import (
    ConfigError,
    Place,
    default_config,
    home_care,
    keys,
    monitoring,
    quarantine,
    quarantine_plan,
    release,
    version_from_dict,
)
from chongdich.care.rules.defaults import DEFAULT_VERSIONS
from chongdich.core.versioning import RuleVersion
from chongdich.surveillance.rules.defaults import EPIDEMIC_START
from tests.rule_packages import (
    assert_cites_a_source,
    assert_covers_every_day,
    assert_import_loads_no_django,
    assert_override_refused,
    assert_source_imports_no_django,
)

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "src" / "chongdich" / "care" / "rules"

COMPILERS = {
    keys.QUARANTINE_KEY: quarantine.compile_params,
    keys.HOME_CARE_KEY: home_care.compile_params,
    keys.RELEASE_KEY: release.compile_params,
    keys.MONITORING_KEY: monitoring.compile_params,
}


@pytest.mark.parametrize("version", DEFAULT_VERSIONS, ids=lambda v: f"{v.key}:{v.version}")
def test_defaults_are_json_and_cite_a_source_with_a_confidence_mark(version):
    json.dumps(version.values, ensure_ascii=False)
    assert_cites_a_source(version, keys.KEYS)


@pytest.mark.parametrize("version", DEFAULT_VERSIONS, ids=lambda v: f"{v.key}:{v.version}")
def test_defaults_compile(version):
    COMPILERS[version.key](version.values, version.version)


@pytest.mark.parametrize("key", keys.KEYS)
def test_each_family_covers_every_day_from_2020_without_gap_or_overlap(key):
    assert_covers_every_day(DEFAULT_VERSIONS, key, default_config(), EPIDEMIC_START)


@pytest.mark.parametrize(
    ("key", "on", "version"),
    [
        (keys.QUARANTINE_KEY, date(2021, 5, 4), "Thực tiễn 2020"),
        (keys.QUARANTINE_KEY, date(2021, 5, 5), "CĐ 600/CĐ-BCĐ"),
        (keys.QUARANTINE_KEY, date(2021, 7, 14), "CV 5599/BYT-MT"),
        (keys.QUARANTINE_KEY, date(2021, 12, 16), "CV 10696/BYT-MT"),
        (keys.QUARANTINE_KEY, date(2022, 2, 21), "Công văn BYT 21/2/2022"),
        (keys.QUARANTINE_KEY, date(2022, 4, 15), "CV 1909/BYT-DP"),
        (keys.HOME_CARE_KEY, date(2021, 8, 20), "Trước QĐ 4038 (điều trị tại cơ sở)"),
        (keys.HOME_CARE_KEY, date(2021, 8, 21), "QĐ 4038/QĐ-BYT"),
        (keys.HOME_CARE_KEY, date(2022, 1, 30), "QĐ 4038/QĐ-BYT"),
        (keys.HOME_CARE_KEY, date(2022, 1, 31), "QĐ 261/QĐ-BYT"),
        (keys.RELEASE_KEY, date(2022, 1, 27), "Thực tiễn Hà Nội cuối 2021 (mặc định)"),
        (keys.RELEASE_KEY, date(2022, 1, 28), "QĐ 250/QĐ-BYT"),
    ],
)
def test_version_in_force_by_date(key, on, version):
    assert default_config().rule(key, on).version == version


def test_monitoring_lists_the_eleven_signs_of_qd_261_and_marks_extras_recalled():
    signs = default_config().rule(keys.MONITORING_KEY, date(2022, 2, 1)).values["signs"]
    numbered = [s for s in signs if s["number"] is not None]
    assert [s["number"] for s in numbered] == list(range(1, 12))
    assert all(s["vi"] and s["en"] for s in signs)
    assert all(s["confidence"] == "R" for s in signs if s["number"] is None)


def test_province_override_changes_only_what_it_names():
    override = RuleVersion(
        keys.QUARANTINE_KEY,
        "TP.HCM: F1 cách ly tại nhà",
        date(2021, 8, 1),
        date(2021, 12, 16),
        {"default": {"place": "home"}},
        province="79",
        source="[D] thử nghiệm",
    )
    config = default_config().with_versions([override])
    here = quarantine_plan(date(2021, 9, 1), province="79", config=config)
    elsewhere = quarantine_plan(date(2021, 9, 1), province="70", config=config)
    before = quarantine_plan(date(2021, 7, 20), province="79", config=config)
    assert (here.place, here.days, here.self_monitor_days) == (Place.HOME, 14, 14)
    assert "TP.HCM" in here.rule_version and "CV 5599" in here.rule_version
    assert (elsewhere.place, elsewhere.days) == (Place.CONCENTRATED, 14)
    assert before.place is Place.CONCENTRATED


def test_province_override_of_the_10696_else_branch():
    override = RuleVersion(
        keys.QUARANTINE_KEY,
        "Tỉnh X: F1 chưa tiêm đủ 7 ngày tại nhà",
        date(2021, 12, 16),
        date(2022, 2, 21),
        {"default": {"place": "home", "days": 7, "test_days": [1, 7], "self_monitor_days": 7}},
        province="01",
    )
    plan = quarantine_plan(date(2022, 1, 10), province="01", config=default_config().with_versions([override]))
    assert (plan.place, plan.days, plan.test_days) == (Place.HOME, 7, [date(2022, 1, 10), date(2022, 1, 16)])


def test_version_from_dict_accepts_care_and_surveillance_families():
    for key in (keys.QUARANTINE_KEY, "surveillance.contact.f1"):
        version = version_from_dict({"key": key, "version": "x", "effective_from": "2022-04-15", "values": {}})
        assert version.key == key
    with pytest.raises(ConfigError):
        version_from_dict({"key": "risk.4800", "version": "x", "effective_from": "2021-11-01", "values": {}})


@pytest.mark.parametrize(
    ("key", "on", "values", "match"),
    [
        (keys.QUARANTINE_KEY, date(2021, 6, 1), {"default": {"test_days": [1, 22]}}, r"default\.test_days"),
        (keys.QUARANTINE_KEY, date(2021, 6, 1), {"default": {"place": "hotel"}}, r"default\.place"),
        (keys.QUARANTINE_KEY, date(2022, 5, 1), {"default": {"days": 3}}, r"days must be 0"),
        (keys.HOME_CARE_KEY, date(2022, 2, 1), {"spo2": {"over": 96}}, r"spo2"),
        (keys.RELEASE_KEY, date(2022, 2, 1), {"home": {"fallback_days": {"fully_vaccinated": 5}}}, r"fallback"),
        (keys.MONITORING_KEY, date(2022, 2, 1), {"required_measures": ["weight"]}, r"required_measures"),
    ],
)
def test_malformed_override_is_refused_with_key_and_version(key, on, values, match):
    assert_override_refused(default_config(), ConfigError, key, on, values, match, COMPILERS[key])


def test_no_django_import_in_the_care_rules_source():
    assert_source_imports_no_django(RULES)


def test_importing_the_rules_loads_no_django():
    assert_import_loads_no_django(
        "import chongdich.care.rules as r; r.quarantine_plan; r.check_monitoring; r.home_care_eligibility; r.release_date; r.default_config()"
    )
