"""Access to the surveillance rule versions in force: one ``RuleBook`` per rule family, with
the version in force per (family, date, province) cached, and compiled once into typed
parameters by each rule module.

Every duration, distance and eligibility bound lives in ``RuleVersion.values`` (defaults in
``defaults.py``); a province changes a value by adding a ``RuleVersion`` with ``province`` set
and only the keys it changes (``core.versioning.RuleBook`` merges it over the national one).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from chongdich.core.versioning import RuleVersion, VersionedConfig, version_from_mapping
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


class SurveillanceConfig(VersionedConfig):
    """All rule versions the surveillance rules may use.  Build it from the defaults plus any
    versions stored in the database (``default_config().with_versions(stored)``)."""

    error = ConfigError


@cache
def default_config() -> SurveillanceConfig:
    return SurveillanceConfig(DEFAULT_VERSIONS)


def resolve(config: SurveillanceConfig | None) -> SurveillanceConfig:
    return default_config() if config is None else config


def version_from_dict(raw: Mapping[str, Any]) -> RuleVersion:
    """A ``RuleVersion`` from JSON (database rows, fixtures): dates as ``YYYY-MM-DD``."""
    return version_from_mapping(raw, error=ConfigError, families=KEYS, family_label="surveillance rule")
