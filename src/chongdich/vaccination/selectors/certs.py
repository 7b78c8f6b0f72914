"""Reads of the certificates area: a person's certificate (doses, signed payload), the PC-Covid-style
colour of people on a day, and the verification of a payload.

**Colour** (``colour_of`` for one person, ``colours_of`` for many — one query per source, never one per
person): the rules' ``assess(...).colour`` (``vaccination.rules``, versioned), fed with the person's valid
doses up to the day, the day they recovered (their latest case closed as *recovered* on or before the
day, ``surveillance.Case.outcome_on``) and their latest negative RT-PCR (single or pooled, by result day:
``testing.Sample.result_on`` — the hour of a result is not recorded, so it counts from 00:00 of that
day, the earliest it can have been).  A person with a case under treatment on the day is red whatever
their doses: an F0 never passes a checkpoint.

The colour reads *every* record of the person (a dose given in another province counts), so the
caller must have checked that the person is in the user's scope (``get_for_user_or_404``, a scoped
list): these functions take people, not users.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.db.models import Count, Max, Q
from django.utils import timezone

from chongdich.core.access import get_for_user_or_404
from chongdich.core.scoping import for_user, within_unit
from chongdich.core.versioning import NoRuleInForce
from chongdich.people.models import Person
from chongdich.surveillance.models import Case, Outcome
from chongdich.testing.models import PoolMember, Sample, SampleKind, SampleStatus
from chongdich.vaccination import rules, signing
from chongdich.vaccination.certificates import Certificate, DoseLine, Verification, encode, extract, verify
from chongdich.vaccination.models import VIEW, Dose, ProvinceVaccinationSetting

PCR_KINDS = (SampleKind.RT_PCR, SampleKind.POOLED_RT_PCR)
GREEN, YELLOW, RED = "green", "yellow", "red"


# --- the rules' configuration ------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _national():
    return rules.default_config()


@lru_cache(maxsize=64)
def _with_overrides(raw: str):
    return _national().with_versions(rules.version_from_dict(item) for item in json.loads(raw))


def configs_for(province_codes: Iterable[str]) -> dict[str, object]:
    """province code → the rules' configuration there (national defaults + the province's overrides,
    ``ProvinceVaccinationSetting``); one query for every province asked."""
    codes = {code for code in province_codes if code}
    found = dict.fromkeys(codes, _national())
    overrides = ProvinceVaccinationSetting.objects.filter(province__code__in=codes).values_list(
        "province__code", "versions"
    )
    for code, versions in overrides:
        if versions:
            try:
                found[code] = _with_overrides(json.dumps(versions, sort_keys=True))
            except (rules.ConfigError, rules.InputError, ValueError, TypeError):
                pass  # a broken override never hides a colour: the national rules apply
    return found


def product_name(code: str, on: date | None = None) -> str:
    """The catalogue's name of a product code ("PF" → "Pfizer-BioNTech (Comirnaty)"), the code itself
    when the catalogue does not know it (or has no version on that day)."""
    try:
        product = _national().products(on or rules.VACCINATION_START).get(code)
    except (rules.ConfigError, NoRuleInForce):
        product = None
    return product.name if product is not None else code


# --- colours -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Colour:
    """A person's colour on a day, and what it rests on (for the page's explanation)."""

    colour: str  # green | yellow | red
    on: date
    reason: str  # the rules' colour_reason (full_primary | recovered | one_dose | negative_pcr | none),
    # or under_treatment (a case under treatment on the day: red whatever the rest)
    since: date | None = None  # the day the reason began (series completed, recovered, first dose, result)
    until: date | None = None  # the last day it holds, when it runs out (recovery, PCR result)
    status: object | None = None  # the rules' Status (doses counted, next due, problems)
    recovered_on: date | None = None
    negative_pcr_on: date | None = None
    under_treatment: bool = False

    @property
    def next_due(self) -> date | None:
        return getattr(self.status, "next_due", None)

    @property
    def complete(self) -> bool:
        return bool(getattr(self.status, "complete", False))

    @property
    def problems(self) -> tuple[str, ...]:
        return tuple(getattr(self.status, "problems", ()))


def _pcr_time(day: date) -> datetime:
    """A negative result of ``day`` counts from 00:00 of that day (the hour is not recorded)."""
    return timezone.make_aware(datetime.combine(day, time(0)))


def _span(status, rule, recovered_on: date | None, pcr_on: date | None) -> tuple[date | None, date | None]:
    """(since, until) of the rules' reason for the colour."""
    reason = status.colour_reason
    if reason == "full_primary":
        return status.completed_on, None
    if reason == "recovered":
        return recovered_on, recovered_on + timedelta(days=rule.recovered_max_days)
    if reason == "one_dose":
        first = next((d.date for d in status.doses if d.kind == rules.PRIMARY and d.counted), None)
        return first, None
    if reason == "negative_pcr":
        return pcr_on, (_pcr_time(pcr_on) + timedelta(hours=rule.negative_pcr_max_hours)).date()
    return None, None


