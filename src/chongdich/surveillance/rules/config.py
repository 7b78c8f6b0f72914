"""Access to the surveillance rule versions in force: one ``RuleBook`` per rule family, with
the version in force per (family, date, province) cached, and compiled once into typed
parameters by each rule module.

Every duration, distance and eligibility bound lives in ``RuleVersion.values`` (defaults in
``defaults.py``); a province changes a value by adding a ``RuleVersion`` with ``province`` set
and only the keys it changes (``core.versioning.RuleBook`` merges it over the national one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from functools import cache
from typing import Any, TypeVar

from chongdich.core.versioning import RuleBook, RuleVersion, version_from_mapping
from chongdich.surveillance.rules.defaults import DEFAULT_VERSIONS
from chongdich.surveillance.rules.errors import ConfigError
from chongdich.surveillance.rules.keys import (  # noqa: F401 - the families, read from here by the rules
    ACTIVE_KEY,
    F1_KEY,
    F2_KEY,
    INFECTIOUS_KEY,
    KEYS,
    TRACING_KEY,
)

T = TypeVar("T")


class SurveillanceConfig:
    """All rule versions the surveillance rules may use.  Build it from the defaults plus any
    versions stored in the database (``default_config().with_versions(stored)``)."""

    def __init__(self, versions: Iterable[RuleVersion]):
        self._versions = list(versions)
        keys = {version.key for version in self._versions}
        self._books = {key: RuleBook(key, self._versions) for key in keys}
        self._in_force: dict[tuple[str, date, str | None], RuleVersion] = {}
        self._compiled: dict[tuple[str, str, date, str | None, Callable[..., Any]], Any] = {}

    @property
    def versions(self) -> list[RuleVersion]:
        return list(self._versions)

    def book(self, key: str) -> RuleBook:
        return self._books.get(key) or RuleBook(key, [])

    def rule(self, key: str, on: date, province: str | None = None) -> RuleVersion:
        """The version of ``key`` in force on ``on`` with ``province``'s override merged in.
        Raises ``core.versioning.NoRuleInForce`` when no national version covers ``on``."""
        slot = (key, on, province)
        found = self._in_force.get(slot)
        if found is None:
            found = self._in_force[slot] = self.book(key).in_force(on, province)
        return found

    def compiled(
        self, key: str, on: date, province: str | None, compile: Callable[[Mapping[str, Any], str], T]
    ) -> tuple[RuleVersion, T]:
        """``rule(...)`` plus its values compiled (validated, typed) by ``compile``.  Compiled
        once per version (not per date): a national run over many dates stays cheap."""
        version = self.rule(key, on, province)
        slot = (key, version.version, version.effective_from, version.province, compile)
        if slot not in self._compiled:
            where = f"{key} [{version.version}]"
            try:
                self._compiled[slot] = compile(version.values, where)
            except ConfigError:
                raise
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                raise ConfigError(f"{where}: {error!r}") from error
        return version, self._compiled[slot]

    def boundaries(self, key: str, start: date, end: date, province: str | None = None) -> list[date]:
        """``start`` plus every date in ``(start, end]`` on which a version of ``key`` (national
        or ``province``'s) begins or ends: the days on which the rule in force may change."""
        days = {start}
        for version in self.book(key).versions:
            if version.province not in (None, province):
                continue
            for edge in (version.effective_from, version.effective_to):
                if edge is not None and start < edge <= end:
                    days.add(edge)
        return sorted(days)

    def with_versions(self, more: Iterable[RuleVersion]) -> SurveillanceConfig:
        return SurveillanceConfig([*self._versions, *more])


@cache
def default_config() -> SurveillanceConfig:
    return SurveillanceConfig(DEFAULT_VERSIONS)


def resolve(config: SurveillanceConfig | None) -> SurveillanceConfig:
    return default_config() if config is None else config


def version_from_dict(raw: Mapping[str, Any]) -> RuleVersion:
    """A ``RuleVersion`` from JSON (database rows, fixtures): dates as ``YYYY-MM-DD``."""
    return version_from_mapping(raw, error=ConfigError, families=KEYS, family_label="surveillance rule")
