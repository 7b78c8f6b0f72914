"""Versioned rule configuration with effective dates and province overrides.

Pure Python (no Django): rule packages (risk frameworks, contact definitions, quarantine
durations, eligibility bounds) keep their thresholds as data in ``RuleVersion`` records and
pick the one in force on a date.  A province override is a partial mapping merged over the
national version in force on the same date, so a province only writes what it changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any


class NoRuleInForce(LookupError):
    """No version of a rule covers the requested date."""


@dataclass(frozen=True)
class RuleVersion:
    key: str  # which rule family, e.g. "risk.4800" or "quarantine.f1"
    version: str  # human id of this version, e.g. "QĐ 4800/QĐ-BYT"
    effective_from: date
    effective_to: date | None  # exclusive; None = still in force
    values: Mapping[str, Any] = field(default_factory=dict)
    province: str | None = None  # province code of an override, None = national
    source: str = ""  # legal reference or note

    def covers(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on < self.effective_to)


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``base`` with ``override`` merged in; nested mappings merge, other values replace."""
    merged: dict[str, Any] = dict(base)
    for name, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(name), Mapping):
            merged[name] = deep_merge(merged[name], value)
        else:
            merged[name] = value
    return merged


class RuleBook:
    """All versions of one rule family; answers "which values are in force on this date here"."""

    def __init__(self, key: str, versions: Iterable[RuleVersion]):
        self.key = key
        self.versions = sorted(
            (v for v in versions if v.key == key), key=lambda v: (v.effective_from, v.province or "")
        )

    def national(self, on: date) -> RuleVersion:
        for version in reversed(self.versions):
            if version.province is None and version.covers(on):
                return version
        raise NoRuleInForce(f"{self.key}: no national version in force on {on.isoformat()}")

    def in_force(self, on: date, province: str | None = None) -> RuleVersion:
        """The version in force on ``on``, with the province's override merged over it."""
        base = self.national(on)
        if province:
            for version in reversed(self.versions):
                if version.province == province and version.covers(on):
                    return RuleVersion(
                        key=self.key,
                        version=f"{base.version} + {version.version}",
                        effective_from=max(base.effective_from, version.effective_from),
                        effective_to=_earliest(base.effective_to, version.effective_to),
                        values=deep_merge(base.values, version.values),
                        province=province,
                        source=f"{base.source}; {version.source}".strip("; "),
                    )
        return base


def _earliest(a: date | None, b: date | None) -> date | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)
