"""``MovementConfig``: every rule version the movement rules may use, one ``RuleBook`` per family, the
version in force per (family, date, province) cached and compiled once.

``default_config().with_versions(stored)`` adds a province's versions (``version_from_dict`` reads
their JSON); ``validate_overrides`` refuses a malformed override when it is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from functools import cache
from typing import Any, TypeVar

from chongdich.core.versioning import NoRuleInForce, RuleBook, RuleVersion, version_from_mapping
from chongdich.movement.rules.checkpoint import CheckpointRule, compile_checkpoint
from chongdich.movement.rules.defaults import DEFAULT_VERSIONS
from chongdich.movement.rules.errors import ConfigError
from chongdich.movement.rules.keys import CHECKPOINT_KEY, KEYS

T = TypeVar("T")

COMPILERS: dict[str, Callable[[Mapping[str, Any], str], Any]] = {CHECKPOINT_KEY: compile_checkpoint}
LAST_DAY = date(9999, 12, 31)


class MovementConfig:
    """All rule versions of the movement families (national defaults plus province overrides)."""

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
        ``core.versioning.NoRuleInForce`` when no national version covers ``on``."""
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
            except ConfigError:
                raise
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                raise ConfigError(f"{where}: {error!r}") from error
        return version, self._compiled[slot]

    def with_versions(self, more: Iterable[RuleVersion]) -> MovementConfig:
        return MovementConfig([*self._versions, *more])

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

    def checkpoint_rule(self, on: date, province: str | None = None) -> CheckpointRule:
        """The checkpoint rule (R-61) in force on ``on``, ``province``'s override merged."""
        version, values = self.compiled(CHECKPOINT_KEY, on, province, compile_checkpoint)
        return CheckpointRule(
            version=version.version, source=version.source, effective_from=version.effective_from, **values
        )


ACCESSORS: dict[str, Callable[[MovementConfig, date, str | None], Any]] = {
    CHECKPOINT_KEY: MovementConfig.checkpoint_rule,
}


def validate_overrides(versions: Iterable[RuleVersion], config: MovementConfig | None = None) -> None:
    """Refuse (``ConfigError`` naming the family, version and day) a province's versions that do not compile
    over every national version they overlap."""
    versions = list(versions)
    merged = resolve(config).with_versions(versions)
    for version in versions:
        where = f"{version.key} [{version.version}]"
        if version.key not in ACCESSORS:
            raise ConfigError(f"{where}: unknown movement rule family; expected one of {list(KEYS)}")
        if not version.province:
            raise ConfigError(f"{where}: a province's override must name its province")
        end = LAST_DAY if version.effective_to is None else version.effective_to - timedelta(days=1)
        for day in merged.boundaries(version.key, version.effective_from, end, version.province):
            try:
                ACCESSORS[version.key](merged, day, version.province)
            except NoRuleInForce:
                continue
            except ConfigError as error:
                message = str(error) if day.isoformat() in str(error) else f"{error} (on {day.isoformat()})"
                raise ConfigError(message) from None


@cache
def default_config() -> MovementConfig:
    return MovementConfig(DEFAULT_VERSIONS)


def resolve(config: MovementConfig | None) -> MovementConfig:
    return default_config() if config is None else config


def version_from_dict(raw: Mapping[str, Any]) -> RuleVersion:
    """A ``RuleVersion`` of a movement family from JSON: dates as ``YYYY-MM-DD``."""
    return version_from_mapping(raw, error=ConfigError, families=KEYS, family_label="movement rule")
