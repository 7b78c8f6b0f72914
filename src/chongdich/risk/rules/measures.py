"""Measures per framework and level, read from the measure catalogues (rule versions).

2686 is cumulative — a level includes the measures of the levels below, a higher level's entry
for the same activity replacing the lower one.  NQ 128 (used with 4800 and 218) lists each level
in full.  Provinces override single activities at single levels.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from chongdich.risk.rules.config import MEASURES_KEY, RiskConfig, default_config
from chongdich.risk.rules.errors import ConfigError
from chongdich.risk.rules.levels import Framework, scale
from chongdich.risk.rules.results import Reason

ALLOWED = ("yes", "limited", "no")
KINDS = ("activity", "action")


@dataclass(frozen=True, slots=True)
class Measure:
    activity: str
    allowed: str  # yes | limited | no
    vi: str
    en: str
    cap_people: int | None = None  # most people allowed together
    cap_pct: int | None = None  # share of capacity allowed
    close_time: str | None = None  # "HH:MM"
    min_distance_m: float | None = None
    duration_days: int | None = None
    conditions: tuple[str, ...] = ()
    kind: str = "activity"
    confidence: str = ""
    level: int | None = None  # the level that introduced it (2686 is cumulative)


_FIELDS = {
    "allowed",
    "vi",
    "en",
    "cap_people",
    "cap_pct",
    "close_time",
    "min_distance_m",
    "duration_days",
    "conditions",
    "kind",
    "confidence",
}


def parse_measure(activity: str, raw: Mapping[str, Any], where: str, level: int | None = None) -> Measure:
    unknown = set(raw) - _FIELDS
    if unknown:
        raise ConfigError(f"{where}.{activity}: unknown keys {sorted(unknown)}")
    if raw.get("allowed") not in ALLOWED or raw.get("kind", "activity") not in KINDS:
        raise ConfigError(f"{where}.{activity}: allowed must be one of {ALLOWED}, kind one of {KINDS}")
    if not raw.get("vi") or not raw.get("en"):
        raise ConfigError(f"{where}.{activity}: Vietnamese and English text (vi, en) are required")
    for name in ("cap_people", "cap_pct", "duration_days"):
        value = raw.get(name)
        if value is not None and (type(value) is not int or value < 0):
            raise ConfigError(f"{where}.{activity}.{name}: must be a whole number ≥ 0")
    return Measure(
        activity=activity,
        allowed=raw["allowed"],
        vi=raw["vi"],
        en=raw["en"],
        cap_people=raw.get("cap_people"),
        cap_pct=raw.get("cap_pct"),
        close_time=raw.get("close_time"),
        min_distance_m=raw.get("min_distance_m"),
        duration_days=raw.get("duration_days"),
        conditions=tuple(raw.get("conditions", ())),
        kind=raw.get("kind", "activity"),
        confidence=raw.get("confidence", ""),
        level=level,
    )


@dataclass(frozen=True, slots=True)
class MeasureSet:
    framework: Framework
    level: int
    rule_version: str
    measures: tuple[Measure, ...]
    notes: tuple[Reason, ...] = ()

    def get(self, activity: str) -> Measure | None:
        return next((measure for measure in self.measures if measure.activity == activity), None)


def measures_for(
    framework: Framework | str, level: int, *, on: date, province: str | None = None, config: RiskConfig | None = None
) -> MeasureSet:
    """The measures in force for ``level`` under ``framework`` on ``on`` (with the province's
    changes).  Raises ValueError for a level outside the framework's range."""
    framework = Framework(framework)
    if not scale(framework).valid(level):
        raise ValueError(f"level {level!r} is not a level of framework {framework}")
    version, compiled = (config or default_config()).compiled(MEASURES_KEY[framework], on, province, _compile)
    cumulative, by_level, notes = compiled
    chosen: dict[str, Measure] = {}
    for at in sorted(by_level):
        if at == level or (cumulative and at < level):
            chosen.update(by_level[at])  # a higher level's entry replaces the lower one
    return MeasureSet(framework, level, version.version, tuple(chosen.values()), notes)


def _compile(values: Mapping[str, Any], where: str) -> tuple[bool, dict[int, dict[str, Measure]], tuple[Reason, ...]]:
    by_level = {
        int(level): {
            activity: parse_measure(activity, raw, f"{where}.levels.{level}", int(level))
            for activity, raw in table.items()
        }
        for level, table in values["levels"].items()
    }
    unspecified = values.get("unspecified")
    notes = () if not unspecified else (Reason("R-13", unspecified["vi"], unspecified["en"]),)
    return bool(values.get("cumulative", False)), by_level, notes
