"""Pure-Python rules of care: F1 quarantine (R-52), home care of F0 (R-53), release from isolation
(R-54) and the monitoring of people in care (QĐ 261 warning signs).  No Django import anywhere here;
the shared pure toolkit (dates, errors, reasons, bounds, the versioned configuration) comes from
``chongdich.surveillance.rules``, itself pure.

Public API::

    quarantine_plan(exposure_date, vaccination=None, recovered_date=None, as_of=None, province=None,
                    config=None) -> QuarantinePlan
    home_care_eligibility(inputs, as_of, config=None, *, province=None) -> Eligibility
    release_date(start_date, rat_results=None, vaccination=None, as_of=None, place="home",
                 province=None, config=None) -> ReleaseDecision
    check_monitoring(entry, config=None, *, province=None) -> MonitoringResult
    fever_duration_hours(entries, config=None, *, province=None) -> float | None
    default_config() (surveillance's and care's versions) / version_from_dict(json)
"""

from __future__ import annotations

from chongdich.care.rules.config import SurveillanceConfig, default_config, version_from_dict
from chongdich.care.rules.home_care import Comorbidity, Eligibility, HomeCareInputs, Severity, home_care_eligibility
from chongdich.care.rules.monitoring import (
    SYMPTOMS,
    MonitoringEntry,
    MonitoringResult,
    WarningSign,
    check_monitoring,
    fever_duration_hours,
)
from chongdich.care.rules.quarantine import Place, QuarantinePlan, ScheduledTest, quarantine_plan
from chongdich.care.rules.release import ReleaseDecision, ReleaseStatus, TestResult, TreatmentPlace, release_date
from chongdich.care.rules.vaccination import Vaccination
from chongdich.surveillance.rules.errors import ConfigError, InputError
from chongdich.surveillance.rules.reasons import Reason

__all__ = [
    "SYMPTOMS",
    "Comorbidity",
    "ConfigError",
    "Eligibility",
    "HomeCareInputs",
    "InputError",
    "MonitoringEntry",
    "MonitoringResult",
    "Place",
    "QuarantinePlan",
    "Reason",
    "ReleaseDecision",
    "ReleaseStatus",
    "ScheduledTest",
    "Severity",
    "SurveillanceConfig",
    "TestResult",
    "TreatmentPlace",
    "Vaccination",
    "WarningSign",
    "check_monitoring",
    "default_config",
    "fever_duration_hours",
    "home_care_eligibility",
    "quarantine_plan",
    "release_date",
    "version_from_dict",
]
