"""Bridge between care records and the pure care rules.

The rules (``chongdich.care.rules``) know nothing of the database: this module turns records
into rule inputs and rule answers into what an order or a stay stores — the plan's dates, the rule
version and the reasons, in both languages, so a page or a printed order can say *why*.  No threshold
lives here: durations, test days, eligibility bounds and warning signs all come from the rule
version in force.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.utils import timezone

from chongdich.care.models import OrderKind
from chongdich.care.rules import (
    SYMPTOMS,
    Eligibility,
    HomeCareInputs,
    MonitoringResult,
    Place,
    QuarantinePlan,
    Reason,
    ReleaseDecision,
    SurveillanceConfig,
    Vaccination,
    check_monitoring,
    fever_duration_hours,
    home_care_eligibility,
    quarantine_plan,
    release_date,
)
from chongdich.care.rules import MonitoringEntry as RuleEntry
from chongdich.care.rules.defaults import DEFAULT_VERSIONS
from chongdich.surveillance.contacts import config as surveillance_config


@lru_cache(maxsize=1)
def config() -> SurveillanceConfig:
    """The rule versions in force: the configuration the contact tracing uses, with care's families."""
    return surveillance_config().with_versions(DEFAULT_VERSIONS)


def reasons_json(reasons: Iterable[Reason]) -> list[dict[str, str]]:
    return [{"rule": r.rule, "vi": r.vi, "en": r.en} for r in reasons]


def reason_texts(stored: Iterable[dict], language: str = "vi") -> list[str]:
    """Stored reasons as lines to show, in ``language`` (Vietnamese unless the page is in English)."""
    key = "en" if (language or "").startswith("en") else "vi"
    return [f"{r.get('rule', '')}: {r.get(key) or r.get('vi', '')}".strip(": ") for r in stored or []]


def vaccination_from(doses: int | None, last_dose: date | None) -> Vaccination | None:
    """A vaccination summary from a form (number of doses and the date of the last one), or None."""
    if doses is None:
        return None
    return Vaccination.summary(doses, last_dose if doses else None)


def iso_days(days: Iterable[date]) -> list[str]:
    return sorted({d.isoformat() for d in days})


def as_days(stored: Iterable[str]) -> list[date]:
    return [date.fromisoformat(d) for d in stored or []]


# --- F1 quarantine (R-52) ---------------------------------------------------------------------


class PlanBook:
    """Quarantine plans for many F1 at once: identical inputs give the identical plan, computed once."""

    def __init__(self, rules: SurveillanceConfig | None = None):
        self.rules = rules or config()
        self._plans: dict[tuple, QuarantinePlan] = {}

    def plan(
        self,
        last_exposure: date,
        *,
        province: str | None,
        vaccination: Vaccination | None = None,
        recovered_on: date | None = None,
    ) -> QuarantinePlan:
        key = (last_exposure, province, vaccination, recovered_on)
        found = self._plans.get(key)
        if found is None:
            found = self._plans[key] = quarantine_plan(
                last_exposure, vaccination, recovered_on, province=province, config=self.rules
            )
        return found


def f1_plan(
    last_exposure: date,
    *,
    province: str | None,
    vaccination: Vaccination | None = None,
    recovered_on: date | None = None,
) -> QuarantinePlan:
    """R-52: the plan of the rule version in force on the day of last exposure."""
    return PlanBook().plan(last_exposure, province=province, vaccination=vaccination, recovered_on=recovered_on)


def plan_inputs(last_exposure: date, vaccination: Vaccination | None, recovered_on: date | None) -> dict[str, Any]:
    inputs: dict[str, Any] = {"last_exposure": last_exposure.isoformat()}
    if vaccination is not None:
        inputs["vaccinated_doses"] = vaccination.dose_count
        inputs["last_dose"] = vaccination.last_dose.isoformat() if vaccination.last_dose else None
    if recovered_on is not None:
        inputs["recovered_on"] = recovered_on.isoformat()
    return inputs


def order_fields(plan: QuarantinePlan) -> dict[str, Any]:
    """What a home order stores from a plan.  Without quarantine (from CV 1909) it is self-monitoring."""
    common = {
        "test_days": iso_days(plan.test_days),
        "rule_version": plan.rule_version,
        "reasons": reasons_json(plan.reasons),
    }
    if plan.place is Place.NONE:
        end = plan.self_monitor_end or plan.start
        return {
            "kind": OrderKind.SELF_MONITORING,
            "start": plan.self_monitor_start or plan.start,
            "end": end,
            "self_monitor_until": end,
            **common,
        }
    return {
        "kind": OrderKind.HOME_QUARANTINE,
        "start": plan.start,
        "end": plan.end,
        "self_monitor_until": plan.self_monitor_end,
        **common,
    }


