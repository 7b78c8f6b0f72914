"""The vaccination rule versions: defaults are JSON with sources and confidence marks, every family
covers every day from its start without gaps, every version compiles, provinces override what they
name (AstraZeneca from 4 weeks on and after 20/9/2021, never below the national floor), malformed
versions are refused with key and version, and the package never imports Django."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from chongdich.core.versioning import NoRuleInForce, RuleVersion
from chongdich.vaccination.rules import (
    GROUPS_KEY,
    KEYS,
    PRODUCTS_KEY,
    SCREENING_KEY,
    TARGETS_KEY,
    ConfigError,
    az_four_weeks,
    default_config,
    version_from_dict,
)
from chongdich.vaccination.rules.config import COMPILERS
from chongdich.vaccination.rules.defaults import DEFAULT_VERSIONS, EPIDEMIC_START, VACCINATION_START
from chongdich.vaccination.rules.defaults_groups import D_1210
from tests.rule_packages import (
    assert_cites_a_source,
    assert_covers_every_day,
    assert_import_loads_no_django,
    assert_override_refused,
    assert_source_imports_no_django,
)

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "src" / "chongdich" / "vaccination" / "rules"
STARTS = {
    PRODUCTS_KEY: VACCINATION_START,
    GROUPS_KEY: D_1210,
    "vaccination.colour": EPIDEMIC_START,
    SCREENING_KEY: VACCINATION_START,
    TARGETS_KEY: VACCINATION_START,
}


@pytest.mark.parametrize("version", DEFAULT_VERSIONS, ids=lambda v: f"{v.key}:{v.version}")
def test_defaults_are_json_and_cite_a_source_with_a_confidence_mark(version):
    json.dumps(version.values, ensure_ascii=False)
    assert_cites_a_source(version, KEYS)


@pytest.mark.parametrize("version", DEFAULT_VERSIONS, ids=lambda v: f"{v.key}:{v.version}")
def test_defaults_compile(version):
    COMPILERS[version.key](version.values, version.version)


@pytest.mark.parametrize("key", KEYS)
def test_each_family_covers_every_day_from_its_start_without_gap_or_overlap(key):
    assert_covers_every_day(DEFAULT_VERSIONS, key, default_config(), STARTS[key])


def test_every_family_has_a_start():
    assert set(STARTS) == set(KEYS)


@pytest.mark.parametrize(
    ("key", "on", "version"),
    [
        (PRODUCTS_KEY, date(2021, 3, 8), "Triển khai 2021 (≥ 18 tuổi; AZ 8–12 tuần)"),
        (PRODUCTS_KEY, date(2021, 9, 19), "Triển khai 2021 (≥ 18 tuổi; AZ 8–12 tuần)"),
        (PRODUCTS_KEY, date(2021, 9, 20), "Từ 20/9/2021 (tỉnh được rút AZ còn ≥ 4 tuần)"),
        (PRODUCTS_KEY, date(2021, 10, 27), "Trẻ 12–17 tuổi (Pfizer)"),
        (PRODUCTS_KEY, date(2021, 11, 19), "Mũi bổ sung và mũi nhắc lại (11/2021)"),
        (PRODUCTS_KEY, date(2022, 4, 14), "Trẻ 5–11 tuổi (Pfizer 10 µg)"),
        (GROUPS_KEY, date(2021, 2, 25), "QĐ 1210/QĐ-BYT (11 nhóm)"),
        (GROUPS_KEY, date(2021, 2, 26), "NQ 21/NQ-CP (9 nhóm)"),
        (GROUPS_KEY, date(2021, 7, 7), "NQ 21/NQ-CP (9 nhóm)"),
        (GROUPS_KEY, date(2021, 7, 8), "QĐ 3355/QĐ-BYT (16 nhóm)"),
        (SCREENING_KEY, date(2021, 6, 17), "QĐ 1464/QĐ-BYT"),
        (SCREENING_KEY, date(2021, 6, 18), "QĐ 2995/QĐ-BYT"),
        (SCREENING_KEY, date(2021, 10, 28), "QĐ 2995/QĐ-BYT"),
        (SCREENING_KEY, date(2021, 10, 29), "QĐ 5002/QĐ-BYT"),
    ],
)
def test_version_in_force_by_date(key, on, version):
    assert default_config().rule(key, on).version == version


def test_the_catalogue_has_the_products_of_the_issue_with_their_series():
    products = default_config().products(date(2021, 12, 1))
    assert {"AZ", "PF", "MO", "VC", "SP", "AB", "JJ", "HV"} <= set(products)
    series = {
        code: (p.primary_doses, [(i.min_days, i.recommended_days) for i in p.intervals]) for code, p in products.items()
    }
    assert series["PF"] == (2, [(21, 21)])
    assert series["MO"] == (2, [(28, 28)])
    assert series["AZ"] == (2, [(56, 56)])
    assert products["AZ"].intervals[0].max_days == 84  # 8–12 weeks
    assert series["VC"] == (2, [(21, 21)]) and products["VC"].intervals[0].max_days == 28  # 3–4 weeks
    assert series["SP"] == (2, [(21, 21)])
    assert series["AB"] == (3, [(14, 14), (14, 14)])
    assert series["JJ"] == (1, [])
    assert all(p.min_age == 18 for code, p in products.items() if code != "PF")
    assert products["PF"].min_age == 12


def test_before_the_first_doses_there_is_no_catalogue():
    with pytest.raises(NoRuleInForce):
        default_config().products(date(2021, 3, 7))


def test_groups_16_of_3355_and_9_of_nq21_with_high_risk_marked():
    cfg = default_config()
    g3355 = cfg.groups(date(2021, 8, 1))
    nq21 = cfg.groups(date(2021, 3, 1))
    assert [g.code for g in g3355] == [f"G{n:02d}" for n in range(1, 17)]
    assert [g.number for g in nq21] == list(range(1, 10))
    assert [g.code for g in g3355 if g.high_risk] == ["G08"]
    assert [g.code for g in nq21 if g.high_risk] == ["G05"]
    assert all(g.name_vi and g.name_en for g in (*g3355, *nq21))
    assert len(cfg.groups(date(2021, 2, 10))) == 11


def test_province_edits_its_group_list():
    override = RuleVersion(
        GROUPS_KEY,
        "Tỉnh 70: thêm nhóm",
        date(2021, 8, 1),
        None,
        {
            "groups": {
                "G17": {"number": 17, "vi": "Người bán vé số", "en": "Lottery sellers", "high_risk": False},
                "G13": None,
                "G08": {"vi": "Người ≥ 50 tuổi, bệnh nền"},
            }
        },
        province="70",
        source="[D] test",
    )
    cfg = default_config().with_versions([override])
    mine = {g.code: g for g in cfg.groups(date(2021, 9, 1), "70")}
    assert "G17" in mine and "G13" not in mine and len(mine) == 16
    assert mine["G08"].name_vi == "Người ≥ 50 tuổi, bệnh nền" and mine["G08"].high_risk
    assert len(cfg.groups(date(2021, 9, 1), "71")) == 16
    assert len(cfg.groups(date(2021, 7, 31), "70")) == 16


def test_coverage_target_95_and_a_province_override():
    cfg = default_config()
    assert cfg.coverage_target_pct(date(2021, 10, 1)) == 95
    override = RuleVersion(
        TARGETS_KEY,
        "Tỉnh 70",
        date(2021, 10, 1),
        None,
        {"coverage_pct": "90.5", "groups": {"G08": 100}},
        province="70",
        source="[D]",
    )
    cfg = cfg.with_versions([override])
    assert cfg.coverage_target_pct(date(2021, 10, 1), "70") == Fraction(181, 2)
    assert cfg.coverage_target_pct(date(2021, 10, 1), "70", group="G08") == 100
    assert cfg.coverage_target_pct(date(2021, 9, 30), "70") == 95


def _az_interval(cfg, on, province):
    return cfg.products(on, province)["AZ"].intervals[0]


def test_az_four_weeks_override_applies_on_and_after_20_9_2021_only():
    cfg = default_config().with_versions([az_four_weeks("70")])
    assert _az_interval(cfg, date(2021, 9, 20), "70").min_days == 28
    assert _az_interval(cfg, date(2022, 1, 1), "70").min_days == 28
    assert _az_interval(cfg, date(2021, 9, 19), "70").min_days == 56
    assert _az_interval(cfg, date(2021, 9, 20), "71").min_days == 56
    assert _az_interval(cfg, date(2021, 9, 20), None).min_days == 56


def test_a_province_may_not_go_below_the_national_floor():
    early = az_four_weeks("70", effective_from=date(2021, 9, 1))
    cfg = default_config().with_versions([early])
    with pytest.raises(ConfigError, match=r"AZ\.intervals\.1\.min_days = 28 is below the national floor of 56"):
        cfg.products(date(2021, 9, 19), "70")
    assert _az_interval(cfg, date(2021, 9, 20), "70").min_days == 28
    pfizer = RuleVersion(
        PRODUCTS_KEY,
        "Tỉnh 70: PF 14 ngày",
        date(2021, 10, 1),
        None,
        {"products": {"PF": {"intervals": {"1": {"min_days": 14, "recommended_days": 14}}}}},
        province="70",
        source="[D]",
    )
    with pytest.raises(ConfigError, match="PF"):
        default_config().with_versions([pfizer]).products(date(2021, 10, 2), "70")


def test_a_province_may_withdraw_a_product_or_add_one():
    override = RuleVersion(
        PRODUCTS_KEY,
        "Tỉnh 70",
        date(2021, 10, 1),
        None,
        {
            "products": {
                "CX": None,
                "NV": {
                    "name": "Novavax (Nuvaxovid)",
                    "primary_doses": 2,
                    "intervals": {"1": {"min_days": 21, "recommended_days": 21}},
                    "min_age": 18,
                    "max_age": None,
                    "follow_ups": ["NV"],
                    "booster_products": ["NV", "PF", "MO"],
                },
            }
        },
        province="70",
        source="[D]",
    )
    products = default_config().with_versions([override]).products(date(2021, 12, 1), "70")
    assert "CX" not in products and products["NV"].primary_doses == 2


def test_version_from_dict_knows_only_vaccination_families():
    version = version_from_dict(
        {"key": PRODUCTS_KEY, "version": "x", "effective_from": "2021-09-20", "values": {}, "province": "70"}
    )
    assert version.province == "70"
    with pytest.raises(ConfigError):
        version_from_dict({"key": "risk.4800", "version": "x", "effective_from": "2021-11-01", "values": {}})


@pytest.mark.parametrize(
    ("key", "on", "values", "match"),
    [
        (PRODUCTS_KEY, date(2021, 10, 1), {"products": {"PF": {"primary_doses": 3}}}, r"PF\.intervals"),
        (PRODUCTS_KEY, date(2021, 10, 1), {"products": {"PF": {"min_age": -1}}}, r"PF\.min_age"),
        (PRODUCTS_KEY, date(2021, 10, 1), {"products": {"pf": {"name": "x"}}}, r"bad product code"),
        (PRODUCTS_KEY, date(2021, 10, 1), {"products": {"PF": {"follow_ups": "MO"}}}, r"PF\.follow_ups"),
        (
            PRODUCTS_KEY,
            date(2021, 10, 1),
            {"products": {"MO": {"intervals": {"1": {"min_days": 30, "recommended_days": 28}}}}},
            r"recommended_days",
        ),
        (PRODUCTS_KEY, date(2021, 12, 1), {"booster": {"min_months": "6"}}, r"booster\.min_months"),
        (PRODUCTS_KEY, date(2021, 12, 1), {"booster": {"speed": 1}}, r"unknown \['speed'\]"),
        (GROUPS_KEY, date(2021, 8, 1), {"groups": {"G02": {"number": 1}}}, r"share a number"),
        (GROUPS_KEY, date(2021, 8, 1), {"groups": {"G02": {"high_risk": "yes"}}}, r"G02\.high_risk"),
        ("vaccination.colour", date(2021, 8, 1), {"green": {"recovered_max_days": -1}}, r"recovered_max_days"),
        (SCREENING_KEY, date(2021, 11, 1), {"questions": {"pregnant": {"yes": "maybe"}}}, r"pregnant\.yes"),
        (SCREENING_KEY, date(2021, 11, 1), {"questions": {"pregnant": {"yes": "eligible"}}}, r"pregnant\.yes"),
        (SCREENING_KEY, date(2021, 11, 1), {"vitals": {"weight": {"vi": "x"}}}, r"unknown measurement"),
        (TARGETS_KEY, date(2021, 11, 1), {"coverage_pct": 120}, r"coverage_pct"),
    ],
)
def test_malformed_override_is_refused_with_key_and_version(key, on, values, match):
    assert_override_refused(default_config(), ConfigError, key, on, values, match, COMPILERS[key])


def test_no_django_import_in_the_vaccination_rules_source():
    assert_source_imports_no_django(RULES)
    for path in RULES.glob("*.py"):  # nothing of chongdich but core.versioning and the package itself
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            if line.startswith(("from chongdich", "import chongdich")):
                assert line.startswith(("from chongdich.vaccination.rules", "from chongdich.core.versioning")), (
                    f"{path.name}: {line}"
                )


def test_importing_the_rules_and_the_cli_loads_no_django():
    assert_import_loads_no_django(
        "import chongdich.vaccination.rules as r; import chongdich.vaccination.cli; import chongdich.cli; "
        "from datetime import date; r.default_config().products(date(2021, 10, 1)); "
        "r.assess(r.PersonIn('x'), date(2021, 10, 1)); r.screen({q.code: False for q in r.QUESTIONS}, None, "
        "date(2021, 11, 1))"
    )


def test_the_docs_name_every_catalogue_version_product_and_question():
    text = (ROOT / "docs" / "vaccination" / "rules.md").read_text(encoding="utf-8")
    for version in DEFAULT_VERSIONS:
        if version.key == PRODUCTS_KEY:
            assert version.version in text, version.version
        else:
            assert version.version.split(" (")[0] in text, version.version
    for code in default_config().products(date(2022, 5, 1)):
        assert f"| {code} |" in text, code
    from chongdich.vaccination.rules import QUESTIONS

    for question in QUESTIONS:
        assert f"`{question.code}`" in text, question.code


def test_validate_overrides_checks_every_national_version_an_override_overlaps():
    from chongdich.vaccination.rules import validate_overrides

    validate_overrides([az_four_weeks("70")])
    validate_overrides(
        [
            version_from_dict(item)
            for item in json.loads((ROOT / "docs/vaccination/example-rules.json").read_text("utf-8"))
        ]
    )
    with pytest.raises(ConfigError, match=r"below the national floor of 56 days in force on 2021-09-01"):
        validate_overrides([az_four_weeks("70", effective_from=date(2021, 9, 1))])
    # fine in the version it starts in, broken in a later one (PF5 exists only from 14/4/2022)
    late = RuleVersion(
        PRODUCTS_KEY, "Tỉnh 70: PF5", date(2022, 1, 1), None, {"products": {"PF5": {"min_age": 4}}}, province="70"
    )
    with pytest.raises(ConfigError, match=r"PF5.*\(on 2022-01-01\)"):
        validate_overrides([late])
    with pytest.raises(ConfigError, match="province"):
        validate_overrides([RuleVersion(TARGETS_KEY, "x", date(2021, 9, 1), None, {"coverage_pct": 90})])
    with pytest.raises(ConfigError, match="family"):
        validate_overrides([RuleVersion("risk.4800", "x", date(2021, 9, 1), None, {}, province="70")])
    early = RuleVersion(TARGETS_KEY, "Tỉnh 70", date(2020, 6, 1), None, {"coverage_pct": 90}, province="70")
    validate_overrides([early])  # before the family's start it is simply not in force
