"""Orders and stays that end by themselves once their planned end has passed.

A home quarantine or self-monitoring order ends the day after its last day (the end of the self-monitoring
that follows the quarantine, when the plan has one); a quarantine stay is discharged as completed the day
after its planned end, and the self-monitoring the plan prescribes after it starts as an order.  Nobody
has to close them by hand for the figures to be right: the tallies and the lists count quarantine by
its dates (``Stay.quarantine_over_on``, ``HomeOrder.last_day``), so they already agree before this job
runs; the job makes the records say so too, frees the beds and releases the people's contact tracing.

Home care of a case is not ended here: release needs the station's certification (R-54), and treatment
stays end with the patient's discharge.

``end_due()`` is idempotent (it only touches what is still open past its end), each record ends in its
own transaction with its tally difference and its audit event, so a crash loses nothing and a re-run
finishes the rest.  It runs as a task of the worker (``care.tasks.end_due_orders``, which schedules its
next run for the following night) and at the start of the daily risk assessment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import override

from chongdich.care.actions.orders import _finish
from chongdich.care.actions.stays import _close, _self_monitoring_after
from chongdich.care.actions.tracing import order_released, stay_released
from chongdich.care.models import DischargeReason, HomeOrder, OrderKind, OrderStatus, Stay, StayPurpose
from chongdich.core import audit, clock

ONE_DAY = timedelta(days=1)
QUARANTINE_PURPOSES = (StayPurpose.QUARANTINE_F1, StayPurpose.QUARANTINE_ENTRANT)
ENDING_KINDS = (OrderKind.HOME_QUARANTINE, OrderKind.SELF_MONITORING)


@dataclass
class Ended:
    stays: int = 0
    orders: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"stays": self.stays, "orders": self.orders}


def due_stays(today: date):
    """Quarantine stays still open after their planned end."""
    return Stay.objects.filter(purpose__in=QUARANTINE_PURPOSES, discharged_on__isnull=True, planned_end__lt=today)


def due_orders(today: date):
    """Home quarantine and self-monitoring orders still active after their last day."""
    return (
        HomeOrder.objects.filter(status=OrderStatus.ACTIVE, kind__in=ENDING_KINDS)
        .annotate(last=Coalesce("self_monitor_until", "end"))
        .filter(last__lt=today)
    )


def end_due(today: date | None = None, actor=None) -> Ended:
    """End every stay and order past its end; returns how many were ended.  Stays first: a stay's
    follow-up self-monitoring may itself be over already, and is then ended in the same run."""
    today = today or clock.today()
    ended = Ended()
    with override("vi"):  # notes stored on the records are read by Vietnamese officers
        for pk in list(due_stays(today).order_by("pk").values_list("pk", flat=True)):
            ended.stays += _end_stay(pk, today, actor)
        for pk in list(due_orders(today).order_by("pk").values_list("pk", flat=True)):
            ended.orders += _end_order(pk, today, actor)
    return ended


@transaction.atomic
def _end_stay(pk: int, today: date, actor) -> int:
    stay = due_stays(today).select_for_update().filter(pk=pk).select_related("person", "facility").first()
    if stay is None:  # ended meanwhile (by hand, or by a concurrent run)
        return 0
    on = stay.planned_end + ONE_DAY
    _close(
        actor,
        stay,
        on,
        DischargeReason.COMPLETED,
        _("Quarantine completed: ended automatically after the planned end."),
    )
    follow_up = _self_monitoring_after(actor, stay, on)
    audit.record(
        actor,
        audit.AuditAction.UPDATE,
        stay,
        detail={
            "changed": {"discharged_on": ["", on.isoformat()], "discharge_reason": ["", DischargeReason.COMPLETED]},
            "automatic": True,
            "self_monitoring_order": follow_up.pk if follow_up else None,
        },
    )
    stay_released(actor, stay)
    return 1


@transaction.atomic
def _end_order(pk: int, today: date, actor) -> int:
    order = due_orders(today).select_for_update(of=("self",)).filter(pk=pk).first()
    if order is None:
        return 0
    _finish(
        actor,
        order,
        OrderStatus.COMPLETED,
        order.last + ONE_DAY,
        _("Completed: ended automatically after the last day of the order."),
        automatic=True,
    )
    order_released(actor, order)
    return 1
