"""Facilities and their beds: create, edit, and capacity changes (beds of a type added or removed from a day)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chongdich.care.actions.common import (
    check_facility_in_scope,
    edit_scope,
    facilities_outside_area,
    fmt,
    replay_care,
    user_or_none,
)
from chongdich.care.models import BedType, CapacityChange, Facility
from chongdich.care.selectors import capacity_on, occupied_on
from chongdich.core import audit, clock
from chongdich.tallies.engine import tracked

FACILITY_FIELDS = ("name", "kind", "address", "phone", "ready_within_24h", "opened_on", "closed_on")


def _check_unit(actor, unit) -> None:
    if not edit_scope(actor).contains(unit.path):
        raise PermissionDenied(facilities_outside_area())


def _validate(data: dict[str, Any]) -> None:
    if not (data.get("name") or "").strip():
        raise ValidationError({"name": _("Enter the facility's name.")})
    opened, closed = data.get("opened_on"), data.get("closed_on")
    if opened and closed and closed < opened:
        raise ValidationError({"closed_on": _("The closing date cannot be before the opening date.")})


@transaction.atomic
def do_create_facility(
    actor, *, unit, data: dict[str, Any], capacity: dict[str, int] | None = None, client_id: str | None = None
) -> tuple[Facility, bool]:
    """Create a facility, with its first beds per type (capacity changes dated the opening day or today)."""
    existing = replay_care(actor, Facility, client_id, refusal=facilities_outside_area())
    if existing is not None:
        return existing, False
    _check_unit(actor, unit)
    _validate(data)
    for _bed_type, beds in (capacity or {}).items():
        if beds and beds < 0:
            raise ValidationError(_("The number of beds cannot be negative."))
    facility = Facility(**{k: data[k] for k in FACILITY_FIELDS if k in data}).stamp(actor, client_id)
    facility.place_in(unit)
    facility.save()
    day = facility.opened_on or clock.today()
    changes = [
        CapacityChange(
            facility=facility,
            bed_type=bed_type,
            day=day,
            delta=beds,
            reason=_("Opening"),
            created_by=user_or_none(actor),
        )
        for bed_type, beds in (capacity or {}).items()
        if beds
    ]
    with tracked() as tally:
        for change in changes:
            change.save()
            tally.add(change)
    audit.record(actor, audit.AuditAction.CREATE, facility, detail={"capacity": {c.bed_type: c.delta for c in changes}})
    return facility, True


@transaction.atomic
def do_update_facility(actor, facility: Facility, *, unit=None, data: dict[str, Any]) -> Facility:
    check_facility_in_scope(actor, facility)
    moving = unit is not None and unit.pk != facility.unit_id
    if moving:
        _check_unit(actor, unit)
        if facility.stays.exists() or facility.capacity_changes.exists():
            # Bed tallies were counted in the old unit: moving would rewrite history.
            raise ValidationError(
                _("A facility with beds or stays cannot move to another unit; create a new facility.")
            )
    merged = {k: getattr(facility, k) for k in FACILITY_FIELDS}
    merged.update(data)
    _validate(merged)
    changed = {}
    for name in FACILITY_FIELDS:
        if name in data and getattr(facility, name) != data[name]:
            changed[name] = [str(getattr(facility, name)), str(data[name])]
            setattr(facility, name, data[name])
    if moving:
        changed["unit"] = [facility.unit.code, unit.code]
        facility.place_in(unit)
    if changed:
        facility._history_user = actor
        facility.save()
        audit.record(actor, audit.AuditAction.UPDATE, facility, detail={"changed": changed})
    return facility


@transaction.atomic
def do_change_capacity(
    actor, facility: Facility, *, bed_type: str, delta: int, day: date, reason: str = "", client_id: str | None = None
) -> tuple[CapacityChange, bool]:
    """Add (``delta`` > 0) or remove (< 0) beds of a type from ``day``; never below the beds in use."""
    existing = replay_care(
        actor, CapacityChange, client_id, refusal=facilities_outside_area(), path="facility__unit_path"
    )
    if existing is not None:
        return existing, False
    check_facility_in_scope(actor, facility)
    if bed_type not in BedType.values:
        raise ValidationError(_("Choose a bed type."))
    if not delta:
        raise ValidationError(_("Enter how many beds are added (for example 20) or removed (for example -5)."))
    Facility.objects.select_for_update().filter(pk=facility.pk).first()  # one capacity change at a time
    if delta < 0:
        capacity = capacity_on([facility.pk], day).get((facility.pk, bed_type), 0)
        occupied = occupied_on([facility.pk], max(day, clock.today())).get((facility.pk, bed_type), 0)
        label = BedType(bed_type).label
        if capacity + delta < 0:
            raise ValidationError(
                _(
                    "%(facility)s has only %(capacity)s beds of type “%(type)s” on %(day)s; you cannot remove %(removed)s."
                )
                % {"facility": facility.name, "capacity": capacity, "type": label, "day": fmt(day), "removed": -delta}
            )
        if capacity + delta < occupied:
            raise ValidationError(
                _("%(occupied)s beds of type “%(type)s” are in use; discharge or transfer people before removing beds.")
                % {"occupied": occupied, "type": label}
            )
    change = CapacityChange(facility=facility, bed_type=bed_type, day=day, delta=delta, reason=reason).stamp(
        actor, client_id
    )
    with tracked() as tally:
        change.save()
        tally.add(change)
    audit.record(
        actor,
        audit.AuditAction.UPDATE,
        facility,
        detail={"capacity": {"bed_type": bed_type, "delta": delta, "from": day.isoformat(), "reason": reason}},
    )
    return change, True
