"""Resolving the national platform's records on the reconciliation work list: attach to a person (the dose
is recorded or linked), create the person from the record (then the dose), dismiss with a reason.

Each resolution is one transaction on the locked record, audited, and idempotent: a second click (a re-sent
form) finds the record resolved the same way and returns it unchanged.
"""

from __future__ import annotations

from contextlib import nullcontext

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chongdich.core import audit
from chongdich.core.roles import Cap
from chongdich.core.scoping import in_scope
from chongdich.people.actions import do_create_person, precheck_new_person
from chongdich.people.identity import IdentityError, parse_cccd
from chongdich.people.models import Person
from chongdich.tallies.engine import tracked
from chongdich.vaccination.imports import as_dose, dose_of, groups_of, held_doses
from chongdich.vaccination.models import EDIT, Dose, Enrolment, Mismatch, PlatformRecord, ReconcileStatus
from chongdich.vaccination.platform import PlatformRow, decide, product_code


def _outside() -> str:
    return _("This record is outside your area.")


def _locked(actor, record: PlatformRecord) -> PlatformRecord:
    """The record, locked for this transaction, when ``actor`` may resolve it (else the out-of-area refusal)."""
    locked = PlatformRecord.objects.select_for_update().filter(pk=record.pk).first()
    if locked is None or not in_scope(actor, EDIT, locked):
        raise PermissionDenied(_outside())
    return locked


def _row_of(record: PlatformRecord) -> PlatformRow:
    """The record as the import read it (its key is the record's)."""
    row = PlatformRow(
        row=0,
        cccd=record.cccd,
        full_name=record.full_name,
        folded_name=record.folded_name,
        date_of_birth=record.date_of_birth,
        phone=record.phone,
        product_name=record.product,
        product=product_code(record.product),
        lot_number=record.lot_number,
        given_on=record.given_on,
        dose_number=record.dose_number,
        site_name=record.site_name,
    )
    row.key = record.record_key
    return row


def _usable(record: PlatformRecord) -> PlatformRow:
    row = _row_of(record)
    if record.problem == Mismatch.BAD_RECORD or not row.product or row.given_on is None:
        raise ValidationError(
            _(
                "This record cannot give a dose as it is (%(detail)s). Correct it on the national platform and import "
                "it again, or dismiss it."
            )
            % {"detail": record.detail or record.get_problem_display()}
        )
    return row


def _tallied(dose: Dose | None):
    """Keep the tallies of a dose write (``Dose.tally_contributions`` comes with the coverage tallies)."""
    if hasattr(Dose, "tally_contributions"):
        return tracked(*([dose] if dose is not None else []))
    return nullcontext(None)


def _attach(actor, record: PlatformRecord, person: Person) -> PlatformRecord:
    """Inside the caller's transaction: give ``person`` the record's dose and mark the record resolved."""
    row = _usable(record)
    held = held_doses([person.pk]).get(person.pk, [])
    verdict = decide(
        held, row, check_number=False, date_of_birth=person.date_of_birth
    )  # the officer decided: the rules' numbering stands
    if verdict.action == "conflict":
        raise ValidationError(
            _("%(detail)s Void the wrong dose on the person's page first, or dismiss this record.")
            % {"detail": verdict.detail}
        )
    if verdict.action == "link":
        dose = Dose.objects.select_for_update().get(pk=verdict.held.pk)
        if dose.external_id and dose.external_id != record.record_key:
            raise ValidationError(_("That dose was already imported from another platform record."))
        dose.external_id = record.record_key
        dose.lot_number = dose.lot_number or row.lot_number
        dose.site_name = dose.site_name or row.site_name
        dose._history_user = actor
        dose.save(update_fields=["external_id", "lot_number", "site_name"])
        what = "linked"
    else:
        groups = groups_of(Enrolment.objects.filter(person=person).values_list("person_id", "group", "high_risk"))
        dose = as_dose(dose_of(person, row, verdict.numbered, groups.get(person.pk, ("", False)), actor))
        dose._history_user = actor
        with _tallied(None) as tracker:
            dose.save()
            if tracker is not None:
                tracker.add(dose)
        what = "created"
    record.status, record.dose = ReconcileStatus.RESOLVED, dose
    record.resolved_by, record.resolved_at = actor, timezone.now()
    record.resolution = _("Dose %(number)s recorded for %(name)s.") % {"number": dose.number, "name": person.full_name}
    record._history_user = actor
    record.save()
    audit.record(
        actor,
        audit.AuditAction.UPDATE,
        record,
        detail={"resolution": "attach", "person": person.pk, "dose": dose.pk, "dose_was": what},
        label=record.full_name,
    )
    return record


