"""Directive measure sets (R-40: CT 15, 16, 19) and local hybrids (R-41: "15+", "16+" …).

A hybrid is a base directive plus local deltas, defined by a province in the ``hybrids`` table of
its override: ``{"base": "15", "vi": …, "en": …, "limits": {changed limits}, "measures":
{activity: measure, or {"remove": true}}}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from chongdich.risk.rules.config import DIRECTIVES_KEY, RiskConfig, default_config
from chongdich.risk.rules.errors import ConfigError
from chongdich.risk.rules.measures import Measure, parse_measure


@dataclass(frozen=True, slots=True)
class DirectiveLimits:
    max_gathering_outside: int | None  # outside offices, schools, hospitals; None: no number
    no_crowding: bool  # CT 19: "no crowding" without a number (the province sets it)
    max_people_per_room_event: int | None
    min_distance_m: float
    religious_gathering_max: int | None
    stay_home_required: bool
    non_essential_services_open: bool
    closed_services: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Directive:
    name: str  # "15", "16", "19" or a hybrid such as "15+"
    base: str  # the national directive it derives from (itself for 15/16/19)
    vi: str
    en: str
    limits: DirectiveLimits
    measures: tuple[Measure, ...]
    deltas: tuple[str, ...] = ()  # activities and limits a hybrid changes
    rule_version: str = ""

    def get(self, activity: str) -> Measure | None:
        return next((measure for measure in self.measures if measure.activity == activity), None)


def directive(name: str, *, on: date, province: str | None = None, config: RiskConfig | None = None) -> Directive:
    """CT 15/16/19 or a province's hybrid, as in force on ``on``.  KeyError for an unknown name."""
    version = (config or default_config()).rule(DIRECTIVES_KEY, on, province)
    values = version.values
    national = values["directives"]
    if name in national:
        return replace(_national(name, national[name], DIRECTIVES_KEY), rule_version=version.version)
    hybrid = values.get("hybrids", {}).get(name)
    if hybrid is None:
        known = sorted([*national, *values.get("hybrids", {})])
        raise KeyError(f"unknown directive {name!r}; known: {', '.join(known)}")
    return replace(_hybrid(name, hybrid, national), rule_version=version.version)


def _national(name: str, raw: Mapping[str, Any], where: str) -> Directive:
    where = f"{where}.directives.{name}"
    return Directive(
        name,
        name,
        raw["vi"],
        raw["en"],
        _limits(raw["limits"], where),
        tuple(parse_measure(a, r, where) for a, r in raw["measures"].items()),
    )


def _limits(raw: Mapping[str, Any], where: str) -> DirectiveLimits:
    names = {f.name for f in fields(DirectiveLimits)}
    if set(raw) != names:
        raise ConfigError(f"{where}.limits: expected exactly {sorted(names)}")
    return DirectiveLimits(**{**raw, "closed_services": tuple(raw["closed_services"])})


def _hybrid(name: str, raw: Mapping[str, Any], national: Mapping[str, Any]) -> Directive:
    where = f"{DIRECTIVES_KEY}.hybrids.{name}"
    base_name = raw.get("base")
    if base_name not in national:
        raise ConfigError(f"{where}.base: must be one of {sorted(national)}, got {base_name!r}")
    base = national[base_name]
    limit_changes = dict(raw.get("limits", {}))
    limits = _limits({**base["limits"], **limit_changes}, where)
    measures = {activity: parse_measure(activity, item, where) for activity, item in base["measures"].items()}
    for activity, delta in raw.get("measures", {}).items():
        if delta.get("remove"):
            measures.pop(activity, None)
        else:
            measures[activity] = parse_measure(activity, delta, f"{where}.measures")
    deltas = (*sorted(limit_changes), *raw.get("measures", {}))
    return Directive(
        name, base_name, raw.get("vi", name), raw.get("en", name), limits, tuple(measures.values()), tuple(deltas)
    )
