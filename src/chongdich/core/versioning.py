"""Versioned rule configuration with effective dates and province overrides.

Pure Python (no Django): rule packages (risk frameworks, contact definitions, quarantine
durations, eligibility bounds) keep their thresholds as data in ``RuleVersion`` records and
pick the one in force on a date.  A province override is a partial mapping merged over the
national version in force on the same date, so a province only writes what it changes.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Self, TypeVar

T = TypeVar("T")
LAST_DAY = date(9999, 12, 31)


class NoRuleInForce(LookupError):
    """No version of a rule covers the requested date (``key`` and ``on`` say which and when)."""

    key: str | None = None
    on: date | None = None


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


REQUIRED_KEYS = frozenset({"key", "version", "effective_from", "values"})
OPTIONAL_KEYS = frozenset({"effective_to", "province", "source"})


def version_from_mapping(
    raw: Mapping[str, Any],
    *,
    error: type[Exception] = ValueError,
    families: Collection[str] | None = None,
    family_label: str = "rule",
) -> RuleVersion:
    """A ``RuleVersion`` from JSON (database rows, ``--rules`` files, fixtures), dates as ``YYYY-MM-DD``.

    Every rules package reads its versions this way and raises its own ``error`` class; ``families``
    limits the rule families a package knows.
    """
    if not isinstance(raw, Mapping) or not REQUIRED_KEYS <= set(raw) or set(raw) - REQUIRED_KEYS - OPTIONAL_KEYS:
        raise error(
            f"rule version must have keys {sorted(REQUIRED_KEYS)} (optional: effective_to, province, "
            f"source); got {sorted(raw) if isinstance(raw, Mapping) else type(raw).__name__}"
        )
    if families is not None and raw["key"] not in families:
        raise error(f"unknown {family_label} family {raw['key']!r}; expected one of {list(families)}")
    label = f"{raw['key']} [{raw['version']}]"
    if not isinstance(raw["values"], Mapping):
        raise error(f"{label}: values must be an object")
    try:
        start = date.fromisoformat(raw["effective_from"])
        end = date.fromisoformat(raw["effective_to"]) if raw.get("effective_to") else None
    except (TypeError, ValueError) as exc:
        raise error(f"{label}: bad date ({exc})") from exc
    if end is not None and end <= start:
        raise error(f"{label}: effective_to must be after effective_from")
    province = raw.get("province")
    if province is not None and (type(province) is not str or not province):
        raise error(f"{label}: province must be a code string or null")
    return RuleVersion(
        key=str(raw["key"]),
        version=str(raw["version"]),
        effective_from=start,
        effective_to=end,
        values=raw["values"],
        province=province,
        source=str(raw.get("source", "")),
    )


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
        error = NoRuleInForce(f"{self.key}: no national version in force on {on.isoformat()}")
        error.key, error.on = self.key, on
        raise error

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


class VersionedConfig:
    """Every rule version a rules package may use (national defaults plus province overrides), one
    ``RuleBook`` per family, the version in force per (family, date, province) cached and compiled once.
    A package subclasses it with its typed accessors and its ``error`` (the ``ValueError`` it raises for a
    version that does not compile)."""

    error: type[Exception] = ValueError

    def __init__(self, versions: Iterable[RuleVersion]):
        self._versions = list(versions)
        keys = {version.key for version in self._versions}
        self._books = {key: RuleBook(key, self._versions) for key in keys}
        self._in_force: dict[tuple[str, date, str | None], RuleVersion] = {}
        self._compiled: dict[tuple[Any, ...], Any] = {}

    @property
    def versions(self) -> list[RuleVersion]:
        return list(self._versions)

    def book(self, key: str) -> RuleBook:
        return self._books.get(key) or RuleBook(key, [])

    def rule(self, key: str, on: date, province: str | None = None) -> RuleVersion:
        """The version of ``key`` in force on ``on`` with ``province``'s override merged in; raises
        ``NoRuleInForce`` when no national version covers ``on``."""
        slot = (key, on, province)
        found = self._in_force.get(slot)
        if found is None:
            found = self._in_force[slot] = self.book(key).in_force(on, province)
        return found

    def compiled(
        self, key: str, on: date, province: str | None, compile: Callable[[Mapping[str, Any], str], T]
    ) -> tuple[RuleVersion, T]:
        """``rule(...)`` plus its values compiled by ``compile``, once per version (not per date)."""
        version = self.rule(key, on, province)
        slot = (key, version.version, version.effective_from, version.province, compile)
        if slot not in self._compiled:
            where = f"{key} [{version.version}]"
            try:
                self._compiled[slot] = compile(version.values, where)
            except self.error:
                raise
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                raise self.error(f"{where}: {error!r}") from error
        return version, self._compiled[slot]

    def with_versions(self, more: Iterable[RuleVersion]) -> Self:
        return type(self)([*self._versions, *more])

    def boundaries(self, key: str, start: date, end: date, province: str | None = None) -> list[date]:
        """``start`` plus every date in ``(start, end]`` on which a version of ``key`` begins or ends."""
        days = {start}
        for version in self.book(key).versions:
            if version.province not in (None, province):
                continue
            for edge in (version.effective_from, version.effective_to):
                if edge is not None and start < edge <= end:
                    days.add(edge)
        return sorted(days)

    def validate(
        self,
        versions: Iterable[RuleVersion],
        accessors: Mapping[str, Callable[[Any, date, str | None], Any]],
        family_label: str,
    ) -> None:
        """Refuse (``self.error`` naming the family, version and day) a province's versions that do not
        compile, through ``accessors[key]``, over every national version they overlap — checked when an
        override is saved, not first when a record is judged."""
        versions = list(versions)
        merged = self.with_versions(versions)
        for version in versions:
            where = f"{version.key} [{version.version}]"
            if version.key not in accessors:
                raise self.error(f"{where}: unknown {family_label} family; expected one of {list(accessors)}")
            if not version.province:
                raise self.error(f"{where}: a province's override must name its province")
            end = LAST_DAY if version.effective_to is None else version.effective_to - timedelta(days=1)
            for day in merged.boundaries(version.key, version.effective_from, end, version.province):
                try:
                    accessors[version.key](merged, day, version.province)
                except NoRuleInForce:
                    continue  # before the family's first national version the override is not in force
                except self.error as error:
                    message = str(error) if day.isoformat() in str(error) else f"{error} (on {day.isoformat()})"
                    raise self.error(message) from None