def stay_fields(plan: QuarantinePlan) -> dict[str, Any]:
    """What a quarantine stay stores: the quarantine phase; the self-monitoring after it is kept in
    ``inputs`` and becomes a self-monitoring order when the stay is completed."""
    quarantine_tests = [t.day for t in plan.tests if t.phase == "quarantine"]
    monitoring_tests = [t.day for t in plan.tests if t.phase == "self_monitoring"]
    extra: dict[str, Any] = {}
    if plan.self_monitor_end is not None:
        extra = {
            "self_monitor_until": plan.self_monitor_end.isoformat(),
            "self_monitor_test_days": iso_days(monitoring_tests),
        }
    return {
        "planned_end": plan.end or plan.self_monitor_end or plan.start,
        "test_days": iso_days(quarantine_tests),
        "rule_version": plan.rule_version,
        "reasons": reasons_json(plan.reasons),
        "plan_extra": extra,
    }


def prescribes_facility(plan: QuarantinePlan) -> bool:
    return plan.place is Place.CONCENTRATED


# --- Home care of an F0 and its release (R-54) ------------------------------------------


@dataclass(frozen=True)
class HomeCareFacts:
    """What the officer records when assessing an F0 for home care (None = not known)."""

    respiratory_rate: float | None = None
    spo2: float | None = None
    abnormal_breathing: bool | None = None
    vaccinated_doses: int | None = None
    last_dose_date: date | None = None
    comorbidity: str | None = None  # "none" | "stable" | "unstable"
    pregnant: bool | None = None
    can_self_care: bool | None = None
    has_carer: bool | None = None
    reachable: bool | None = None

    def as_json(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.__dict__.items() if v is not None}


def home_care_inputs(person, case, facts: HomeCareFacts, on: date) -> HomeCareInputs:
    """The rule's inputs: age from the person, severity from the case, the rest from the assessment."""
    return HomeCareInputs(
        age=float(person.age_on(on)),
        severity=case.severity or None,
        respiratory_rate=_number(facts.respiratory_rate),
        spo2=_number(facts.spo2),
        abnormal_breathing=facts.abnormal_breathing,
        vaccinated_doses=facts.vaccinated_doses,
        last_dose_date=facts.last_dose_date,
        comorbidity=facts.comorbidity or None,
        pregnant=facts.pregnant,
        can_self_care=facts.can_self_care,
        has_carer=facts.has_carer,
        reachable=facts.reachable,
    )


def home_care_check(person, case, facts: HomeCareFacts, on: date) -> Eligibility:
    """R-53 with the version in force on ``on`` (QĐ 4038 from 21/8/2021, QĐ 261 from 31/1/2022)."""
    return home_care_eligibility(home_care_inputs(person, case, facts, on), on, config(), province=case.province_code)


def home_care_release(case, on: date, vaccination: Vaccination | None) -> ReleaseDecision:
    """R-54: when a home-treated F0 can be released, counted from the confirmation (day 1)."""
    start = min(case.confirmed_on, on)
    return release_date(
        start, None, vaccination, as_of=max(on, start), place="home", province=case.province_code, config=config()
    )


def home_care_dates(decision: ReleaseDecision, on: date) -> tuple[date, list[date]]:
    """(planned end, test days) of a home-care order: the latest possible release day, and the day of
    the test that can release earlier.  A version without a home rule leaves the end open (= start)."""
    end = decision.latest_release_on or decision.earliest_release_on or decision.release_on or on
    tests = [d for d in (decision.earliest_release_on,) if d is not None and d >= on]
    return max(end, on), tests


# --- Daily monitoring (QĐ 261 warning signs) ---------------------------------------------------


def rule_entry(entry, *, age: float | None, fever_hours: float | None = None) -> RuleEntry:
    return RuleEntry(
        recorded_at=timezone.localtime(entry.at).replace(tzinfo=None) if timezone.is_aware(entry.at) else entry.at,
        temperature_c=_number(entry.temperature_c),
        spo2=_number(entry.spo2),
        respiratory_rate=_number(entry.respiratory_rate),
        pulse=_number(entry.pulse),
        symptoms=frozenset(entry.symptoms or ()),
        age=age,
        fever_hours=fever_hours,
    )


def check_entry(entry, *, age: float | None, previous: Sequence = (), province: str | None = None) -> MonitoringResult:
    """Warning signs of a new entry, with how long a fever has lasted over the previous entries."""
    rules = config()
    series = [rule_entry(e, age=age) for e in previous] + [rule_entry(entry, age=age)]
    hours = fever_duration_hours(series, rules, province=province)
    return check_monitoring(rule_entry(entry, age=age, fever_hours=hours), rules, province=province)


def signs_json(result: MonitoringResult) -> list[dict[str, Any]]:
    return [
        {"code": s.code, "number": s.number, "vi": s.vi, "en": s.en, "detail_vi": s.detail_vi, "detail_en": s.detail_en}
        for s in result.signs
    ]


def symptom_choices(language: str = "vi") -> list[tuple[str, str]]:
    """The symptom checklist of the monitoring rules, labelled in ``language``."""
    index = 1 if (language or "").startswith("en") else 0
    return [(code, labels[index]) for code, labels in SYMPTOMS.items()]


def _number(value) -> float | None:
    if value is None:
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def local_day(moment: datetime | date) -> date:
    return timezone.localtime(moment).date() if isinstance(moment, datetime) else moment
