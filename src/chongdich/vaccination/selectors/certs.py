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

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.db.models import Max
from django.utils import timezone

from chongdich.people.models import Person
from chongdich.surveillance.models import Case, Outcome
from chongdich.testing.models import PoolMember, Sample, SampleKind, SampleStatus
from chongdich.vaccination import rules, signing
from chongdich.vaccination.certificates import Certificate, DoseLine, Verification, encode, extract, verify
from chongdich.vaccination.models import Dose, ProvinceVaccinationSetting

PCR_KINDS = (SampleKind.RT_PCR, SampleKind.POOLED_RT_PCR)
GREEN, YELLOW, RED = "green", "yellow", "red"


# --- the rules' configuration ------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _national():
    return rules.default_config()


def configs_for(province_codes: Iterable[str]) -> dict[str, object]:
    """province code → the rules' configuration there (national defaults + the province's overrides);
    one query for every province asked."""
    codes = {code for code in province_codes if code}
    national = _national()
    found = {code: national for code in codes}
    settings = ProvinceVaccinationSetting.objects.filter(province__code__in=codes).values_list(
        "province__code", "versions"
    )
    for code, versions in settings:
        if versions:
            try:
                found[code] = national.with_versions(versions)
            except (rules.InputError, ValueError, TypeError):
                found[code] = national  # a broken override never hides a colour; the settings page says it
    return found


def product_name(code: str, on: date | None = None) -> str:
    """The catalogue's name of a product code ("PF" → "Pfizer-BioNTech (Comirnaty)"), the code itself
    when the catalogue does not know it."""
    try:
        product = _national().products(on or date(2021, 12, 31)).get(code)
    except Exception:  # noqa: BLE001 - a day before the catalogue: the code is shown as it is
        product = None
    return product.name if product is not None else code


# --- colours -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Colour:
    """A person's colour on a day, and what it rests on (for the page's explanation)."""

    colour: str  # green | yellow | red
    on: date
    reason: str  # full_series | recovered | one_dose | negative_pcr | under_treatment | none
    since: date | None = None  # the day the reason began (series completed, recovered, first dose, result)
    until: date | None = None  # the last day it holds, when it runs out (recovery +180 days, PCR +72 hours)
    status: object | None = None  # the rules' Status (doses counted, next due, problems)
    recovered_on: date | None = None
    negative_pcr_on: date | None = None
    under_treatment: bool = False
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def next_due(self) -> date | None:
        return getattr(self.status, "next_due", None)

    @property
    def complete(self) -> bool:
        return bool(getattr(self.status, "complete", False))


def _pcr_time(day: date) -> datetime:
    """A negative result of ``day`` counts from 00:00 of that day (the hour is not recorded)."""
    return timezone.make_aware(datetime.combine(day, time(0)))


def _explain(colour: str, on: date, status, doses, recovered_on, pcr_on) -> tuple[str, date | None, date | None]:
    """Which fact gives the colour (the rules decided it; this only names the reason)."""
    if colour == GREEN:
        completed = getattr(status, "completed_on", None)
        if getattr(status, "complete", False) and completed is not None and completed + timedelta(days=14) <= on:
            return "full_series", completed, None
        if recovered_on is not None:
            return "recovered", recovered_on, recovered_on + timedelta(days=180)
        return "full_series", completed, None
    if colour == YELLOW:
        if doses and doses[0].date + timedelta(days=14) <= on:
            return "one_dose", doses[0].date, None
        if pcr_on is not None:
            return "negative_pcr", pcr_on, pcr_on + timedelta(days=3)
        return "one_dose", doses[0].date if doses else None, None
    return "none", None, None


def colours_of(people: Iterable[Person], on: date) -> dict[int, Colour]:
    """person id → ``Colour`` on ``on`` for many people: one query for doses, one for cases, two for
    negative RT-PCR results (the person's own samples, the pools they were in), one for the provinces'
    rule overrides — whatever the number of people."""
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
        cfg = configs.get(person.province_code) or _national()
        person_doses = tuple(doses.get(person.pk, ()))
        pcr_on = pcr.get(person.pk)
        facts = rules.PersonIn(
            id=str(person.pk),
            date_of_birth=person.date_of_birth,
            doses=person_doses,
            recovered_on=recovered.get(person.pk),
            negative_pcr_at=_pcr_time(pcr_on) if pcr_on else None,
        )
        status = rules.assess(facts, on, cfg)
        common = {
            "on": on,
            "status": status,
            "recovered_on": facts.recovered_on,
            "negative_pcr_on": pcr_on,
            "problems": tuple(status.problems),
        }
        if person.pk in treated:
            found[person.pk] = Colour(RED, reason="under_treatment", under_treatment=True, **common)
            continue
        reason, since, until = _explain(status.colour, on, status, person_doses, facts.recovered_on, pcr_on)
        found[person.pk] = Colour(status.colour, reason=reason, since=since, until=until, **common)
    return found


def colour_of(person: Person, on: date) -> Colour:
    """One person's colour on ``on`` (the person page's panel, the certificate)."""
    return colours_of([person], on)[person.pk]


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
