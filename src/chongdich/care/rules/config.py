"""The rule versions care's rules read: the surveillance families (the infectious period, F1/F2,
tracing, active cases) plus care's own (F1 quarantine, home care, release, monitoring), in one
``SurveillanceConfig`` so that a plan and the contact tracing read the same versions.

Build it from the defaults plus stored versions (``default_config().with_versions(stored)``).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from chongdich.care.rules.defaults import DEFAULT_VERSIONS
from chongdich.care.rules.keys import HOME_CARE_KEY, KEYS, MONITORING_KEY, QUARANTINE_KEY, RELEASE_KEY
from chongdich.core.versioning import RuleVersion, version_from_mapping
from chongdich.surveillance.rules.config import KEYS as SURVEILLANCE_KEYS
from chongdich.surveillance.rules.config import SurveillanceConfig
from chongdich.surveillance.rules.config import default_config as surveillance_default_config
from chongdich.surveillance.rules.errors import ConfigError

__all__ = [
    "ALL_KEYS",
    "DEFAULT_VERSIONS",
    "HOME_CARE_KEY",
    "KEYS",
    "MONITORING_KEY",
    "QUARANTINE_KEY",
    "RELEASE_KEY",
    "SurveillanceConfig",
    "default_config",
    "resolve",
    "version_from_dict",
]

ALL_KEYS = (*SURVEILLANCE_KEYS, *KEYS)


@cache
def default_config() -> SurveillanceConfig:
    """Every default version, surveillance's and care's."""
    return surveillance_default_config().with_versions(DEFAULT_VERSIONS)


def resolve(config: SurveillanceConfig | None) -> SurveillanceConfig:
    return default_config() if config is None else config


def version_from_dict(raw: Mapping[str, Any]) -> RuleVersion:
    """A ``RuleVersion`` of any family (surveillance's or care's) from JSON: dates as ``YYYY-MM-DD``."""
    return version_from_mapping(raw, error=ConfigError, families=ALL_KEYS, family_label="surveillance rule")
