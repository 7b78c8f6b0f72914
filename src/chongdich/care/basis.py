"""The basis printed on a decision for the citizen: the legal documents behind the rule that decided
it, and that rule in plain words — never the internal rule codes (R-52…) nor the explanation stored
for the officers (which branch was taken, on which day the rule was looked up).

The documents come from the versioned rule configuration: ``RuleVersion.version`` names the document
("CV 10696/BYT-MT") and its ``source`` starts with it and its date ("CV 10696/BYT-MT 16/12/2021 …").
The record keeps the name of the version that decided it (``rule_version``; "A + B" with a province
override), so the basis is the one actually applied, whatever the date of printing.  The rule family
follows the kind of decision: the F1 quarantine rule for home or concentrated quarantine and
self-monitoring, the home-care and release rules for home care of a case.

The plain rule is the branch of that version with the decision's place and length.  A decision the
rule did not prescribe (an authorised exception: home quarantine where the rule says concentrated, home
care of an F0 who is not eligible) cites the document but prints no rule line: the decision states the
exception and its reason instead.  Versions that are practice or design defaults rather than legal
documents ("Thực tiễn 2020") are not cited.

Every text here is an English msgid: call these inside ``translation.override("vi")`` for the printed
decision (the page is always in Vietnamese).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from chongdich.care import plans
from chongdich.care.models import HomeOrder, OrderKind, Stay
from chongdich.care.rules import home_care as home_care_rules
from chongdich.care.rules import quarantine as quarantine_rules
from chongdich.care.rules import release as release_rules
from chongdich.care.rules.home_care import Comorbidity, Severity
from chongdich.care.rules.keys import HOME_CARE_KEY, QUARANTINE_KEY, RELEASE_KEY
from chongdich.care.rules.quarantine import Place
from chongdich.care.rules.release import TreatmentPlace
from chongdich.core.versioning import NoRuleInForce, RuleVersion, deep_merge

_DOCUMENT = re.compile(r"^(CV|QĐ|CĐ|NQ|CT)\s+(\d+/[0-9A-Za-zĐđ-]+)$")
_WRITTEN_OUT = ("Công văn", "Quyết định", "Công điện", "Nghị quyết", "Chỉ thị")  # a name already in full


@dataclass(frozen=True)
class Basis:
    documents: tuple[str, ...] = ()  # "Official letter No. 10696/BYT-MT of 16/12/2021 …"
    rules: tuple[str, ...] = ()  # the rule applied, in plain words


# --- documents ----------------------------------------------------------------------------------


def _kind_of_document(abbreviation: str, number: str) -> str:
    return {
        "CV": _("Official letter No. %(number)s"),
        "QĐ": _("Decision No. %(number)s"),
        "CĐ": _("Official telegram No. %(number)s"),
        "NQ": _("Resolution No. %(number)s"),
        "CT": _("Directive No. %(number)s"),
    }[abbreviation] % {"number": number}


def _issuer(number: str) -> str | None:
    """Who issued a document, from the code after its number ("10696/BYT-MT" → the Ministry of Health)."""
    issuers = {
        "BYT": _("of the Ministry of Health"),
        "BCĐ": _("of the National Steering Committee for COVID-19 Prevention and Control"),
        "BCĐQG": _("of the National Steering Committee for COVID-19 Prevention and Control"),
        "TTg": _("of the Prime Minister"),
        "CP": _("of the Government"),
    }
    for part in number.split("/", 1)[-1].split("-"):
        if part in issuers:
            return issuers[part]
    return None


def _date_of(version: RuleVersion) -> str | None:
    """The document's date as its ``source`` gives it right after the name ("CV 5599/BYT-MT 14/7/2021 …")."""
    found = re.match(re.escape(version.version) + r"\s+(\d{1,2})/(\d{1,2})/(\d{4})\b", version.source or "")
    if found is None:
        return None
    day, month, year = (int(n) for n in found.groups())
    try:
        return date(year, month, day).strftime("%d/%m/%Y")
    except ValueError:
        return None


def citation(version: RuleVersion) -> str | None:
    """The document a rule version applies, written out for a decision; None when it is no document
    (local practice, a design default)."""
    name = version.version.strip()
    match = _DOCUMENT.match(name)
    if match is None:
        return name if name.startswith(_WRITTEN_OUT) else None
    text = _kind_of_document(match[1], match[2])
    day = _date_of(version)
    if day:
        text = _("%(document)s of %(date)s") % {"document": text, "date": day}
    issuer = _issuer(match[2])
    return f"{text} {issuer}" if issuer else text