def colours_of(people: Iterable[Person], on: date, *, at: datetime | None = None) -> dict[int, Colour]:
    """person id → ``Colour`` on ``on`` for many people (at the end of the day, or at the moment ``at``
    of that day: a checkpoint asks *now*): one query for doses, one for cases, two for negative RT-PCR
    results (the person's own samples, the pools they were in), one for the provinces' rule overrides —
    whatever the number of people."""
    people = list(people)
    ids = [person.pk for person in people]
    if not ids:
        return {}
    doses: dict[int, list] = defaultdict(list)
    rows = (
        Dose.objects.valid()
        .filter(person_id__in=ids, given_on__lte=on)
        .order_by("person_id", "given_on", "pk")
        .values_list("person_id", "product", "given_on")
    )
    for person_id, product, given_on in rows:
        doses[person_id].append(rules.DoseIn(product=product, date=given_on))

    recovered: dict[int, date] = {}
    treated: set[int] = set()
    cases = Case.objects.filter(person_id__in=ids, confirmed_on__lte=on).values_list(
        "person_id", "outcome", "outcome_on"
    )
    for person_id, outcome, outcome_on in cases:
        if outcome == Outcome.ACTIVE or (outcome_on is not None and outcome_on > on):
            treated.add(person_id)  # under treatment on the day (closed later, or not yet)
        elif outcome == Outcome.RECOVERED and outcome_on is not None:
            recovered[person_id] = max(outcome_on, recovered.get(person_id, outcome_on))

    negative = {"status": SampleStatus.NEGATIVE, "kind__in": PCR_KINDS, "result_on__lte": on}
    pcr: dict[int, date] = dict(
        Sample.objects.filter(person_id__in=ids, **negative)
        .order_by()
        .values("person_id")
        .annotate(last=Max("result_on"))
        .values_list("person_id", "last")
    )
    pooled = (
        PoolMember.objects.filter(person_id__in=ids, **{f"pool__{key}": value for key, value in negative.items()})
        .order_by()
        .values("person_id")
        .annotate(last=Max("pool__result_on"))
        .values_list("person_id", "last")
    )
    for person_id, last in pooled:
        pcr[person_id] = max(last, pcr.get(person_id, last))

    configs = configs_for(person.province_code for person in people)
    found = {}
    for person in people:
        province = person.province_code or None
        cfg = configs.get(person.province_code) or _national()
        pcr_on = pcr.get(person.pk)
        facts = rules.PersonIn(
            id=person.pk,
            date_of_birth=person.date_of_birth,
            doses=tuple(doses.get(person.pk, ())),
            recovered_on=recovered.get(person.pk),
            negative_pcr_at=_pcr_time(pcr_on) if pcr_on else None,
        )
        status = rules.assess(facts, on, cfg, province=province, at=at)
        common = {"on": on, "status": status, "recovered_on": facts.recovered_on, "negative_pcr_on": pcr_on}
        if person.pk in treated:
            found[person.pk] = Colour(RED, reason="under_treatment", under_treatment=True, **common)
            continue
        since, until = _span(status, cfg.colour_rule(on, province), facts.recovered_on, pcr_on)
        found[person.pk] = Colour(status.colour, reason=status.colour_reason, since=since, until=until, **common)
    return found


