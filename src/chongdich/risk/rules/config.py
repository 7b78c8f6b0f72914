"""Access to the rule versions in force: one ``RuleBook`` per rule family, cached per
(family, date, province), and compiled once into typed parameters for the evaluators."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from functools import cache
from typing import Any, TypeVar

from chongdich.core.versioning import RuleBook, RuleVersion
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
    from chongdich.risk.rules.defaults import DEFAULT_VERSIONS

    return RiskConfig(DEFAULT_VERSIONS)


def version_from_dict(raw: Mapping[str, Any]) -> RuleVersion:
    """A ``RuleVersion`` from JSON (``--rules`` files, fixtures): dates as ``YYYY-MM-DD``."""
    required = {"key", "version", "effective_from", "values"}
    allowed = required | {"effective_to", "province", "source"}
    if not isinstance(raw, Mapping) or not required <= set(raw) or set(raw) - allowed:
        raise ConfigError(f"rule version must have keys {sorted(required)} (optional: effective_to, province, "
                          f"source); got {sorted(raw) if isinstance(raw, Mapping) else type(raw).__name__}")
    if not isinstance(raw["values"], Mapping):
        raise ConfigError(f"{raw['key']} [{raw['version']}]: values must be an object")
    try:
        start = date.fromisoformat(raw["effective_from"])
        end = date.fromisoformat(raw["effective_to"]) if raw.get("effective_to") else None
    except (TypeError, ValueError) as error:
        raise ConfigError(f"{raw['key']} [{raw['version']}]: bad date ({error})") from error
    province = raw.get("province")
    if province is not None and (type(province) is not str or not province):
        raise ConfigError(f"{raw['key']} [{raw['version']}]: province must be a code string or null")
    return RuleVersion(
        key=str(raw["key"]),
        version=str(raw["version"]),
        effective_from=start,
        effective_to=end,
        values=raw["values"],
        province=province,
        source=str(raw.get("source", "")),
    )
