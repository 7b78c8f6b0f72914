"""Contacts (F1, F2, F3…) kept up to date from exposures with the pure rules (``surveillance.rules``).

A person may be a contact of several index cases at different ranks; their rank on work lists is the
lowest.  Ranks are stored up to ``STORED_MAX_RANK`` (F3 by default: F1 and F2 are national
definitions, F3 is the local practice most plans use).  When an F1 becomes a case, that person's own
contacts become F1 of the new case: they move up a rank.
"""

from __future__ import annotations

from collections import deque
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from chongdich.core.dates import RuleNotInForce
from chongdich.core.versioning import NoRuleInForce
from chongdich.surveillance import placement
from chongdich.surveillance.models import Case, Contact, ContactStatus, Exposure, Outcome
from chongdich.surveillance.rules.config import SurveillanceConfig, default_config
from chongdich.surveillance.rules.contacts import classify_exposure, classify_secondary
from chongdich.surveillance.rules.exposure import ContactLevel
from chongdich.surveillance.rules.exposure import Exposure as RuleExposure
from chongdich.surveillance.rules.infectious import InfectiousPeriod, infectious_period
from chongdich.tallies.engine import tracked

STORED_MAX_RANK = getattr(settings, "CHONGDICH_CONTACT_MAX_RANK", 3)


class ServiceConfig(SurveillanceConfig):
    """The rules as the services read them: a date that no rule covers (a mistyped year) is a validation
    error in the user's language (``core.dates.RuleNotInForce``), on the form, in the API and in imports."""

    def rule(self, key: str, on: date, province: str | None = None):
        try:
            return super().rule(key, on, province)
        except RuleNotInForce:
            raise
        except NoRuleInForce as error:
            raise RuleNotInForce(error) from error

    def with_versions(self, more) -> ServiceConfig:
        return ServiceConfig([*self.versions, *more])


@lru_cache(maxsize=1)
def config() -> SurveillanceConfig:
    """The rule versions in force (defaults from the spec; province overrides can be added here)."""
    return ServiceConfig(default_config().versions)


def period_of(case: Case) -> InfectiousPeriod:
    return infectious_period(
        case.onset_date if case.symptomatic else None,
        case.confirmed_on,
        first_negative_date=case.outcome_on if case.outcome == Outcome.RECOVERED else None,
        config=config(),
        province=case.province_code,
    )


def as_rule(exposure: Exposure) -> RuleExposure:
    return RuleExposure(
        kind=exposure.kind,
        start=timezone.localtime(exposure.start).date(),
        end=timezone.localtime(exposure.end).date() if exposure.end else None,
        distance_m=float(exposure.distance_m) if exposure.distance_m is not None else None,
        duration_min=exposure.duration_min,
        masked=exposure.masked,
        source=exposure.source_id,
        contact=exposure.contact_id,
    )


def _upsert(person_id: int, unit, index_case: Case, rank: int, via_id, first: date, last: date, version: str) -> bool:
    """Create or improve a contact record; True when the rank improved (or the record is new)."""
    contact = Contact.objects.filter(person_id=person_id, index_case=index_case).first()
    if contact is None:
        contact = Contact(
            person_id=person_id,
            index_case=index_case,
            rank=rank,
            via_id=via_id,
            first_exposure=first,
            last_exposure=last,
            definition_version=version,
        )
        if Case.objects.filter(person_id=person_id, outcome=Outcome.ACTIVE).exists():
            contact.status = ContactStatus.BECAME_CASE
        contact.place_in(unit)
        with tracked() as tally:  # new F1 / F2 of the day
            contact.save()
            tally.add(contact)
        return True
    changed = {}
    if rank < contact.rank:
        changed.update(rank=rank, via_id=via_id, definition_version=version)
    if first < contact.first_exposure:
        changed["first_exposure"] = first
    if last > contact.last_exposure:
        changed["last_exposure"] = last
    if changed:
        with tracked(contact):  # a better rank or an earlier exposure moves the contact in the tallies
            Contact.objects.filter(pk=contact.pk).update(**changed, updated_at=timezone.now())
    return "rank" in changed


def _neighbour_exposures(person_id: int):
    return Exposure.objects.filter(Q(source_id=person_id) | Q(contact_id=person_id)).select_related(
        "source__unit", "contact__unit"
    )


