"""What a care decision tells contact tracing: the person's open contact records move forward.

An order into home quarantine or an admission for quarantine isolates the person; a self-monitoring
order means the officers reached them (a home-care order is for a case, whose contact records are
already closed as "became a case").  The records only move forward (``surveillance.tracing.PROGRESS``),
inside the transaction of the decision.  One decision: one audit event per moved record, like a change
made by hand on the tracing list.  A bulk order: one SELECT and one UPDATE per status whatever the
number of people, a history row per record, and the numbers moved in the bulk order's audit event.
"""

from __future__ import annotations

from django.db.models import QuerySet

from chongdich.care.models import HomeOrder, OrderKind, Stay, StayPurpose
from chongdich.surveillance.models import ContactStatus
from chongdich.surveillance.tracing import advance_contacts

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
