"""Stays in facilities: admit, discharge, transfer.

A person has at most one open stay; a bed type is never filled above its capacity unless the
officer ticks the authorised overflow.  Admissions to one facility are serialised (row lock on the
facility) so two officers cannot both take the last bed.  Admitting a person ends their home orders
(they are now in a facility); for a case, the treatment place follows (``case_link``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chongdich.care import case_link, plans
from chongdich.care.actions.common import (
    already_staying_error,
    check_facility_visible,
    edit_scope,
    fmt,
    replay_care,
    user_or_none,
)
from chongdich.care.actions.tracing import stay_released, stay_traced
from chongdich.care.models import (
    BedType,
    DischargeReason,
    Facility,
    HomeOrder,
    OrderKind,
    OrderStatus,
    Stay,
    StayPurpose,
)
from chongdich.care.rules import Vaccination
from chongdich.care.selectors import capacity_on, occupied_on, open_stay_of
from chongdich.core import audit, dates
from chongdich.tallies.engine import tracked


@dataclass(frozen=True)
class Room:
    """Beds of one type in a facility on a day."""

    capacity: int
    occupied: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.occupied, 0)


def room(facility: Facility, bed_type: str, on: date) -> Room:
    """Beds of ``bed_type`` on ``on``: the capacity that day, and as occupied the larger of the stays open
    at the end of that day and those open now (a backdated admission must fit both)."""
    capacity = capacity_on([facility.pk], on).get((facility.pk, bed_type), 0)
    occupied = max(
        occupied_on([facility.pk], on).get((facility.pk, bed_type), 0),
        Stay.objects.filter(facility=facility, bed_type=bed_type, discharged_on__isnull=True).count(),
    )
    return Room(capacity, occupied)


def capacity_error(facility: Facility, bed_type: str, space: Room, wanted: int = 1) -> ValidationError:
    label = BedType(bed_type).label
    if space.capacity <= 0:
        return ValidationError(
            _(
                "%(facility)s has no beds of type “%(type)s”. Add beds on the facility page, or tick “above capacity” to admit anyway (authorised overflow)."
            )
            % {"facility": facility.name, "type": label},
            code="capacity",
        )
    return ValidationError(
        _(
            "%(facility)s is full for “%(type)s”: %(capacity)s beds, %(occupied)s occupied, %(wanted)s to admit. Tick “above capacity” to admit anyway (authorised overflow), or choose another facility."
        )
        % {
            "facility": facility.name,
            "type": label,
            "capacity": space.capacity,
            "occupied": space.occupied,
            "wanted": wanted,
        },
        code="capacity",
    )


def check_can_admit(actor, person, facility: Facility) -> None:
    """The facility's staff admit people from anywhere; an area's officers send their residents to any
    facility they can see."""
    check_facility_visible(actor, facility)
    scope = edit_scope(actor)
    if not (scope.contains(facility.unit_path) or scope.contains(person.unit_path)):
        raise PermissionDenied(_admit_outside_area())


def _admit_outside_area() -> str:
    return _("You may only admit people who live in your area, or into a facility of your area.")


def check_can_manage(actor, stay: Stay) -> None:
    scope = edit_scope(actor)
    if not (scope.contains(stay.unit_path) or scope.contains(stay.facility.unit_path)):
        raise PermissionDenied(_("You may only manage stays of people from your area or in a facility of your area."))


def _check_open(facility: Facility, on: date) -> None:
    if facility.opened_on and on < facility.opened_on:
        raise ValidationError(
            _("%(facility)s opened on %(date)s; the admission cannot be earlier.")
            % {"facility": facility.name, "date": fmt(facility.opened_on)}
        )
    if facility.closed_on and on >= facility.closed_on:
        raise ValidationError(
            _("%(facility)s closed on %(date)s.") % {"facility": facility.name, "date": fmt(facility.closed_on)}
        )


def end_home_orders(actor, person_id: int, on: date, why: str) -> list[HomeOrder]:
    """A person admitted to a facility is no longer under any home order from ``on``."""
    ended = []
    for order in HomeOrder.objects.filter(person_id=person_id, status=OrderStatus.ACTIVE):
        with tracked(order):
            order.status = OrderStatus.CONVERTED
            order.ended_on = max(on, order.start)
            order.end_note = why[:300]
            order._history_user = actor
            order.save()
        audit.record(
            actor,
            audit.AuditAction.UPDATE,
            order,
            detail={"changed": {"status": [OrderStatus.ACTIVE, OrderStatus.CONVERTED]}, "on": on.isoformat()},
        )
        ended.append(order)
    return ended


@transaction.atomic
def do_admit(
    actor,
    person,
    *,
    facility: Facility,
    bed_type: str,
    purpose: str,
    on: date,
    overflow: bool = False,
    case=None,
    contact=None,
    last_exposure: date | None = None,
    vaccination: Vaccination | None = None,
    recovered_on: date | None = None,
    note: str = "",
    client_id: str | None = None,
) -> tuple[Stay, bool]:
    """Admit ``person`` to ``facility``.  Returns (stay, created); a re-sent ``client_id`` returns the original.

    Quarantine stays get the R-52 plan (planned end, test days) from the last exposure (F1) or the day of
    entry (entrants); treatment stays need the person's active case, whose treatment place follows.
    """
    # The person's officers or the facility's staff: the same two areas ``check_can_admit`` accepts.
    existing = replay_care(
        actor, Stay, client_id, refusal=_admit_outside_area(), path=("unit_path", "facility__unit_path")
    )
    if existing is not None:
        return existing, False
    check_can_admit(actor, person, facility)
    stay = _admit(
        actor,
        person,
        facility=facility,
        bed_type=bed_type,
        purpose=purpose,
        on=on,
        overflow=overflow,
        case=case,
        contact=contact,
        last_exposure=last_exposure,
        vaccination=vaccination,
        recovered_on=recovered_on,
        note=note,
        client_id=client_id,
    )
    return stay, True


def _admit(
    actor,
    person,
    *,
    facility,
    bed_type,
    purpose,
    on,
    overflow,
    case,
    contact,
    last_exposure,
    vaccination,
    recovered_on,
    note,
    client_id,
    transferred_from: Stay | None = None,
) -> Stay:
    if bed_type not in BedType.values:
        raise ValidationError(_("Choose a bed type."))
    if purpose not in StayPurpose.values:
        raise ValidationError(_("Choose the purpose of the stay."))
    if on is None:
        raise ValidationError(_("Enter the admission date."))
    dates.check("stay.admitted_on", on, field="on")
    dates.check("stay.last_exposure", last_exposure)
    dates.check("order.recovered_on", recovered_on)
    if person.merged_into_id:
        raise ValidationError(_("This person's record was merged into another one; open that record."))
    _check_open(facility, on)
    Facility.objects.select_for_update().filter(pk=facility.pk).first()  # admissions to one facility, one at a time
    current = open_stay_of(person.pk)
    if current is not None:
        raise already_staying_error(person, current)
    if not overflow:
        space = room(facility, bed_type, on)
        if space.occupied + 1 > space.capacity:
            raise capacity_error(facility, bed_type, space)
    stay = Stay(
        person=person,
        facility=facility,
        bed_type=bed_type,
        purpose=purpose,
        admitted_on=on,
        overflow=overflow,
        contact=contact,
        note=note[:300],
    ).stamp(actor, client_id)
    stay.place_in(person.unit)
    if purpose == StayPurpose.TREATMENT:
        case = case or case_link.active_case_of(person.pk)
        if case is not None and case.person_id != person.pk:
            raise ValidationError(_("This case is not %(name)s's.") % {"name": person.full_name})
        if case is None:
            raise ValidationError(
                _("%(name)s has no active case: confirm the case first, or choose a quarantine purpose.")
                % {"name": person.full_name}
            )
        stay.case = case
    elif transferred_from is not None:  # the quarantine plan runs on from the first admission
        stay.planned_end = max(transferred_from.planned_end or on, on)
        stay.test_days = [d for d in transferred_from.test_days if d >= on.isoformat()]
        stay.rule_version, stay.reasons = transferred_from.rule_version, transferred_from.reasons
        stay.inputs = transferred_from.inputs
    else:
        exposure = last_exposure or (contact.last_exposure if contact is not None else None) or on
        if purpose == StayPurpose.QUARANTINE_F1 and exposure > on:
            raise ValidationError(_("The last exposure cannot be after the admission."))
        plan = plans.f1_plan(
            exposure, province=person.province_code, vaccination=vaccination, recovered_on=recovered_on
        )
        fields = plans.stay_fields(plan)
        stay.planned_end = max(fields["planned_end"], on)
        stay.test_days = [d for d in fields["test_days"] if d >= on.isoformat()]
        stay.rule_version, stay.reasons = fields["rule_version"], fields["reasons"]
        stay.inputs = {**plans.plan_inputs(exposure, vaccination, recovered_on), **fields["plan_extra"]}
    end_home_orders(actor, person.pk, on, _("Admitted to %(facility)s") % {"facility": facility.name})
    with tracked() as tally:
        try:
            with transaction.atomic():
                stay.save()
        except IntegrityError as exc:  # a concurrent admission of the same person
            raise ValidationError(
                _("%(name)s was just admitted by someone else; reload the page.") % {"name": person.full_name}
            ) from exc
        tally.add(stay)
    if stay.case_id:
        case_link.case_admitted(actor, stay.case, facility, on)
    detail = {
        "facility": facility.pk,
        "bed_type": bed_type,
        "purpose": purpose,
        "on": on.isoformat(),
        "overflow": overflow,
    }
    if transferred_from is not None:
        detail["transferred_from"] = transferred_from.pk
    audit.record(actor, audit.AuditAction.CREATE, stay, detail=detail)
    stay_traced(actor, stay)  # quarantine isolates the person: their contacts move forward
    return stay


def _validate_discharge(stay: Stay, on: date | None, reason: str) -> None:
    if stay.discharged_on is not None:
        raise ValidationError(
            _("%(name)s was already discharged on %(date)s.")
            % {"name": stay.person.full_name, "date": fmt(stay.discharged_on)}
        )
    if on is None:
        raise ValidationError(_("Enter the discharge date."))
    if reason not in DischargeReason.values:
        raise ValidationError(_("Choose the reason for the discharge."))
    if on < stay.admitted_on:
        raise ValidationError(
            _("The discharge (%(discharge)s) cannot be before the admission (%(admission)s).")
            % {"discharge": fmt(on), "admission": fmt(stay.admitted_on)},
            code="before_admission",
        )
    dates.check("stay.left_on", on, field="on")


def _close(actor, stay: Stay, on: date, reason: str, note: str) -> None:
    with tracked(stay):
        stay.discharged_on, stay.discharge_reason, stay.discharge_note = on, reason, note[:300]
        stay._history_user = actor
        stay.save()


@transaction.atomic
def do_discharge(actor, stay: Stay, *, on: date, reason: str, note: str = "") -> Stay:
    """Discharge on ``on`` (not before the admission, not in the future).  Recovered or died closes the
    case of a treatment stay; a completed F1 quarantine continues as self-monitoring when the plan says so."""
    check_can_manage(actor, stay)
    if reason == DischargeReason.TRANSFERRED:
        raise ValidationError(_("To transfer, use “Transfer”: it discharges and admits in one step."))
    _validate_discharge(stay, on, reason)
    _close(actor, stay, on, reason, note)
    if stay.case_id and stay.purpose == StayPurpose.TREATMENT:
        case_link.case_discharged(actor, stay.case, stay.facility, on, reason)
    follow_up = None
    if reason == DischargeReason.COMPLETED and stay.purpose != StayPurpose.TREATMENT:
        follow_up = _self_monitoring_after(actor, stay, on)
        stay_released(actor, stay)
    audit.record(
        actor,
        audit.AuditAction.UPDATE,
        stay,
        detail={
            "changed": {"discharged_on": ["", on.isoformat()], "discharge_reason": ["", reason]},
            "self_monitoring_order": follow_up.pk if follow_up else None,
        },
    )
    return stay


def _self_monitoring_after(actor, stay: Stay, on: date) -> HomeOrder | None:
    """R-52: after concentrated quarantine the person monitors their health at home for a while."""
    until = stay.inputs.get("self_monitor_until") if isinstance(stay.inputs, dict) else None
    if not until or date.fromisoformat(until) < on:
        return None
    if HomeOrder.objects.filter(
        person_id=stay.person_id, kind=OrderKind.SELF_MONITORING, status=OrderStatus.ACTIVE
    ).exists():
        return None
    order = HomeOrder(
        person_id=stay.person_id,
        kind=OrderKind.SELF_MONITORING,
        start=on,
        end=date.fromisoformat(until),
        self_monitor_until=date.fromisoformat(until),
        contact_id=stay.contact_id,
        test_days=[d for d in stay.inputs.get("self_monitor_test_days", []) if d >= on.isoformat()],
        rule_version=stay.rule_version,
        reasons=stay.reasons,
        inputs={"after_stay": stay.pk},
        created_by=user_or_none(actor),
    )
    order.place_in(stay.unit)
    order._history_user = actor
    with tracked() as tally:
        order.save()
        tally.add(order)
    audit.record(actor, audit.AuditAction.CREATE, order, detail={"after_stay": stay.pk})
    return order


@transaction.atomic
def do_transfer(
    actor,
    stay: Stay,
    *,
    to_facility: Facility,
    on: date,
    bed_type: str | None = None,
    overflow: bool = False,
    note: str = "",
) -> Stay:
    """Move a person to another facility (or another bed type) on ``on``: the old stay is discharged as
    transferred and linked to the new one, in one step.  Re-sending the same transfer returns the new stay."""
    if stay.discharged_on is not None and stay.transferred_to_id:
        return stay.transferred_to
    check_can_manage(actor, stay)
    check_facility_visible(actor, to_facility)
    bed_type = bed_type or stay.bed_type
    if to_facility.pk == stay.facility_id and bed_type == stay.bed_type:
        raise ValidationError(
            _("%(name)s is already in this facility with this bed type.") % {"name": stay.person.full_name}
        )
    _validate_discharge(stay, on, DischargeReason.TRANSFERRED)
    _close(actor, stay, on, DischargeReason.TRANSFERRED, note)
    new = _admit(
        actor,
        stay.person,
        facility=to_facility,
        bed_type=bed_type,
        purpose=stay.purpose,
        on=on,
        overflow=overflow,
        case=stay.case,
        contact=stay.contact,
        last_exposure=None,
        vaccination=None,
        recovered_on=None,
        note=note,
        client_id=None,
        transferred_from=stay,
    )
    stay.transferred_to = new
    stay._history_user = actor
    stay.save(update_fields=["transferred_to"])
    audit.record(
        actor,
        audit.AuditAction.UPDATE,
        stay,
        detail={
            "changed": {"discharged_on": ["", on.isoformat()], "discharge_reason": ["", DischargeReason.TRANSFERRED]},
            "transferred_to": new.pk,
        },
    )
    return new