def _named(key: str, rule_version: str) -> list[RuleVersion]:
    """The versions a record names (national first, then a province's override), as configured."""
    names = [part.strip() for part in (rule_version or "").split(" + ") if part.strip()]
    versions = [v for v in plans.config().versions if v.key == key]
    found = []
    for name in names:
        match = next((v for v in versions if v.version == name and v not in found), None)
        if match is not None:
            found.append(match)
    return found


def _merged(versions: list[RuleVersion]) -> dict:
    values: dict = {}
    for version in versions:
        values = deep_merge(values, version.values)
    return values


def _citations(versions: Iterable[RuleVersion]) -> tuple[str, ...]:
    lines: list[str] = []
    for version in versions:
        line = citation(version)
        if line and line not in lines:
            lines.append(line)
    return tuple(lines)


# --- the rule in plain words --------------------------------------------------------------------


def _days(numbers: Iterable[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def _protected_who(protection) -> str:
    vaccine = protection.vaccine
    doses = _("the full primary series") if vaccine.doses is None else _("at least %(n)s doses") % {"n": vaccine.doses}
    text = _(
        "Close contacts (F1) vaccinated against COVID-19 with %(doses)s, the last dose at least %(days)s days before"
    ) % {"doses": doses, "days": vaccine.min_days_after_last_dose}
    if vaccine.max_months_after_last_dose is not None:
        text += " " + _("and at most %(months)s months before") % {"months": vaccine.max_months_after_last_dose}
    if protection.recovered_within_months is not None:
        text += ", " + _("or who recovered from COVID-19 within %(months)s months") % {
            "months": protection.recovered_within_months
        }
    return text


def quarantine_rule(values: dict, place: str, days: int) -> str | None:
    """The branch of an F1 quarantine version with this place ("home", "concentrated", "none") and this
    length, in plain words; None when the version prescribes no such branch (an exception)."""
    params = quarantine_rules.compile_params(values, "print")
    branches = [("default", params.default)]
    if params.protection is not None and params.protected is not None:
        branches.insert(0, ("protected", params.protected))
    found = [
        (name, branch)
        for name, branch in branches
        if branch.place.value == place
        and (branch.self_monitor_days if branch.place is Place.NONE else branch.days) == days
    ]
    if not found:
        return None
    name, branch = found[0]
    if name == "protected":
        who = _protected_who(params.protection)
    else:
        who = _("Other close contacts (F1)") if params.protection is not None else _("Close contacts (F1)")
    if branch.place is Place.NONE:
        steps = [
            _(
                "no quarantine; precautions and health self-monitoring for %(days)s days from the day of last exposure, with a test when symptoms appear"
            )
            % {"days": branch.self_monitor_days}
        ]
    else:
        where = (
            _("home quarantine for %(days)s days from the day of last exposure")
            if branch.place is Place.HOME
            else _("concentrated quarantine for %(days)s days from the day of last exposure")
        )
        steps = [where % {"days": branch.days}]
        if branch.test_days:
            steps.append(_("tests on day %(days)s of quarantine") % {"days": _days(branch.test_days)})
        if branch.self_monitor_days:
            steps.append(_("then health self-monitoring for %(days)s days") % {"days": branch.self_monitor_days})
            if branch.self_monitor_test_days:
                steps.append(
                    _("a test on day %(days)s of self-monitoring") % {"days": _days(branch.self_monitor_test_days)}
                )
    return f"{who}: {'; '.join(steps)}."


def _bound(bound) -> str:
    number = str(int(bound.limit)) if float(bound.limit).is_integer() else str(bound.limit)
    return {
        "at_least": _("at least %(n)s"),
        "more_than": _("above %(n)s"),
        "at_most": _("at most %(n)s"),
        "less_than": _("below %(n)s"),
    }[bound.op] % {"n": number}


def home_care_rule(values: dict) -> str | None:
    """Who may be cared for at home under a home-care version, in plain words."""
    params = home_care_rules.compile_params(values, "print")
    if not params.permitted:
        return None
    conditions = []
    severity = {
        frozenset({Severity.ASYMPTOMATIC, Severity.MILD}): _("without symptoms or with mild symptoms"),
        frozenset({Severity.ASYMPTOMATIC}): _("without symptoms"),
        frozenset({Severity.MILD}): _("with mild symptoms"),
    }.get(frozenset(params.severities))
    if severity:
        conditions.append(severity)
    if params.respiratory_rate is not None:
        conditions.append(_("breathing rate %(bound)s breaths a minute") % {"bound": _bound(params.respiratory_rate)})
    if params.spo2 is not None:
        conditions.append(_("SpO2 %(bound)s%%") % {"bound": _bound(params.spo2)})
    if params.abnormal_breathing_excludes:
        conditions.append(_("no abnormal breathing"))
    if params.comorbidity_allowed == {Comorbidity.NONE, Comorbidity.STABLE}:
        conditions.append(_("no underlying disease, or one that is stably treated"))
    elif params.comorbidity_allowed == {Comorbidity.NONE}:
        conditions.append(_("no underlying disease"))
    branch = params.protection
    if branch is not None:
        low_risk = [
            _("aged over %(low)s and under %(high)s")
            % {"low": _number(branch.age_more_than), "high": _number(branch.age_less_than)}
        ]
        if branch.no_comorbidity:
            low_risk.append(_("without underlying disease"))
        if branch.not_pregnant:
            low_risk.append(_("not pregnant"))
        conditions.append(
            _("vaccinated (%(doses)s doses, or one dose at least %(days)s days before) or %(low_risk)s")
            % {"doses": branch.full_doses, "days": branch.one_dose_min_days, "low_risk": ", ".join(low_risk)}
        )
    conditions.append(_("able to look after themselves and be reached by phone, or with a carer"))
    return _("COVID-19 patients (F0) are managed and cared for at home when they meet all of: %(conditions)s.") % {
        "conditions": "; ".join(conditions)
    }


def release_rule(values: dict) -> str | None:
    """When a case cared for at home is released, in plain words (None: by clinical criteria)."""
    rule = release_rules.compile_params(values, "print").rules.get(TreatmentPlace.HOME)
    if rule is None:
        return None
    test = _("rapid antigen test") if rule.test == "rapid_antigen" else _("RT-PCR test")
    text = _("Release from isolation from day %(day)s (day 1 = the day of confirmation) with a negative %(test)s") % {
        "day": rule.first_test_day,
        "test": test,
    }
    if rule.fallback_full is not None and rule.fallback_not_full is not None:
        text += "; " + _(
            "if still positive, isolation continues until day %(full)s (fully vaccinated) or day %(not_full)s (not fully vaccinated)"
        ) % {"full": rule.fallback_full, "not_full": rule.fallback_not_full}
    else:
        text += "; " + _("if still positive, isolation continues until a negative test")
    return text + "."


def _number(value) -> str:
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


# --- per record ---------------------------------------------------------------------------------


PLACE_OF_ORDER = {OrderKind.HOME_QUARANTINE: "home", OrderKind.SELF_MONITORING: "none"}


def _plan_start(record, default: date) -> date:
    """Day 1 of the plan: the day of last exposure the rule was given (else the record's first day)."""
    raw = (record.inputs or {}).get("last_exposure") if isinstance(record.inputs, dict) else None
    try:
        return date.fromisoformat(raw) if raw else default
    except ValueError:
        return default


@lru_cache(maxsize=256)
def _quarantine_basis(rule_version: str, place: str, days: int, language: str) -> Basis:
    """Identical for every record with the same rule, place and length (a bulk order prints thousands)."""
    versions = _named(QUARANTINE_KEY, rule_version)
    if not versions:
        return Basis()
    rule = quarantine_rule(_merged(versions), place, days)
    return Basis(_citations(versions), (rule,) if rule else ())


def of_order(order: HomeOrder) -> Basis:
    if order.kind == OrderKind.HOME_CARE:
        versions = _named(HOME_CARE_KEY, order.rule_version)
        try:
            release = [plans.config().rule(RELEASE_KEY, order.start, order.province_code or None)]
        except NoRuleInForce:
            release = []
        rules = []
        if versions and (order.inputs or {}).get("eligible", True) is not False:
            rules.append(home_care_rule(_merged(versions)))
        if release:
            rules.append(release_rule(release[0].values))
        return Basis(_citations([*versions, *release]), tuple(r for r in rules if r))
    days = (order.end - _plan_start(order, order.start)).days + 1
    return _quarantine_basis(order.rule_version, PLACE_OF_ORDER[OrderKind(order.kind)], days, get_language() or "")


def of_stay(stay: Stay) -> Basis:
    end = stay.planned_end or stay.admitted_on
    days = (end - _plan_start(stay, stay.admitted_on)).days + 1
    return _quarantine_basis(stay.rule_version, "concentrated", days, get_language() or "")
