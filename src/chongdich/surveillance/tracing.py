"""Tracing actions of the work lists: a contact's tracing status, and recording a contact of a case.

A contact is traced by the area where they live (``Contact`` is scoped by residence), so only that
area may change their status.  ``became_case`` is set by the case services when the person is
confirmed, never by hand, and closes the tracing of that record.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chongdich.core import audit, clock
from chongdich.core.roles import Cap
from chongdich.core.scoping import scope_for
from chongdich.people.models import Person
from chongdich.people.services import do_create_person
from chongdich.surveillance.models import Contact, ContactStatus, Exposure
from chongdich.surveillance.services import do_record_exposure

MANUAL_STATUSES = (ContactStatus.TO_FIND, ContactStatus.REACHED, ContactStatus.TESTED, ContactStatus.ISOLATED,
                   ContactStatus.RELEASED)  # fmt: skip


@transaction.atomic
def do_set_contact_status(actor, contact: Contact, status: str) -> Contact:
    """Set the tracing status of one contact record (to find → reached → tested → isolated → released)."""
    if not scope_for(actor, Cap.CASES_EDIT).contains(contact.unit_path):
        raise PermissionDenied(_("Only the area where this person lives can update their tracing."))
    if status not in MANUAL_STATUSES:
        raise ValidationError(_("Choose one of: to find, reached, tested, isolated, released."))
    locked = Contact.objects.select_for_update().select_related("person", "index_case").get(pk=contact.pk)
    if locked.status == ContactStatus.BECAME_CASE:
        raise ValidationError(_("%(name)s became a case: their tracing as a contact is closed.")
                              % {"name": locked.person.full_name})  # fmt: skip
    if locked.status == status:
        return locked
    previous = locked.status
    locked.status = status
    locked._history_user = actor
    locked.save(update_fields=["status", "updated_at"])
    audit.record(actor, audit.AuditAction.UPDATE, locked, detail={"changed": {"status": [previous, status]}},
                 label=f"F{locked.rank} {locked.person.full_name} ← {locked.index_case.case_number}")  # fmt: skip
    return locked


@transaction.atomic
def do_trace_contact(
    actor, *, person: Person, exposure: dict[str, Any], other: Person | None = None,
    new_person: dict[str, Any] | None = None, forward: bool = True, client_id: str | None = None,
    confirm_new: bool = False,
) -> tuple[Exposure, bool]:  # fmt: skip
    """Record an exposure between a traced person (a case, or an F1 whose contacts become F2) and
    another person, registering that person first if they are new.

    ``forward``: ``person`` exposed the other (tracing forward); otherwise the other person may
    have infected ``person`` (tracing back to a source).  All or nothing: a refused exposure leaves
    no newly registered person behind.
    """
    if other is None:
        if not new_person:
            raise ValidationError(_("Choose the other person, or register them."))
        data = dict(new_person)
        unit = data.pop("unit")
        other, _created = do_create_person(
            actor, unit=unit, data=data, client_id=f"{client_id}:person" if client_id else None, confirm_new=confirm_new
        )
    source, contact = (person, other) if forward else (other, person)
    return do_record_exposure(actor, source=source, contact=contact, client_id=client_id, **exposure)


def exposure_bounds(day: date, at: time | None = None, last_day: date | None = None) -> tuple[datetime, datetime | None]:
    """Start and end instants of an exposure given by days (and perhaps a time).

    Without a time, the start is the beginning of the day and the end the end of the last day or
    now, whichever is earlier, so that an exposure of today is never "in the future".
    """
    start = timezone.make_aware(datetime.combine(day, at or time.min))
    if last_day is None or (last_day == day and at is not None):
        return start, None
    end = min(timezone.make_aware(datetime.combine(last_day, time.max)), clock.now())
    return start, max(end, start)
