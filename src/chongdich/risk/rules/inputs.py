"""Unit inputs: the typed record the engine reads, and its validation from JSON-like data.

Names match the CLI's JSON schema exactly.  ``None`` always means "not provided": nothing is
defaulted here; each framework decides what it needs and reports absent inputs by name.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from chongdich.risk.rules.errors import InputError, Problem
from chongdich.risk.rules.levels import Tier

CLUSTER_SETTINGS = ("industrial_park", "school", "market", "supermarket", "hospital", "household", "other")
SETTING_NAMES = {  # (vi, en) for reasons
    "industrial_park": ("khu công nghiệp", "industrial park"),
    "school": ("trường học", "school"),
    "market": ("chợ", "market"),
    "supermarket": ("siêu thị", "supermarket"),
    "hospital": ("bệnh viện", "hospital"),
    "household": ("hộ gia đình", "household"),
    "other": ("nơi khác", "other"),
}

# Whole-number counts (people, cases, doses, deaths); summed when rolling up.
COUNT_INPUTS = (
    "population",
    "population_18plus",
    "population_50plus",
    "population_65plus",
    "high_risk_population",
    "new_community_cases_7d",
    "new_community_cases_14d",
    "known_source_cases_14d",
    "unknown_source_cases_14d",
    "dose1_18plus",
    "full_50plus",
    "full_all",
    "full_high_risk",
    "deaths_7d",
    "hospital_cases_7d",
)
# Capacity rates per 100,000 people (QĐ 218 criteria 3b, 3c).
RATE_INPUTS = ("vacant_beds_per_100k", "icu_beds_per_100k")
# Yes/no facts.  The last five are optional judgement factors of 2686 (see docs/risk/cli.md).
FLAG_INPUTS = (
    "f1_present",
    "capacity_ready",
    "is_border",
    "linked_to_red_cluster_place",
    "illegal_entry_risk",
    "protected_site_at_risk",
    "spreads_to_other_provinces",
)
SHARE_INPUTS = ("hard_to_control_spread_share",)  # 0..1: share of sub-units the source may reach
LEVEL_INPUTS = ("previous_level", "override_level")  # range depends on the framework


@dataclass(frozen=True, slots=True)
class Cluster:
    source_known: bool
    setting: str  # one of CLUSTER_SETTINGS
    cases: int


@dataclass(slots=True)
class UnitInputs:
    code: str
    name: str
    tier: Tier  # the JSON key is "level" (commune/district/province/nation)
    parent: str | None = None
    population: int | None = None
    population_18plus: int | None = None
    population_50plus: int | None = None
    population_65plus: int | None = None
    high_risk_population: int | None = None
    new_community_cases_7d: int | None = None
    new_community_cases_14d: int | None = None
    known_source_cases_14d: int | None = None
    unknown_source_cases_14d: int | None = None
    clusters: tuple[Cluster, ...] | None = None
    f1_present: bool | None = None
    dose1_18plus: int | None = None
    full_50plus: int | None = None
    full_all: int | None = None
    full_high_risk: int | None = None
    deaths_7d: int | None = None
    hospital_cases_7d: int | None = None
    vacant_beds_per_100k: float | None = None
    icu_beds_per_100k: float | None = None
    capacity_ready: bool | None = None
    neighbours: tuple[str, ...] | None = None
    is_border: bool | None = None
    previous_level: int | None = None
    override_level: int | None = None
    linked_to_red_cluster_place: bool | None = None
    illegal_entry_risk: bool | None = None
    protected_site_at_risk: bool | None = None
    spreads_to_other_provinces: bool | None = None
    hard_to_control_spread_share: float | None = None

    def get(self, name: str) -> Any:
        return getattr(self, name)


# --- validation of one JSON value --------------------------------------------------------
# Each checker returns (value, None) or (None, (vi, en)) describing what is wrong.

Check = Callable[[Any], tuple[Any, tuple[str, str] | None]]


def _count(value: Any) -> tuple[Any, tuple[str, str] | None]:
    if type(value) is int and value >= 0:
        return value, None
    if type(value) is int:
        return None, (f"không được âm (nhận {value})", f"must not be negative (got {value})")
    if type(value) is float and value.is_integer():
        return None, (f"phải là số nguyên (nhận {value!r})", f"must be a whole number (got {value!r})")
    return None, _wrong("số nguyên ≥ 0", "a whole number ≥ 0", value)


def _rate(value: Any) -> tuple[Any, tuple[str, str] | None]:
    if type(value) in (int, float) and math.isfinite(value):
        if value >= 0:
            return value, None
        return None, (f"không được âm (nhận {value})", f"must not be negative (got {value})")
    return None, _wrong("số ≥ 0", "a number ≥ 0", value)


def _flag(value: Any) -> tuple[Any, tuple[str, str] | None]:
    if type(value) is bool:
        return value, None
    return None, _wrong("true hoặc false", "true or false", value)


def _share(value: Any) -> tuple[Any, tuple[str, str] | None]:
    if type(value) in (int, float) and 0 <= value <= 1:
        return value, None
    return None, _wrong("số từ 0 đến 1", "a number from 0 to 1", value)


def _level(value: Any) -> tuple[Any, tuple[str, str] | None]:
    if type(value) is int:
        return value, None  # the range is checked against the framework in the engine
    return None, _wrong("số nguyên (cấp độ)", "an integer level", value)


def _neighbours(value: Any) -> tuple[Any, tuple[str, str] | None]:
    if isinstance(value, list) and all(type(code) is str and code for code in value):
        return tuple(dict.fromkeys(value)), None
    return None, _wrong("danh sách mã đơn vị (chuỗi)", "a list of unit codes (strings)", value)


def _clusters(value: Any) -> tuple[Any, tuple[str, str] | None]:
    if not isinstance(value, list):
        return None, _wrong("danh sách ổ dịch", "a list of clusters", value)
    clusters = []
    for index, item in enumerate(value):
        cluster, problem = _cluster(item)
        if problem:
            vi, en = problem
            return None, (f"ổ dịch thứ {index}: {vi}", f"cluster {index}: {en}")
        clusters.append(cluster)
    return tuple(clusters), None


def _cluster(item: Any) -> tuple[Cluster | None, tuple[str, str] | None]:
    keys = {"source_known", "setting", "cases"}
    if not isinstance(item, dict) or set(item) != keys:
        return None, (
            "phải có đúng các khóa source_known, setting, cases",
            "must have exactly the keys source_known, setting, cases",
        )
    if type(item["source_known"]) is not bool:
        return None, _wrong("source_known là true/false", "source_known true/false", item["source_known"])
    if item["setting"] not in CLUSTER_SETTINGS:
        allowed = ", ".join(CLUSTER_SETTINGS)
        return None, (f"setting phải là một trong: {allowed}", f"setting must be one of: {allowed}")
    if type(item["cases"]) is not int or item["cases"] < 1:
        return None, _wrong("cases là số nguyên ≥ 1", "cases a whole number ≥ 1", item["cases"])
    return Cluster(item["source_known"], item["setting"], item["cases"]), None


def _wrong(expected_vi: str, expected_en: str, value: Any) -> tuple[str, str]:
    shown = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
    return f"phải là {expected_vi} (nhận {shown})", f"must be {expected_en} (got {shown})"


CHECKS: dict[str, Check] = {
    **dict.fromkeys(COUNT_INPUTS, _count),
    **dict.fromkeys(RATE_INPUTS, _rate),
    **dict.fromkeys(FLAG_INPUTS, _flag),
    **dict.fromkeys(SHARE_INPUTS, _share),
    **dict.fromkeys(LEVEL_INPUTS, _level),
    "neighbours": _neighbours,
    "clusters": _clusters,
}
IDENTITY_KEYS = ("code", "name", "level", "parent")
_COUNT, _FLAG = object(), object()
_KIND = {**dict.fromkeys(COUNT_INPUTS, _COUNT), **dict.fromkeys(FLAG_INPUTS, _FLAG)}
INPUT_NAMES = tuple(CHECKS)


def parse_units(raw: Any) -> list[UnitInputs]:
    """Validate a decoded JSON document (a list of unit objects); raise ``InputError`` listing
    every problem.  Keys starting with ``_`` are comments and ignored; other unknown keys are
    errors so that a misspelt input name cannot pass unnoticed."""
    if not isinstance(raw, list):
        kind = type(raw).__name__
        raise InputError([Problem("-", "-", f"tệp phải là một danh sách đơn vị (nhận {kind})",
                                  f"the file must be a list of units (got {kind})")])
    problems: list[Problem] = []
    units = []
    for index, item in enumerate(raw):
        unit = _parse_unit(index, item, problems)
        if unit is not None:
            units.append(unit)
    if problems:
        raise InputError(problems)
    return units


def _parse_unit(index: int, item: Any, problems: list[Problem]) -> UnitInputs | None:
    if not isinstance(item, dict):
        problems.append(Problem(f"#{index}", "-", "phải là một đối tượng JSON", "must be a JSON object"))
        return None
    code = item.get("code")
    ref = code if type(code) is str and code else f"#{index}"
    name = item.get("name")
    if type(name) is str and name:
        ref = f"{ref} ({name})"
    before = len(problems)
    identity = _identity(item, ref, problems)
    kwargs: dict[str, Any] = {}
    for key, value in item.items():
        kind = _KIND.get(key)
        if kind is _COUNT and type(value) is int and value >= 0 or kind is _FLAG and type(value) is bool:
            kwargs[key] = value  # fast path for the common valid cases
            continue
        if key in IDENTITY_KEYS or key.startswith("_"):
            continue
        check = CHECKS.get(key)
        if check is None:
            problems.append(Problem(ref, key, "tên trường không hợp lệ", "unknown field"))
            continue
        if value is None:
            continue
        parsed, problem = check(value)
        if problem:
            problems.append(Problem(ref, key, *problem))
        else:
            kwargs[key] = parsed
    if identity is None or len(problems) > before:
        return None
    return UnitInputs(*identity, **kwargs)


def _identity(item: dict, ref: str, problems: list[Problem]) -> tuple[str, str, Tier, str | None] | None:
    code, name, tier, parent = (item.get(key) for key in IDENTITY_KEYS)
    ok = True
    if type(code) is not str or not code:
        problems.append(Problem(ref, "code", "bắt buộc, là chuỗi khác rỗng", "required, a non-empty string"))
        ok = False
    if type(name) is not str:
        problems.append(Problem(ref, "name", "bắt buộc, là chuỗi", "required, a string"))
        ok = False
    if tier not in _TIERS:
        allowed = ", ".join(_TIERS)
        problems.append(Problem(ref, "level", f"phải là một trong: {allowed}", f"must be one of: {allowed}"))
        ok = False
    if parent is not None and (type(parent) is not str or not parent):
        problems.append(Problem(ref, "parent", "phải là mã đơn vị (chuỗi) hoặc null",
                                "must be a unit code (string) or null"))
        ok = False
    if not ok:
        return None
    return code, name, Tier(tier), parent


_TIERS = tuple(tier.value for tier in Tier)


def unit_ref(unit: UnitInputs) -> str:
    return f"{unit.code} ({unit.name})" if unit.name else unit.code


def check_levels(units: Sequence[UnitInputs], valid: Callable[[int], bool], span: str) -> None:
    """``previous_level`` / ``override_level`` must be levels of the chosen framework."""
    problems = [
        Problem(unit_ref(unit), name, f"phải là cấp độ {span} (nhận {value})", f"must be a level {span} (got {value})")
        for unit in units
        for name in LEVEL_INPUTS
        if (value := getattr(unit, name)) is not None and not valid(value)
    ]
    if problems:
        raise InputError(problems)


def provided(unit: UnitInputs, names: Sequence[str]) -> dict[str, Any]:
    """The subset of ``names`` the unit provides."""
    return {name: value for name in names if (value := getattr(unit, name)) is not None}


def as_mapping(unit: UnitInputs) -> Mapping[str, Any]:
    """All provided fields (handy for storing ``inputs_json``)."""
    return {f.name: getattr(unit, f.name) for f in fields(unit) if getattr(unit, f.name) is not None}
