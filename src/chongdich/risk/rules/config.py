"""Access to the rule versions in force: one ``RuleBook`` per rule family, cached per
(family, date, province), and compiled once into typed parameters for the evaluators."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from functools import cache
from typing import Any, TypeVar

from chongdich.core.versioning import RuleBook, RuleVersion, version_from_mapping
from chongdich.risk.rules.defaults import DEFAULT_VERSIONS
from chongdich.risk.rules.errors import ConfigError

T = TypeVar("T")

# Rule families (RuleVersion.key) used by the risk engine.
FRAMEWORK_KEY = "risk.framework"  # which framework is in force
FRAMEWORK_RULES = {"2686": "risk.2686", "4800": "risk.4800", "218": "risk.218"}
MEASURES_KEY = {"2686": "risk.measures.2686", "4800": "risk.measures.128", "218": "risk.measures.128"}
DIRECTIVES_KEY = "risk.directives"
SCENARIOS_KEY = "risk.scenarios"


class RiskConfig:
    """All rule versions the engine may use.  Build it from the defaults plus any versions
    stored in the database or given on the command line (``with_versions``)."""

    def __init__(self, versions: Iterable[RuleVersion]):
        self._versions = list(versions)
        keys = {version.key for version in self._versions}
        self._books = {key: RuleBook(key, self._versions) for key in keys}
        self._in_force: dict[tuple[str, date, str | None], RuleVersion] = {}
        self._compiled: dict[tuple[str, date, str | None], Any] = {}

    @property
    def versions(self) -> list[RuleVersion]:
        return list(self._versions)

    def book(self, key: str) -> RuleBook:
        return self._books.get(key) or RuleBook(key, [])

    def rule(self, key: str, on: date, province: str | None = None) -> RuleVersion:
        """The version of ``key`` in force on ``on`` with ``province``'s override merged in."""
        slot = (key, on, province)
        if slot not in self._in_force:
            self._in_force[slot] = self.book(key).in_force(on, province)
        return self._in_force[slot]

    def compiled(
        self, key: str, on: date, province: str | None, compile: Callable[[Mapping[str, Any], str], T]
    ) -> tuple[RuleVersion, T]:
        """``rule(...)`` plus its values compiled (validated, typed) by ``compile``, cached."""
        version = self.rule(key, on, province)
        slot = (key, on, province)
        if slot not in self._compiled:
            where = f"{key} [{version.version}]"
            try:
                self._compiled[slot] = compile(version.values, where)
            except (KeyError, TypeError, ValueError) as error:
                if isinstance(error, ConfigError):
                    raise
                raise ConfigError(f"{where}: {error!r}") from error
        return version, self._compiled[slot]

    def with_versions(self, more: Iterable[RuleVersion]) -> RiskConfig:
        return RiskConfig([*self._versions, *more])


@cache
def default_config() -> RiskConfig:
    return RiskConfig(DEFAULT_VERSIONS)


def version_from_dict(raw: Mapping[str, Any]) -> RuleVersion:
    """A ``RuleVersion`` from JSON (``--rules`` files, fixtures): dates as ``YYYY-MM-DD``."""
    return version_from_mapping(raw, error=ConfigError)
