"""Tracing actions of the work lists: a contact's tracing status, and recording a contact of a case.

A contact is traced by the area where they live (``Contact`` is scoped by residence), so only that
area may change their status by hand.  ``became_case`` is set by the case services when the person is
confirmed, never by hand, and closes the tracing of that record.

The status also moves by itself, forward only (``PROGRESS``), when another app records what tracing
is for: the care services when the person is ordered into home quarantine or admitted for quarantine
(isolated) or asked to monitor their health (reached), the testing services when a sample is taken
from them (tested).  They call ``advance_contacts`` inside their own transaction (care and testing
depend on surveillance, not the reverse).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chongdich.core import audit
from chongdich.core.roles import Cap
from chongdich.core.scoping import in_scope
from chongdich.people.actions import do_create_person, precheck_new_person
from chongdich.people.models import Person
from chongdich.surveillance.actions.cases import do_record_exposure
from chongdich.surveillance.models import Contact, ContactStatus, Exposure
from chongdich.surveillance.tracing import MANUAL_STATUSES, PROGRESS


@transaction.atomic
def do_set_contact_status(actor, contact: Contact, status: str) -> Contact:
    """Set the tracing status of one contact record (to find → reached → tested → isolated → released)."""
    if not in_scope(actor, Cap.CASES_EDIT, contact):
        raise PermissionDenied(_("Only the area where this person lives can update their tracing."))
    if status not in MANUAL_STATUSES:
        raise ValidationError(_("Choose one of: to find, reached, tested, isolated, released."))
    locked = Contact.objects.select_for_update().select_related("person", "index_case").get(pk=contact.pk)
    if locked.status == ContactStatus.BECAME_CASE:
        raise ValidationError(
            _("%(name)s became a case: their tracing as a contact is closed.") % {"name": locked.person.full_name}
        )
    if locked.status == status:
        return locked
    previous = locked.status
    locked.status = status
    locked._history_user = actor
    locked.save(update_fields=["status", "updated_at"])
    audit.record(
        actor,
        audit.AuditAction.UPDATE,
        locked,
        detail={"changed": {"status": [previous, status]}},
        label=f"F{locked.rank} {locked.person.full_name} ← {locked.index_case.case_number}",
    )
    return locked


def do_trace_contact(
    actor,
    *,
    person: Person,
    exposure: dict[str, Any],
    other: Person | None = None,
    new_person: dict[str, Any] | None = None,
    forward: bool = True,
    client_id: str | None = None,
    confirm_new: bool = False,
) -> tuple[Exposure, bool]:
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
        # Duplicate warnings before the transaction: a warning about another area's person is audited.
        precheck_new_person(
            actor,
            unit=data.pop("unit"),
            data=data,
            confirm_new=confirm_new,
            client_id=f"{client_id}:person" if client_id else None,
        )
    return _trace_contact(
        actor,
        person=person,
        exposure=exposure,
        other=other,
        new_person=new_person,
        forward=forward,
        client_id=client_id,
        confirm_new=confirm_new,
    )


@transaction.atomic
def _trace_contact(actor, *, person, exposure, other, new_person, forward, client_id, confirm_new):
    if other is None:
        data = dict(new_person)
        unit = data.pop("unit")
        other, _created = do_create_person(
            actor, unit=unit, data=data, client_id=f"{client_id}:person" if client_id else None, confirm_new=confirm_new
        )
    source, contact = (person, other) if forward else (other, person)
    return do_record_exposure(actor, source=source, contact=contact, client_id=client_id, **exposure)


def advance_contacts(
    actor,
    people,
    status: str,
    *,
    cause: str,
    exposed_by: date | None = None,
    audit_each: bool = True,
) -> int:
    """Move the open contact records of ``people`` forward to ``status``, never back; returns how many moved.

    Call it inside the transaction of the write that caused it.  ``people`` is a list of people (or
    their ids), or — for bulk writes — a queryset of person ids (``….values("person_id")``): the records
    are then read with one SELECT and moved with one UPDATE whatever their number, and their history
    rows are written in bulk.  Only records at an earlier step of ``PROGRESS`` move (an isolated contact
    is not set back to tested; a contact who became a case or was released is left alone).

    ``exposed_by``: only records whose first exposure is on or before that day (a sample taken before
    the exposure says nothing about it).  ``cause`` says which record moved them (kept as the history
    change reason and in the audit).  ``audit_each``: one audit event per moved record, like a change
    by hand; a bulk order passes False and records the number moved in its own audit event (each record
    still gets its history row, with the user and the cause).  The history rows are copied inside the
    database after the UPDATE, as the lab-result import does.
    """
    earlier = PROGRESS[: PROGRESS.index(status)]
    bulk = isinstance(people, QuerySet)
    if bulk:
        condition = Q(person_id__in=people)
    else:
        ids = sorted({getattr(person, "pk", person) for person in people})
        if not ids:
            return 0
        condition = Q(person_id__in=ids)
    if exposed_by is not None:
        condition &= Q(first_exposure__lte=exposed_by)
    rows = Contact.objects.filter(condition, status__in=earlier).order_by("pk")
    if audit_each:
        moving = list(rows.select_for_update(of=("self",)).select_related("person", "index_case"))
        ids = [contact.pk for contact in moving]
    else:
        moving = []
        ids = list(rows.select_for_update().values_list("pk", flat=True))
    if not ids:
        return 0
    now = timezone.now()
    # One UPDATE: by the same condition for a bulk write (no list of ids sent back), else by id.
    (rows if bulk else Contact.objects.filter(pk__in=ids)).update(status=status, updated_at=now)
    _copy_to_history(ids, actor if getattr(actor, "is_authenticated", False) else None, cause[:100], now)
    for contact in moving:
        audit.record(
            actor,
            audit.AuditAction.UPDATE,
            contact,
            detail={"changed": {"status": [contact.status, status]}, "cause": cause},
            label=f"F{contact.rank} {contact.person.full_name} ← {contact.index_case.case_number}",
        )
    return len(ids)


def _copy_to_history(ids: list[int], user, reason: str, when) -> None:
    """History rows ("~", with the user and the reason) of the updated contacts, copied inside the
    database with one INSERT … SELECT per 1,000 (building them in Python costs seconds for 10,000)."""
    history = Contact.history.model
    quote = connection.ops.quote_name
    columns = [quote(field.column) for field in history.tracked_fields]
    extra = [quote(name) for name in ("history_date", "history_type", "history_user_id", "history_change_reason")]
    when = connection.ops.adapt_datetimefield_value(when)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 1000):
            part = ids[start : start + 1000]
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(columns + extra)}) "  # noqa: S608 - names from the models
                f"SELECT {', '.join(columns)}, %s, %s, %s, %s FROM {quote(Contact._meta.db_table)} "
                f"WHERE {quote(Contact._meta.pk.column)} IN ({', '.join(['%s'] * len(part))})",
                [when, "~", user.pk if user else None, reason, *part],
            )
