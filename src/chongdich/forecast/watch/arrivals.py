"""The movement app's open alerts to the commune: an arrival from an epidemic area, a health
declaration with symptoms, an undeclared arrival reported (an overdue trip's alert is the trips rule's).

Only alerts nobody has taken yet (state "new"): once an officer took one, the commune is on it.  To the
alert's commune, one kind per alert kind (a health worker may mute arrivals and keep symptoms).
Key: ``movement-alert:<alert id>`` — once per alert.  Alerts raised more than ``LOOKBACK`` ago are left
to the alert list.  No name or phone in the notice: the link opens the alert's page (scoped, audited).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from chongdich.forecast.watch import kinds
from chongdich.forecast.watch.base import Candidate
from chongdich.movement.models import Alert, AlertKind, AlertState

LOOKBACK = timedelta(days=14)
KIND_OF = {
    AlertKind.WATCHED_ARRIVAL: kinds.ARRIVAL,
    AlertKind.SYMPTOMS: kinds.SYMPTOMS,
    AlertKind.UNDECLARED: kinds.UNDECLARED,
}


def candidates(now: datetime) -> list[Candidate]:
    alerts = (
        Alert.objects.filter(state=AlertState.NEW, kind__in=list(KIND_OF), raised_at__gte=now - LOOKBACK)
        .select_related("unit")
        .order_by("raised_at", "pk")
    )
    return [
        Candidate(
            KIND_OF[alert.kind].code,
            alert.unit,
            f"movement-alert:{alert.pk}",
            {"unit": alert.unit.name},
            link=alert.get_absolute_url(),
        )
        for alert in alerts
    ]