def _other(exposure: Exposure, person_id: int):
    return exposure.contact if exposure.source_id == person_id else exposure.source


def _as_f1(index_case: Case, person, exposure: Exposure, period: InfectiousPeriod) -> bool:
    decision = classify_exposure(as_rule(exposure), period, config(), province=index_case.province_code)
    if decision.level != ContactLevel.F1:
        return False
    rule = as_rule(exposure)
    return _upsert(person.pk, person.unit, index_case, 1, None, rule.first_day, rule.last_day, decision.rule_version)


def _cascade(start_person_id: int, index_case: Case, start_rank: int) -> None:
    """Spread an improved rank to the contacts of the contact (F1 → F2 → F3), breadth first."""
    queue = deque([(start_person_id, start_rank)])
    while queue:
        person_id, rank = queue.popleft()
        if rank >= STORED_MAX_RANK:
            continue
        exposures = list(
            _neighbour_exposures(person_id)
            .exclude(source_id=index_case.person_id)
            .exclude(contact_id=index_case.person_id)
        )
        if not exposures:
            continue  # most new F1 have met nobody else yet: their later exposures propagate themselves
        record = Contact.objects.filter(person_id=person_id, index_case=index_case).first()
        if record is None:
            continue
        isolated = placement.facilities().isolation_start(person_id, record.first_exposure)
        for exposure in exposures:
            other = _other(exposure, person_id)
            if other.pk == index_case.person_id or Case.objects.filter(person=other, outcome=Outcome.ACTIVE).exists():
                continue
            decision = classify_secondary(
                as_rule(exposure), record.first_exposure, isolated, config(), province=index_case.province_code
            )
            if decision.level is None:
                continue
            rule = as_rule(exposure)
            if _upsert(
                other.pk,
                other.unit,
                index_case,
                rank + 1,
                person_id,
                rule.first_day,
                rule.last_day,
                decision.rule_version,
            ):
                queue.append((other.pk, rank + 1))


def exposure_recorded(exposure: Exposure, actor=None) -> None:
    """A new exposure: the other person may become an F1 of a case, or F2/F3 through a contact.

    Someone who is already an active case is not traced as a contact (they are F0; their own
    contacts are F1 of their case), which also keeps linking two cases cheap.
    """
    active = {
        c.person_id: c
        for c in Case.objects.filter(person_id__in=[exposure.source_id, exposure.contact_id], outcome=Outcome.ACTIVE)
    }
    for person, other in ((exposure.source, exposure.contact), (exposure.contact, exposure.source)):
        if other.pk in active:
            continue
        case = active.get(person.pk)
        if case is not None and _as_f1(case, other, exposure, period_of(case)):
            _cascade(other.pk, case, 1)
        for record in Contact.objects.filter(person=person, rank__lt=STORED_MAX_RANK).select_related("index_case"):
            if record.index_case.person_id == other.pk:
                continue
            isolated = placement.facilities().isolation_start(person.pk, record.first_exposure)
            decision = classify_secondary(
                as_rule(exposure), record.first_exposure, isolated, config(), province=record.index_case.province_code
            )
            if decision.level is None:
                continue
            rule = as_rule(exposure)
            if _upsert(
                other.pk,
                other.unit,
                record.index_case,
                record.rank + 1,
                person.pk,
                rule.first_day,
                rule.last_day,
                decision.rule_version,
            ):
                _cascade(other.pk, record.index_case, record.rank + 1)


def case_confirmed(case: Case, actor=None) -> None:
    """A new case: everyone who met them in their infectious period becomes their F1, and onwards."""
    period = period_of(case)
    for exposure in _neighbour_exposures(case.person_id):
        other = _other(exposure, case.person_id)
        if _as_f1(case, other, exposure, period):
            _cascade(other.pk, case, 1)


def lowest_ranks(person_ids) -> dict[int, int]:
    """person → lowest rank over all index cases (for work lists)."""
    result: dict[int, int] = {}
    for person_id, rank in Contact.objects.filter(person_id__in=person_ids).values_list("person_id", "rank"):
        result[person_id] = min(rank, result.get(person_id, rank))
    return result
