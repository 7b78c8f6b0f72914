"""What a care decision tells contact tracing: the person's open contact records move forward.

An order into home quarantine or an admission for quarantine isolates the person; a self-monitoring
order means the officers reached them (a home-care order is for a case, whose contact records are
already closed as "became a case").  When the quarantine or self-monitoring is completed (by hand or by
itself after its end, ``care.services.expiry``) the contacts it was for are released: those whose first
exposure is not after the plan's day of last exposure (a later exposure needs its own quarantine).  The records only move forward (``surveillance.tracing.PROGRESS``),
inside the transaction of the decision.  One decision: one audit event per moved record, like a change
made by hand on the tracing list.  A bulk order: one SELECT and one UPDATE per status whatever the
number of people, a history row per record, and the numbers moved in the bulk order's audit event.
"""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from chongdich.care.models import HomeOrder, OrderKind, Stay, StayPurpose
from chongdich.surveillance.actions import advance_contacts
from chongdich.surveillance.models import ContactStatus

ORDER_STATUS = {OrderKind.HOME_QUARANTINE: ContactStatus.ISOLATED, OrderKind.SELF_MONITORING: ContactStatus.REACHED}
QUARANTINE_PURPOSES = (StayPurpose.QUARANTINE_F1, StayPurpose.QUARANTINE_ENTRANT)


def order_traced(actor, order: HomeOrder) -> int:
    status = ORDER_STATUS.get(order.kind)
    if status is None:
        return 0
    return advance_contacts(actor, [order.person_id], status, cause=f"care.homeorder #{order.pk}")


def stay_traced(actor, stay: Stay) -> int:
    if stay.purpose not in QUARANTINE_PURPOSES:
        return 0
    return advance_contacts(actor, [stay.person_id], ContactStatus.ISOLATED, cause=f"care.stay #{stay.pk}")


def _last_exposure(record, default: date) -> date:
    raw = (record.inputs or {}).get("last_exposure") if isinstance(record.inputs, dict) else None
    try:
        return date.fromisoformat(raw) if raw else default
    except ValueError:
        return default


def order_released(actor, order: HomeOrder) -> int:
    if order.kind not in ORDER_STATUS:
        return 0
    return advance_contacts(
        actor,
        [order.person_id],
        ContactStatus.RELEASED,
        cause=f"care.homeorder #{order.pk}",
        exposed_by=_last_exposure(order, order.start),
    )


def stay_released(actor, stay: Stay) -> int:
    if stay.purpose not in QUARANTINE_PURPOSES:
        return 0
    return advance_contacts(
        actor,
        [stay.person_id],
        ContactStatus.RELEASED,
        cause=f"care.stay #{stay.pk}",
        exposed_by=_last_exposure(stay, stay.admitted_on),
    )


def batch_traced(actor, records: QuerySet, kinds, cause: str) -> dict[str, int]:
    """Contacts moved by the records of a bulk order (orders or stays of one batch), per new status.

    ``kinds``: the order kinds present in the batch (None for stays, which all isolate), so that a
    status no record leads to costs no query."""
    if kinds is None:
        targets = {ContactStatus.ISOLATED: records}
    else:
        targets = {ORDER_STATUS[k]: records.filter(kind=k) for k in kinds if k in ORDER_STATUS}
    moved = {}
    for status, subset in targets.items():
        moved[str(status)] = advance_contacts(actor, subset.values("person_id"), status, cause=cause, audit_each=False)
    return moved
