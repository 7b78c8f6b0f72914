"""Keeping people's stays and orders in step with their case, whichever page changed the case.

Where a case is treated was recorded twice: in the case's treatment episodes (which feed "under
treatment in field hospitals") and in stays (which fill the facility's beds).  Admissions, transfers and
discharges moved the case (``case_link``), but a case confirmed, moved or closed on the case page or
by a case import left the stays as they were — a field hospital counted 23 patients with 22 beds in
use.  This module is the other half: it answers the case services' ``case_changed`` signal, in their
transaction, so that at every moment and for every past day the cases treated in a facility of the
system are exactly the treatment stays in it.

- A case confirmed (F1 → F0): the person's quarantine ends — home quarantine and self-monitoring orders
  are converted and a quarantine stay is discharged, both "became a case" on the day of confirmation —
  so they no longer count as F1 nor appear on the tests-due list; then the case is placed (below).  A
  case treated at home without a home-care decision appears on the care work list.
- Placed in a facility (confirmed or moved there): a treatment stay starts that day (a bed of the type
  the severity needs, else any free bed; admitted above capacity when none is free, flagged as such),
  after the stay in another facility is closed as transferred.  Moved home or to a hospital outside the
  system: the treatment stay ends that day.
- Closed (recovered, died, transferred out): the treatment stay is discharged and the home care order
  ends, on the day of the outcome.  Reopened: the stay closed with it is reopened.
- Confirmation date corrected: the first treatment stay's admission follows.

Care's own services already keep the case in step before it sends the signal, so each handler first
checks whether there is anything left to do; the two halves never loop.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from chongdich.care import placement
from chongdich.care.actions.orders import _finish
from chongdich.care.actions.stays import _admit, _close, room
from chongdich.care.models import (
    BedType,
    CaseFacility,
    DischargeReason,
    EpisodeFacility,
    Facility,
    HomeOrder,
    OrderKind,
    OrderStatus,
    Stay,
    StayPurpose,
)
from chongdich.care.selectors import capacity_on, open_stay_of
from chongdich.core import audit
from chongdich.surveillance.models import Case, Outcome, Severity
from chongdich.tallies.engine import tracked

QUARANTINE_PURPOSES = (StayPurpose.QUARANTINE_F1, StayPurpose.QUARANTINE_ENTRANT)
QUARANTINE_KINDS = (OrderKind.HOME_QUARANTINE, OrderKind.SELF_MONITORING)
DISCHARGE_OF_OUTCOME = {
    Outcome.RECOVERED: DischargeReason.RECOVERED,
    Outcome.DIED: DischargeReason.DIED,
    Outcome.TRANSFERRED_OUT: DischargeReason.TRANSFERRED,
}
BED_OF_SEVERITY = {Severity.CRITICAL: BedType.ICU, Severity.SEVERE: BedType.OXYGEN}


def on_case_changed(sender, *, actor, case: Case, change: str, signal=None, **details) -> None:
    handler = {"confirmed": _confirmed, "moved": _moved, "closed": _closed, "reopened": _reopened, "redated": _redated}[
        change
    ]
    handler(actor, case, **details)


def link(case: Case, facility: Facility | None) -> None:
    """The case's current episode (the one its service just wrote) and the case are in ``facility``."""
    episode = case.episodes.filter(end__isnull=True).order_by("-start", "-pk").first()
    if facility is None:
        CaseFacility.objects.filter(case=case).delete()
    else:
        CaseFacility.objects.update_or_create(case=case, defaults={"facility": facility})
        if episode is not None:
            EpisodeFacility.objects.update_or_create(episode=episode, defaults={"facility": facility})


# --- F1 → F0 ------------------------------------------------------------------------------------


def _confirmed(actor, case: Case, facility=None) -> None:
    link(case, facility)
    end_quarantine(actor, case)
    _place(actor, case, case.confirmed_on)


def end_quarantine(actor, case: Case) -> None:
    """The person became a case: their quarantine as an F1 (or entrant) ends on the day of confirmation."""
    why = _("Became a case (%(number)s)") % {"number": case.case_number}
    for order in HomeOrder.objects.filter(
        person_id=case.person_id, status=OrderStatus.ACTIVE, kind__in=QUARANTINE_KINDS
    ):
        _finish(actor, order, OrderStatus.CONVERTED, max(case.confirmed_on, order.start), why)
    stay = open_stay_of(case.person_id)
    if stay is not None and stay.purpose in QUARANTINE_PURPOSES:
        on = max(case.confirmed_on, stay.admitted_on)
        _close(actor, stay, on, DischargeReason.BECAME_CASE, why)
        _audit_discharge(actor, stay, on, DischargeReason.BECAME_CASE, case)


# --- where the case is treated --------------------------------------------------------------------


def _moved(actor, case: Case, on: date, facility=None) -> None:
    link(case, facility)
    _place(actor, case, on)


def _current_episode(case: Case):
    return case.episodes.filter(end__isnull=True).order_by("-start", "-pk").first()