def colour_of(person: Person, on: date, *, at: datetime | None = None) -> Colour:
    """One person's colour on ``on`` (the person page's panel, the certificate)."""
    return colours_of([person], on, at=at)[person.pk]


# --- certificates ------------------------------------------------------------------------------------
def doses_of(person: Person):
    """A person's valid doses, oldest first, with their lot and site (every dose of the person: a
    certificate is about the person, wherever they were vaccinated)."""
    return Dose.objects.valid().filter(person=person).select_related("lot", "site").order_by("given_on", "pk")


def lot_of(dose: Dose) -> str:
    return dose.lot.number if dose.lot_id else dose.lot_number


@dataclass(frozen=True)
class IssuedCertificate:
    person: Person
    doses: list
    certificate: Certificate | None  # None without a dose: nothing to certify
    payload: str
    colour: Colour


def certificate_of(person: Person, on: date) -> IssuedCertificate:
    """The certificate of a person (in scope: the caller fetched them with ``get_for_user_or_404``),
    signed with the deployment's key, as of ``on``."""
    doses = list(doses_of(person))
    for dose in doses:
        dose.product_name = product_name(dose.product, dose.given_on)
        dose.lot_text = lot_of(dose)
    colour = colour_of(person, on)
    if not doses:
        return IssuedCertificate(person, doses, None, "", colour)
    key = signing.signing_key()
    birth = person.date_of_birth.isoformat() if person.date_of_birth else f"{person.birth_year:04d}"
    certificate = Certificate(
        kid=key.kid,
        name=person.full_name,
        date_of_birth=birth,
        doses=tuple(DoseLine(dose.product, dose.given_on, lot_of(dose)) for dose in doses[-10:]),
        issued_on=on,
    )
    return IssuedCertificate(person, doses, certificate, encode(certificate, key.private), colour)


# --- verification (reads no table) --------------------------------------------------------------------
@dataclass(frozen=True)
class Checked:
    verification: Verification
    doses: list = field(default_factory=list)  # (number, product name, DoseLine)
    retired_key: bool = False  # valid, signed by a key replaced since


def check_payload(text: str) -> Checked:
    """What a pasted or scanned payload holds and whether this deployment signed it.  Only the payload
    and the public keys are read — never the database."""
    result = verify(extract(text), signing.verifying_keys())
    lines = []
    if result.certificate is not None:
        lines = [
            (number, product_name(dose.product, dose.given_on), dose)
            for number, dose in enumerate(result.certificate.doses, start=1)
        ]
    retired = result.valid and result.kid != signing.signing_key().kid
    return Checked(result, lines, retired)


# --- the API's reads ----------------------------------------------------------------------------------
def doses_for(user, capability: str = VIEW):
    """Valid doses of the user's area (scoped by the person's unit when the dose was given)."""
    return for_user(Dose.objects.valid(), user, capability).select_related("unit", "lot", "site")


def doses_in_list(user, *, unit: str | None = None, since: date | None = None):
    """(doses of the area, newest first, narrowed to ``unit``'s subtree and to doses given on or after
    ``since``; the unit found — None for an unknown code)."""
    doses = doses_for(user)
    found = True
    if unit:
        doses, found = within_unit(doses, unit)
    if since is not None:
        doses = doses.filter(given_on__gte=since)
    return doses.order_by("-given_on", "-pk"), found


def person_in_scope(user, pk: int, capability: str = VIEW) -> Person:
    """A person of the user's area (404 otherwise, like one that does not exist)."""
    return get_for_user_or_404(Person.objects.select_related("unit"), user, capability, pk=pk)


def vaccinated_people(user, capability: str = VIEW):
    """People of the user's area with at least one valid dose, with their number of doses and last dose."""
    valid = Q(vaccine_doses__voided_at__isnull=True)
    return (
        Person.objects.for_user(user, capability)
        .filter(pk__in=Dose.objects.valid().values("person_id"))
        .annotate(
            doses=Count("vaccine_doses", filter=valid, distinct=True),
            last_dose=Max("vaccine_doses__given_on", filter=valid),
        )
        .select_related("unit")
        .order_by("folded_name", "pk")
    )
