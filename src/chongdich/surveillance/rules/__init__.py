"""Pure-Python rules for the infectious period, contacts, tracing ranks and active cases (spec §4,
R-50, R-51, R-55).  Care's rules (F1 quarantine, home care, release, monitoring) are in
``chongdich.care.rules``.

No Django import anywhere here.  Every duration, distance and eligibility bound is versioned
configuration (``core.versioning.RuleVersion``) with effective dates and province overrides.

Public API::

    infectious_period(onset_date, first_positive_sample_date, first_negative_date=None,
                      ct_above_30_date=None, *, config=None, province=None) -> InfectiousPeriod
    classify_exposure(exposure, f0_infectious_period, config=None, *, province=None) -> ContactDecision
    classify_secondary(exposure_to_f1, f1_exposure_start, f1_isolation_start, config=None, *,
                       province=None) -> ContactDecision
    ranks(f0_ids, exposures, as_of, config=None, max_rank=None, *, province=None, periods=None,
          qualify=True) -> dict[person, int]
    ContactGraph.from_exposures(...) / .from_pairs(...); graph.ranks(...); graph.promote(...)
    active_count(confirmed, recovered, deaths, transferred_out, by_place=None, *, on=None,
                 province=None, config=None) -> ActiveCount
    default_config() / SurveillanceConfig(versions) / version_from_dict(json)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# Names are imported on first use (PEP 562).
_EXPORTS = {
    "ActiveCount": "active",
    "active_count": "active",
    "SurveillanceConfig": "config",
    "default_config": "config",
    "version_from_dict": "config",
    "ContactDecision": "contacts",
    "classify_exposure": "contacts",
    "classify_secondary": "contacts",
    "ConfigError": "errors",
    "InputError": "errors",
    "ContactLevel": "exposure",
    "Exposure": "exposure",
    "ExposureKind": "exposure",
    "InfectiousPeriod": "infectious",
    "infectious_period": "infectious",
    "ContactGraph": "tracing",
    "ranks": "tracing",
    "Reason": "reasons",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from chongdich.surveillance.rules.active import ActiveCount, active_count
    from chongdich.surveillance.rules.config import SurveillanceConfig, default_config, version_from_dict
    from chongdich.surveillance.rules.contacts import ContactDecision, classify_exposure, classify_secondary
    from chongdich.surveillance.rules.errors import ConfigError, InputError
    from chongdich.surveillance.rules.exposure import ContactLevel, Exposure, ExposureKind
    from chongdich.surveillance.rules.infectious import InfectiousPeriod, infectious_period
    from chongdich.surveillance.rules.reasons import Reason
    from chongdich.surveillance.rules.tracing import ContactGraph, ranks

__all__ = [
    "ActiveCount",
    "ConfigError",
    "ContactDecision",
    "ContactGraph",
    "ContactLevel",
    "Exposure",
    "ExposureKind",
    "InfectiousPeriod",
    "InputError",
    "Reason",
    "SurveillanceConfig",
    "active_count",
    "classify_exposure",
    "classify_secondary",
    "default_config",
    "infectious_period",
    "ranks",
    "version_from_dict",
]