def _place(actor, case: Case, on: date) -> None:
    """Make the person's treatment stay match the case's current place from ``on``."""
    episode = _current_episode(case)
    stay = open_stay_of(case.person_id)
    if stay is not None and stay.purpose != StayPurpose.TREATMENT:
        return  # a quarantine stay: ended on confirmation; a case is never placed in one by this path
    facility = placement.facility_of_episode(episode)
    if stay is not None and facility is not None and stay.facility_id == facility.pk:
        return  # already there (the admission itself moved the case)
    if stay is not None:
        moving = facility is not None
        reason = DischargeReason.TRANSFERRED if moving else DischargeReason.OTHER
        note = (
            _("Transferred to %(facility)s (case page)") % {"facility": facility.name}
            if moving
            else _("Treatment continues at home or in a hospital outside the system (case page)")
        )
        _close(actor, stay, max(on, stay.admitted_on), reason, note)
        _audit_discharge(actor, stay, max(on, stay.admitted_on), reason, case)
    if facility is None:
        return
    bed_type, overflow = bed_for(facility, case, on)
    new = _admit(
        actor,
        case.person,
        facility=facility,
        bed_type=bed_type,
        purpose=StayPurpose.TREATMENT,
        on=on,
        overflow=overflow,
        case=case,
        contact=None,
        last_exposure=None,
        vaccination=None,
        recovered_on=None,
        note=_("Admitted with the case record %(number)s") % {"number": case.case_number},
        client_id=None,
        transferred_from=stay,
    )
    if stay is not None:
        stay.transferred_to = new
        stay.save(update_fields=["transferred_to"])


def bed_for(facility, case: Case, on: date) -> tuple[str, bool]:
    """(bed type, above capacity): the type the severity needs if one is free, else any free bed, else the
    needed type (or the facility's only type) above capacity — the patient is there either way."""
    wanted = BED_OF_SEVERITY.get(case.severity, BedType.TREATMENT)
    order = [wanted, *(b for b in (BedType.TREATMENT, BedType.OXYGEN, BedType.ICU, BedType.QUARANTINE) if b != wanted)]
    for bed_type in order:
        if room(facility, bed_type, on).free > 0:
            return bed_type, False
    capacity = capacity_on([facility.pk], on)
    has = [bed_type for bed_type in order if capacity.get((facility.pk, bed_type), 0) > 0]
    return (wanted if wanted in has or not has else has[0]), True


# --- closing, reopening, correcting ------------------------------------------------------------------


def _closed(actor, case: Case) -> None:
    on = case.outcome_on
    reason = DISCHARGE_OF_OUTCOME[Outcome(case.outcome)]
    stay = open_stay_of(case.person_id)
    if stay is not None and stay.purpose == StayPurpose.TREATMENT:
        day = max(on, stay.admitted_on)
        _close(actor, stay, day, reason, _("Case closed (%(outcome)s)") % {"outcome": case.get_outcome_display()})
        _audit_discharge(actor, stay, day, reason, case)
    status = OrderStatus.COMPLETED if case.outcome == Outcome.RECOVERED else OrderStatus.CONVERTED
    for order in HomeOrder.objects.filter(
        person_id=case.person_id, status=OrderStatus.ACTIVE, kind=OrderKind.HOME_CARE
    ):
        _finish(
            actor,
            order,
            status,
            max(on, order.start),
            _("Case closed (%(outcome)s)") % {"outcome": case.get_outcome_display()},
        )


def _reopened(actor, case: Case, closed_on: date | None) -> None:
    """The stay (or home care) that ended with the closure goes on."""
    episode = _current_episode(case)
    if episode is None or closed_on is None:
        return
    facility_id = placement.facility_id_of_episode(episode)
    if facility_id is None:
        order = (
            HomeOrder.objects.filter(case=case, kind=OrderKind.HOME_CARE, ended_on=closed_on)
            .exclude(status__in=[OrderStatus.ACTIVE, OrderStatus.CANCELLED])
            .order_by("-pk")
            .first()
        )
        active = HomeOrder.objects.filter(person_id=case.person_id, kind=OrderKind.HOME_CARE, status=OrderStatus.ACTIVE)
        if order is not None and not active.exists():
            with tracked(order):
                order.status, order.ended_on, order.end_note = OrderStatus.ACTIVE, None, ""
                order._history_user = actor
                order.save()
            audit.record(actor, audit.AuditAction.UPDATE, order, detail={"reopened_with_case": case.pk})
        return
    if open_stay_of(case.person_id) is not None:
        return
    stay = (
        Stay.objects.filter(case=case, purpose=StayPurpose.TREATMENT, facility_id=facility_id, discharged_on=closed_on)
        .order_by("-pk")
        .first()
    )
    if stay is None:
        _place(actor, case, closed_on)  # treatment goes on from the day it had been closed
        return
    with tracked(stay):
        stay.discharged_on, stay.discharge_reason, stay.discharge_note = None, "", ""
        stay._history_user = actor
        stay.save()
    audit.record(
        actor,
        audit.AuditAction.UPDATE,
        stay,
        detail={"changed": {"discharged_on": [closed_on.isoformat(), ""]}, "reopened_with_case": case.pk},
    )


def _redated(actor, case: Case, was: date) -> None:
    facility_id = placement.facility_id_of_episode(case.episodes.order_by("start", "pk").first())
    if facility_id is None:
        return
    stay = Stay.objects.filter(
        case=case, purpose=StayPurpose.TREATMENT, facility_id=facility_id, admitted_on=was
    ).first()
    if stay is None or (stay.discharged_on is not None and stay.discharged_on < case.confirmed_on):
        return
    with tracked(stay):
        stay.admitted_on = case.confirmed_on
        stay._history_user = actor
        stay.save()
    audit.record(
        actor,
        audit.AuditAction.UPDATE,
        stay,
        detail={"changed": {"admitted_on": [was.isoformat(), case.confirmed_on.isoformat()]}},
    )


def _audit_discharge(actor, stay: Stay, on: date, reason: str, case: Case) -> None:
    audit.record(
        actor,
        audit.AuditAction.UPDATE,
        stay,
        detail={"changed": {"discharged_on": ["", on.isoformat()], "discharge_reason": ["", reason]}, "case": case.pk},
    )
