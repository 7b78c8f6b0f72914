"""``MovementConfig``: every rule version the movement rules may use, one ``RuleBook`` per family, the
version in force per (family, date, province) cached and compiled once.

``default_config().with_versions(stored)`` adds a province's versions (``version_from_dict`` reads
their JSON); ``validate_overrides`` refuses a malformed override when it is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from functools import cache
from typing import Any

from chongdich.core.versioning import RuleVersion, VersionedConfig, version_from_mapping
from chongdich.movement.rules.checkpoint import CheckpointRule, compile_checkpoint
from chongdich.movement.rules.defaults import DEFAULT_VERSIONS
from chongdich.movement.rules.errors import ConfigError
from chongdich.movement.rules.keys import CHECKPOINT_KEY, KEYS

COMPILERS: dict[str, Callable[[Mapping[str, Any], str], Any]] = {CHECKPOINT_KEY: compile_checkpoint}


class MovementConfig(VersionedConfig):
    """All rule versions of the movement families (national defaults plus province overrides)."""

    error = ConfigError

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
    resolve(config).validate(versions, ACCESSORS, "movement rule")


@cache
def default_config() -> MovementConfig:
    return MovementConfig(DEFAULT_VERSIONS)


def resolve(config: MovementConfig | None) -> MovementConfig:
    return default_config() if config is None else config


def version_from_dict(raw: Mapping[str, Any]) -> RuleVersion:
    """A ``RuleVersion`` of a movement family from JSON: dates as ``YYYY-MM-DD``."""
    return version_from_mapping(raw, error=ConfigError, families=KEYS, family_label="movement rule")
