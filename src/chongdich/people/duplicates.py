"""Duplicate checks: who this new person may already be, and what the asker may be told about it.

``similar_people`` finds probable twins of a new record: the same folded name and year of birth (and
the same date of birth when both are known) with the same phone, or in the same village or household
— children and old people often have no phone and no citizen ID.

``disclose`` is the one place that decides what a duplicate warning says, for the registration page,
the API and the imports alike: a match inside the asker's area (people.view) may be named and linked;
a match outside it is reported only as "registered in another area", and that disclosure is audited
in the matched person's area (its auditors see who asked; the asker's audit page shows nothing of it).
The warning carries a reference with which the asker can ask the level above both areas to move the
person (``people.actions.do_request_transfer``).

The audit event must outlive the transaction that found the duplicate, which the refusal rolls back:
services check for duplicates before they open their transaction, and an import's dry run (one
transaction, always rolled back) collects its warnings and writes them afterwards
(``deferred_disclosures``).  The reference is therefore chosen before the event is written.
"""

from __future__ import annotations

import re
import secrets
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from chongdich.core import audit
from chongdich.core.models import AuditEvent
from chongdich.core.roles import Cap
from chongdich.core.scoping import in_scope
from chongdich.core.text import fold
from chongdich.people.models import Person

MAX_MATCHES = 5
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read over the phone
REFERENCE = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$")
_deferred: ContextVar[list | None] = ContextVar("deferred_disclosures", default=None)


@dataclass
class Found:
    """What a duplicate check may show: people in the asker's area, references for the others."""

    named: list[Person] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)  # references of the audited warnings (transfer requests)

    def __bool__(self) -> bool:
        return bool(self.named or self.elsewhere)


def similar_people(
    *,
    full_name: str,
    birth_year: int | None,
    date_of_birth: date | None = None,
    phone: str = "",
    unit=None,
    household=None,
    exclude_pk=None,
) -> list[Person]:
    """Probably the same person typed twice: same folded name and year (and date of birth when both are
    known), and the same phone, or living in the same village (the unit's subtree) or household."""
    if not full_name or not birth_year:
        return []
    where = Q()
    if phone:
        where |= Q(phone=phone)
    if unit is not None:
        where |= Q(unit_path__startswith=unit.path)
    if household is not None and getattr(household, "pk", None):
        where |= Q(household_id=household.pk)
    if not where:
        return []
    matches = Person.objects.active().filter(where, folded_name=fold(full_name), birth_year=birth_year)
    if date_of_birth:
        matches = matches.filter(Q(date_of_birth__isnull=True) | Q(date_of_birth=date_of_birth))
    if exclude_pk:
        matches = matches.exclude(pk=exclude_pk)
    return list(matches.select_related("unit").order_by("pk")[:MAX_MATCHES])


def disclose(
    actor, matches, *, match: str, channel: str, wanted_unit=None, typed_name: str = "", job: int | None = None
) -> Found:
    """Split ``matches`` into those ``actor`` may be shown and references for the others (audited).

    ``match`` says what matched ("cccd", "similar"), ``channel`` where ("web", "api", "import"),
    ``wanted_unit`` where the asker meant to register the person (the transfer's destination).
    Within one import job (dry run, then import) a person is recorded once.
    """
    found = Found()
    for person in matches:
        if in_scope(actor, Cap.PEOPLE_VIEW, person):
            found.named.append(person)
        else:
            found.elsewhere.append(
                _record_elsewhere(
                    actor, person, match=match, channel=channel, wanted_unit=wanted_unit, typed_name=typed_name, job=job
                )
            )
    return found


def new_reference() -> str:
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{code[:4]}-{code[4:]}"


def _record_elsewhere(actor, person: Person, *, match, channel, wanted_unit, typed_name, job) -> str:
    detail = {"match": match, "via": channel, "typed_name": (typed_name or "")[:120]}
    if wanted_unit is not None:
        detail["wanted_unit"] = wanted_unit.code
    if job is not None:
        detail["import"] = job
        earlier = (
            AuditEvent.objects.filter(
                action=audit.AuditAction.DUPLICATE,
                object_type="people.person",
                object_id=str(person.pk),
                actor=actor,
                detail__import=job,
            )
            .values_list("detail", flat=True)
            .first()
        )
        if earlier and earlier.get("reference"):
            return earlier["reference"]
    detail["reference"] = new_reference()
    pending = _deferred.get()
    if pending is not None:
        # Same person twice in one file: one warning.
        known = next((d["reference"] for a, p, d in pending if a == actor and p.pk == person.pk), None)
        if known:
            return known
        pending.append((actor, person, detail))
    else:
        audit.record(actor, audit.AuditAction.DUPLICATE, person, detail=detail)
    return detail["reference"]


@contextmanager
def deferred_disclosures():
    """Collect the warnings given inside (a transaction that will be rolled back) and audit them on exit."""
    pending: list = []
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
        for actor, person, detail in pending:
            audit.record(actor, audit.AuditAction.DUPLICATE, person, detail=detail)


def reference_of(actor, reference) -> AuditEvent | None:
    """The duplicate warning ``actor`` was given under ``reference`` (None for anyone else's or a typo)."""
    reference = str(reference or "").strip().upper()
    if not REFERENCE.match(reference) or not getattr(actor, "is_authenticated", False):
        return None
    return AuditEvent.objects.filter(
        actor=actor, action=audit.AuditAction.DUPLICATE, object_type="people.person", detail__reference=reference
    ).first()


def import_row_elsewhere(actor, person: Person, *, job, unit, typed_name: str, field_name: str = "cccd"):
    """The error of an import row whose person lives outside the area the file may write to: named only
    when the importer may see that person, otherwise neutral with a transfer reference (audited once
    per job)."""
    found = disclose(
        actor, [person], match="import", channel="import", wanted_unit=unit, typed_name=typed_name, job=job.pk
    )
    if found.named:
        message = _(
            "This person is already registered in %(unit)s, outside the area of this import; ask that area to update the record."
        ) % {"unit": person.unit.label_with_parent}
    else:
        message = _(
            "This person is already registered in another area (reference %(ref)s). To move them to your area, ask for a transfer: People › Transfer requests."
        ) % {"ref": found.elsewhere[0]}
    return ValidationError({field_name: message})
