"""Warning signs during home monitoring: an unresolved ``care.models.Alert`` (raised by a check of a
person in home quarantine or home care whose readings or symptoms need a health worker now).

To the alert's unit (the person's commune or village: its health staff, community team and commune
committee).  Key: ``care-alert:<alert id>`` — once per alert.  The notice names no person and no signs
(it may go out by SMS): the link opens the order's page, where the signs are, for those in scope.
Alerts raised more than ``LOOKBACK`` ago are left to the lists.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse

from chongdich.care.models import Alert
from chongdich.forecast.watch import kinds
from chongdich.forecast.watch.base import Candidate

LOOKBACK = timedelta(days=14)


def link_of(alert: Alert) -> str:
    if alert.order_id:
        return reverse("care:order", args=[alert.order_id])
    return reverse("care:person", args=[alert.person_id])


def candidates(now: datetime) -> list[Candidate]:
    alerts = (
        Alert.objects.filter(resolved_at__isnull=True, raised_at__gte=now - LOOKBACK)
        .select_related("unit")
        .order_by("raised_at", "pk")
    )
    return [
        Candidate(
            kinds.CARE_WARNING.code,
            alert.unit,
            f"care-alert:{alert.pk}",
            {"unit": alert.unit.name},
            link=link_of(alert),
        )
        for alert in alerts
    ]
