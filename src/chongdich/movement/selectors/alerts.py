"""Reading alerts: the user's alerts (scoped), one alert's page with its source (shown only when the
user may see it), the time an alert took, the open alerts to act on, the filters' day semantics."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.core.access import get_for_user_or_404
from chongdich.core.roles import Cap
from chongdich.core.scoping import in_scope
from chongdich.movement.models import EDIT, VIEW, Alert, AlertKind, AlertState, Declaration, Passage, Trip
from chongdich.people.identity import display_phone
from chongdich.people.models import Person
from chongdich.territory.models import AdminUnit

OPEN_STATES = (AlertState.NEW, AlertState.TAKEN)
COLOURS = {"red": _("Red"), "orange": _("Orange"), "yellow": _("Yellow"), "green": _("Green")}
COLOUR_BADGES = {
    "red": "text-bg-danger",
    "orange": "text-bg-warning",
    "yellow": "text-bg-warning",
    "green": "text-bg-success",
}


def origin_of(alert: Alert) -> dict | None:
    """Where the person came from, to show: the commune's name (with its district and province) or
    what was typed, and the level then (its colour's name and badge)."""

    name = (alert.detail or {}).get("came_from") or ""
    if alert.origin_commune_code:
        unit = AdminUnit.objects.filter(code=alert.origin_commune_code).select_related("parent__parent").first()
        if unit is not None:
            parts = [unit.name, unit.parent.name if unit.parent_id else "", ""]
            if unit.parent_id and unit.parent.parent_id:
                parts[2] = unit.parent.parent.name
            name = ", ".join(p for p in parts if p)
        else:
            name = name or alert.origin_commune_code
    if not name and not alert.origin_level:
        return None
    level = alert.origin_level
    return {"name": name, "level": COLOURS.get(level, level), "badge": COLOUR_BADGES.get(level, "text-bg-secondary")}


def alerts_for(user, capability: str = VIEW) -> QuerySet:
    return Alert.objects.for_user(user, capability).select_related("unit", "owner", "person")


def alert_page(user, pk, capability: str = VIEW) -> Alert:
    return get_for_user_or_404(alerts_for(user, capability), user, capability, pk=pk)


def may_act(user, alert: Alert) -> bool:
    return in_scope(user, EDIT, alert)


def day_end(day: date) -> datetime:
    """The first instant after the local ``day`` (the tallies' day boundary)."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def open_on(queryset: QuerySet, day: date) -> QuerySet:
    """Alerts open at the end of ``day`` as the ``alerts_open`` tally counts them: raised on or before
    it and not done by its end."""
    return queryset.filter(day__lte=day).filter(Q(done_at__isnull=True) | Q(done_at__gte=day_end(day)))


def open_alerts(user, limit: int = 20) -> tuple[list[Alert], int]:
    """The open alerts of the user's area to act on, oldest new first, and how many there are."""
    rows = alerts_for(user).filter(state__in=OPEN_STATES)
    return list(rows.order_by("state", "raised_at")[:limit]), rows.count()


def took(alert: Alert, now: datetime | None = None) -> timedelta | None:
    """From raised to done (or to now while open)."""
    end = alert.done_at or now or clock.now()
    return max(end - alert.raised_at, timedelta(0)) if alert.raised_at else None


def duration_text(delta: timedelta | None) -> str:
    if delta is None:
        return ""
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} ngày {hours} giờ" if hours else f"{days} ngày"
    if hours:
        return f"{hours} giờ {minutes:02d} phút"
    return f"{minutes} phút"


@dataclass(frozen=True)
class Source:
    """What raised the alert, as far as the user may see it."""

    kind: str  # declaration | passage | trip | report
    record: object | None  # None: gone (retention purge) or outside the user's area
    ref: str


def source_of(user, alert: Alert) -> Source:

    kind, _sep, key = alert.source_ref.partition(":")
    models = {"declaration": Declaration, "passage": Passage}
    record = None
    if kind in models and key.isdigit():
        record = models[kind].objects.for_user(user, VIEW).filter(pk=int(key)).first()
    elif kind == "trip":
        trip_id = alert.trip_id or (int(key) if key.isdigit() else None)
        record = Trip.objects.for_user(user, VIEW).filter(pk=trip_id).first() if trip_id else None
    return Source(kind, record, alert.source_ref)


def _day(value):
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def plan_of(alert: Alert) -> dict | None:
    """The stored plan with its days as dates (None when the rules gave none)."""
    plan = (alert.detail or {}).get("plan")
    if not plan or plan.get("error"):
        return None
    return {
        **plan,
        **{key: _day(plan.get(key)) for key in ("start", "end", "self_monitor_until", "arrived_on")},
        "test_days": [d for d in (_day(v) for v in plan.get("test_days") or []) if d],
    }


def needs_reason(alert: Alert) -> bool:
    """The plan sends the person to a facility: home quarantine needs a written reason."""
    plan = plan_of(alert)
    return bool(plan and plan.get("place") == "concentrated")


def what_to_do(alert: Alert) -> str:
    """The one action the page offers first: order (arrival), sample (symptoms), confirm (trip), visit."""
    if alert.kind == AlertKind.SYMPTOMS:
        return "sample"
    if alert.kind == AlertKind.TRIP_OVERDUE:
        return "trip"
    if alert.kind == AlertKind.UNDECLARED and not plan_of(alert):
        return "visit"
    return "order"


def phone_text(phone: str) -> str:
    """A stored phone (+84…) as people read it (0912 345 678)."""

    try:
        return display_phone(phone) if phone else ""
    except (ValueError, TypeError):
        return phone


def person_choice(user, pk: str):
    """A person the user may see, chosen on an alert's page (None when not one of theirs)."""
    if not str(pk).isdigit():
        return None
    return Person.objects.for_user(user, Cap.PEOPLE_VIEW).filter(pk=int(pk)).first()
