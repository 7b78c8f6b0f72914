"""Transfer requests: an officer who found that the person they were registering is already registered
in another area asks the lowest level above both areas to move the record to their area.

The requester never learns more than the duplicate warning told them ("registered in another area"):
the request names the warning by its reference (the audit event).  The officers of the common level
see the person and decide; an approval moves the person with ``do_update_person`` (audited, with
history), leaving behind a household of the old area.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chongdich.core import audit, clock
from chongdich.core.recorded import replay, user_or_none
from chongdich.core.roles import Cap
from chongdich.core.scoping import scope_for
from chongdich.people.actions import check_can_edit_in, do_remove_from_household, do_update_person
from chongdich.people.duplicates import reference_of
from chongdich.people.models import Person, TransferRequest, TransferStatus
from chongdich.territory.models import AdminUnit


def _unknown_reference() -> ValidationError:
    return ValidationError({"reference": _("No duplicate warning with this reference was given to you.")})


def _current(person: Person | None) -> Person | None:
    """The record a merged person lives on now."""
    seen = set()
    while person is not None and person.merged_into_id and person.pk not in seen:
        seen.add(person.pk)
        person = Person.objects.filter(pk=person.merged_into_id).first()
    return person


@transaction.atomic
def do_request_transfer(
    actor, *, reference, to_unit: AdminUnit, note: str = "", client_id: str | None = None
) -> tuple[TransferRequest, bool]:
    """Ask the level above both areas to move the person of duplicate warning ``reference`` to ``to_unit``.

    Returns (request, created); the same person asked for again while a request is pending returns it.
    """
    existing = replay(
        actor,
        TransferRequest,
        client_id,
        capability=Cap.PEOPLE_EDIT,
        path=None,
        refusal=_("You may only record people who live in your area."),
    )
    if existing is not None:
        return existing, False
    warning = reference_of(actor, reference)
    if warning is None:
        raise _unknown_reference()
    person = _current(Person.objects.filter(pk=int(warning.object_id)).first() if warning.object_id.isdigit() else None)
    if person is None:
        raise _unknown_reference()
    check_can_edit_in(actor, to_unit)
    if scope_for(actor, Cap.PEOPLE_EDIT).contains(person.unit_path):
        raise ValidationError(_("This person is already registered in your area: open their record."))
    pending = TransferRequest.objects.filter(person=person, created_by=actor, status=TransferStatus.PENDING).first()
    if pending is not None:
        return pending, False
    common = AdminUnit.objects.lowest_common([person.unit_path, to_unit.path])
    request = TransferRequest(
        person=person,
        from_unit_id=person.unit_id,
        to_unit=to_unit,
        common_unit=common,
        unit_path=common.path if common else "",
        reference=warning.detail["reference"],
        typed_name=(warning.detail or {}).get("typed_name", "")[:120],
        note=(note or "").strip()[:500],
    ).stamp(actor, client_id)
    request.save()
    # In the requester's area (neutral label) — and so for every level above it, the deciders' included.
    audit.record(
        actor,
        audit.AuditAction.CREATE,
        request,
        unit_path=to_unit.path,
        label=str(request),
        detail={"reference": warning.detail["reference"], "to_unit": to_unit.code},
    )
    return request, True


def deciders_scope_contains(actor, request: TransferRequest) -> bool:
    return TransferRequest.objects.for_user(actor, Cap.PEOPLE_EDIT).filter(pk=request.pk).exists()


@transaction.atomic
def do_decide_transfer(actor, request: TransferRequest, *, approve: bool, note: str = "") -> TransferRequest:
    """Approve (the person moves to the requested unit) or refuse a pending request, as the common level."""
    if not deciders_scope_contains(actor, request):
        raise PermissionDenied(_("Only the level above both areas may decide this request."))
    request = TransferRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != TransferStatus.PENDING:
        raise ValidationError(_("This request was already decided."))
    note = (note or "").strip()[:500]
    if not approve and not note:
        raise ValidationError({"decision_note": _("Say why the request is refused: the requester will read it.")})
    if approve:
        _move(actor, request)
    request.status = TransferStatus.APPROVED if approve else TransferStatus.REFUSED
    request.decided_by, request.decided_at, request.decision_note = user_or_none(actor), clock.now(), note
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit.record(
        actor,
        audit.AuditAction.UPDATE,
        request,
        label=str(request),
        detail={"changed": {"status": [TransferStatus.PENDING, request.status]}, "person": request.person_id},
    )
    return request


def _move(actor, request: TransferRequest) -> None:
    person = _current(Person.objects.select_related("household").get(pk=request.person_id))
    if person.household_id and not person.household.unit_path.startswith(request.to_unit.path):
        do_remove_from_household(actor, person.household, person)  # the household stays where it lives
        person.refresh_from_db()
    if person.unit_id != request.to_unit_id:
        do_update_person(actor, person, unit=request.to_unit, data={})


def pending_transfers(user) -> int:
    """Requests waiting for ``user``'s decision (a badge on the people list)."""
    if scope_for(user, Cap.PEOPLE_EDIT).empty:
        return 0
    return TransferRequest.objects.for_user(user, Cap.PEOPLE_EDIT).filter(status=TransferStatus.PENDING).count()
