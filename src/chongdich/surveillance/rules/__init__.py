"""Pure-Python rules for contacts, quarantine, home care and release (spec §4, R-50 … R-55).
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
    quarantine_plan(exposure_date, vaccination=None, recovered_date=None, as_of=None, province=None,
                    config=None) -> QuarantinePlan
    home_care_eligibility(inputs, as_of, config=None, *, province=None) -> Eligibility
    release_date(start_date, rat_results=None, vaccination=None, as_of=None, place="home",
                 province=None, config=None) -> ReleaseDecision
    check_monitoring(entry, config=None, *, province=None) -> MonitoringResult
    fever_duration_hours(entries, config=None, *, province=None) -> float | None
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
    "Comorbidity": "home_care",
    "Eligibility": "home_care",
    "HomeCareInputs": "home_care",
    "Severity": "home_care",
    "home_care_eligibility": "home_care",
    "InfectiousPeriod": "infectious",
    "infectious_period": "infectious",
    "MonitoringEntry": "monitoring",
    "MonitoringResult": "monitoring",
    "WarningSign": "monitoring",
    "SYMPTOMS": "monitoring",
    "check_monitoring": "monitoring",
    "fever_duration_hours": "monitoring",
    "Place": "quarantine",
    "QuarantinePlan": "quarantine",
    "ScheduledTest": "quarantine",
    "quarantine_plan": "quarantine",
    "ContactGraph": "tracing",
    "ranks": "tracing",
    "Reason": "reasons",
    "ReleaseDecision": "release",
    "ReleaseStatus": "release",
    "TestResult": "release",
    "TreatmentPlace": "release",
    "release_date": "release",
    "Vaccination": "vaccination",
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
    from chongdich.surveillance.rules.home_care import (
        Comorbidity,
        Eligibility,
        HomeCareInputs,
        Severity,
        home_care_eligibility,
    )
    from chongdich.surveillance.rules.infectious import InfectiousPeriod, infectious_period
    from chongdich.surveillance.rules.monitoring import (
        SYMPTOMS,
        MonitoringEntry,
        MonitoringResult,
        WarningSign,
        check_monitoring,
        fever_duration_hours,
    )
    from chongdich.surveillance.rules.quarantine import Place, QuarantinePlan, ScheduledTest, quarantine_plan
    from chongdich.surveillance.rules.reasons import Reason
    from chongdich.surveillance.rules.release import (
        ReleaseDecision,
        ReleaseStatus,
        TestResult,
        TreatmentPlace,
        release_date,
    )
    from chongdich.surveillance.rules.tracing import ContactGraph, ranks
    from chongdich.surveillance.rules.vaccination import Vaccination

__all__ = [
    "ActiveCount",
    "Comorbidity",
    "ConfigError",
    "ContactDecision",
    "ContactGraph",
    "ContactLevel",
    "Eligibility",
    "Exposure",
    "ExposureKind",
    "HomeCareInputs",
    "InfectiousPeriod",
    "InputError",
    "MonitoringEntry",
    "MonitoringResult",
    "Place",
    "QuarantinePlan",
    "Reason",
    "ReleaseDecision",
    "ReleaseStatus",
    "SYMPTOMS",
    "ScheduledTest",
    "Severity",
    "SurveillanceConfig",
    "TestResult",
    "TreatmentPlace",
    "Vaccination",
    "WarningSign",
    "active_count",
    "check_monitoring",
    "classify_exposure",
    "classify_secondary",
    "default_config",
    "fever_duration_hours",
    "home_care_eligibility",
    "infectious_period",
    "quarantine_plan",
    "ranks",
    "release_date",
    "version_from_dict",
]