def do_attach_record(actor, record: PlatformRecord, person_id: int) -> PlatformRecord:
    """Attach the record to one of its candidates (or the person its CCCD names): the dose is recorded."""
    with transaction.atomic():
        record = _locked(actor, record)
        if record.status == ReconcileStatus.RESOLVED and record.dose_id:
            return record  # resolved already (a second click)
        if record.status == ReconcileStatus.DISMISSED:
            raise ValidationError(_("This record was dismissed: %(reason)s") % {"reason": record.resolution})
        person = Person.objects.active().filter(pk=person_id, pk__in=record.candidates.values("pk")).first()
        if person is None:
            raise ValidationError({"person": _("Choose one of the people listed for this record.")})
        if not in_scope(actor, EDIT, person):
            raise PermissionDenied(_("This person lives outside your area: ask their area to attach the record."))
        return _attach(actor, record, person)


def default_sex(record: PlatformRecord) -> str:
    """The sex a CCCD encodes ("" without a CCCD)."""
    try:
        return parse_cccd(record.cccd).sex if record.cccd else ""
    except IdentityError:
        return ""


def do_create_person_from_record(
    actor, record: PlatformRecord, *, unit, sex: str, client_id: str | None = None
) -> PlatformRecord:
    """Register the person the record names (in ``unit``), then record the dose for them."""
    if not in_scope(actor, EDIT, record):
        raise PermissionDenied(_outside())
    if record.status == ReconcileStatus.RESOLVED and record.dose_id:
        return record
    if record.status == ReconcileStatus.DISMISSED:
        raise ValidationError(_("This record was dismissed: %(reason)s") % {"reason": record.resolution})
    _usable(record)
    data = {
        "full_name": record.full_name,
        "sex": sex,
        "date_of_birth": record.date_of_birth,
        "birth_year": record.date_of_birth.year if record.date_of_birth else None,
        "cccd": record.cccd,
        "phone": record.phone,
    }
    if not in_scope(actor, Cap.PEOPLE_EDIT, unit) or not in_scope(actor, EDIT, unit):
        raise PermissionDenied(_("You cannot register people in %(unit)s.") % {"unit": unit})
    # The registry's own checks (CCCD taken, probable twins) run before the transaction: their warnings are audited.
    data = precheck_new_person(actor, unit=unit, data=data, confirm_new=True, client_id=client_id)
    with transaction.atomic():
        record = _locked(actor, record)
        if record.status == ReconcileStatus.RESOLVED and record.dose_id:
            return record
        person, _created = do_create_person(actor, unit=unit, data=data, client_id=client_id, confirm_new=True)
        record.candidates.add(person)
        return _attach(actor, record, person)


def do_dismiss_record(actor, record: PlatformRecord, reason: str) -> PlatformRecord:
    """Dismiss a record with the officer's reason (a test record, a dose of another province, a duplicate…)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the record is dismissed.")})
    with transaction.atomic():
        record = _locked(actor, record)
        if record.status == ReconcileStatus.DISMISSED:
            return record
        if record.status == ReconcileStatus.RESOLVED:
            raise ValidationError(_("This record was already resolved: %(how)s") % {"how": record.resolution})
        record.status, record.resolution = ReconcileStatus.DISMISSED, reason[:300]
        record.resolved_by, record.resolved_at = actor, timezone.now()
        record._history_user = actor
        record.save()
        audit.record(actor, audit.AuditAction.UPDATE, record, detail={"resolution": "dismiss"}, label=record.full_name)
    return record
