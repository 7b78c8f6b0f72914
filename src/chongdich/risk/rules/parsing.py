"""Validation of units given as JSON-like data: every problem names the unit and the field.

A national file has 10,000 units of the same few shapes, so valid units go through a fast path
that checks types once per shape ("plan") and only value ranges per unit; anything unusual
takes the field-by-field path, which is also the one that writes the error messages.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from chongdich.risk.rules.errors import InputError, Problem
from chongdich.risk.rules.inputs import (
    CLUSTER_SETTINGS,
    COUNT_INPUTS,
    FLAG_INPUTS,
    IDENTITY_KEYS,
    LEVEL_INPUTS,
    RATE_INPUTS,
    SHARE_INPUTS,
    Cluster,
    UnitInputs,
    unit_ref,
)
from chongdich.risk.rules.levels import Tier

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


def parse_units(raw: Any) -> list[UnitInputs]:
    """Validate a decoded JSON document (a list of unit objects); raise ``InputError`` listing
    every problem.  Keys starting with ``_`` are comments and ignored; other unknown keys are
    errors so that a misspelt input name cannot pass unnoticed."""
    if not isinstance(raw, list):
        kind = type(raw).__name__
        raise InputError(
            [
                Problem(
                    "-",
                    "-",
                    f"tệp phải là một danh sách đơn vị (nhận {kind})",
                    f"the file must be a list of units (got {kind})",
                )
            ]
        )
    problems: list[Problem] = []
    units = []
    for index, item in enumerate(raw):
        unit = _fast_unit(item) if type(item) is dict else None
        if unit is None:  # something to report (or unusual): check field by field
            unit = _parse_unit(index, item, problems)
        if unit is not None:
            units.append(unit)
    if problems:
        raise InputError(problems)
    return units


_NONE = type(None)
_TIER_BY_NAME = {tier.value: tier for tier in Tier}
_TYPES: dict[str, set[type]] = {  # the types each field may have (values are range-checked later)
    **dict.fromkeys(COUNT_INPUTS, {int, _NONE}),
    **dict.fromkeys(RATE_INPUTS, {int, float, _NONE}),
    **dict.fromkeys(SHARE_INPUTS, {int, float, _NONE}),
    **dict.fromkeys(FLAG_INPUTS, {bool, _NONE}),
    **dict.fromkeys(LEVEL_INPUTS, {int, _NONE}),
    "neighbours": {list, _NONE},
    "clusters": {list, _NONE},
    "code": {str},
    "name": {str},
    "level": {str},
    "parent": {str, _NONE},
}
_NON_NEGATIVE = frozenset((*COUNT_INPUTS, *RATE_INPUTS, *SHARE_INPUTS))


def _pick(indices: list[int]) -> Callable[[Sequence[Any]], tuple[Any, ...]] | None:
    if not indices:
        return None
    getter = itemgetter(*indices)
    return getter if len(indices) > 1 else lambda values: (getter(values),)


def _pick_or_none(indices: list[int | None]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """The values at ``indices``, None where a column is absent."""
    return lambda values: tuple(None if i is None else values[i] for i in indices)


@dataclass(frozen=True, slots=True)
class _Plan:
    """How to read units whose keys and value types are the same as a unit already seen: in a
    national file almost all units share one or a few such shapes, so the type checks are done
    once per shape and each unit only needs its value ranges checked."""

    fields: tuple[str, ...]  # UnitInputs field names, in the unit's key order (identity excluded)
    take: Callable[[Sequence[Any]], tuple[Any, ...]] | None
    identity: Callable[[Sequence[Any]], tuple[Any, ...]]  # code, name, level, parent
    non_negative: Callable[[Sequence[Any]], tuple[Any, ...]] | None
    shares: Callable[[Sequence[Any]], tuple[Any, ...]] | None  # must be ≤ 1
    floats: Callable[[Sequence[Any]], tuple[Any, ...]] | None  # must be finite
    neighbours: int | None
    clusters: int | None


_PLANS: dict[tuple[tuple[str, ...], tuple[type, ...]], _Plan | None] = {}  # None: not a valid shape
_UNSEEN = object()


def _plan(keys: tuple[str, ...], types: tuple[type, ...]) -> _Plan | None:
    if any(types[i] not in _TYPES.get(key, ()) for i, key in enumerate(keys)) or not set(IDENTITY_KEYS) - {
        "parent"
    } <= set(keys):
        return None
    where = {key: i for i, key in enumerate(keys)}
    names = [key for key in keys if key not in IDENTITY_KEYS]
    typed = [key for key in keys if types[where[key]] is not _NONE]
    return _Plan(
        fields=tuple(names),
        take=_pick([where[key] for key in names]),
        identity=_pick_or_none([where.get(key) for key in IDENTITY_KEYS]),
        non_negative=_pick([where[key] for key in typed if key in _NON_NEGATIVE]),
        shares=_pick([where[key] for key in typed if key in SHARE_INPUTS]),
        floats=_pick([where[key] for key in typed if types[where[key]] is float]),
        neighbours=where["neighbours"] if "neighbours" in typed else None,
        clusters=where["clusters"] if "clusters" in typed else None,
    )


def _fast_unit(item: dict) -> UnitInputs | None:
    """A valid unit read through its shape's plan; None means "take the field-by-field path",
    which also produces the error messages."""
    keys = tuple(item)
    values = tuple(item.values())
    shape = (keys, tuple(map(type, values)))
    plan = _PLANS.get(shape, _UNSEEN)
    if plan is _UNSEEN:
        plan = _PLANS[shape] = _plan(*shape)
    if plan is None:
        return None
    code, name, level, parent = plan.identity(values)
    tier = _TIER_BY_NAME.get(level)
    if not code or tier is None or parent == "":
        return None
    if plan.non_negative and min(plan.non_negative(values)) < 0:
        return None
    if plan.shares and max(plan.shares(values)) > 1:
        return None
    if plan.floats and not all(map(math.isfinite, plan.floats(values))):
        return None
    kwargs = dict(zip(plan.fields, plan.take(values), strict=False)) if plan.take else {}
    if plan.neighbours is not None:
        neighbours = values[plan.neighbours]
        if not set(map(type, neighbours)) <= {str} or not all(neighbours):
            return None
        kwargs["neighbours"] = tuple(dict.fromkeys(neighbours))
    if plan.clusters is not None:
        clusters, problem = _clusters(values[plan.clusters])
        if problem:
            return None
        kwargs["clusters"] = clusters
    # Built without the 35-argument __init__ (a third of the parse time): absent fields read the
    # class-level default None, exactly as after __init__.
    unit = object.__new__(UnitInputs)
    kwargs.update(code=code, name=name, tier=tier, parent=parent)
    unit.__dict__ = kwargs
    return unit


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
        problems.append(
            Problem(ref, "parent", "phải là mã đơn vị (chuỗi) hoặc null", "must be a unit code (string) or null")
        )
        ok = False
    if not ok:
        return None
    return code, name, Tier(tier), parent


_TIERS = tuple(tier.value for tier in Tier)


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
