"""Today's work of a commune health station or a facility: cases waiting for a treatment place, tests
due, quarantines ending, people not checked recently, open alerts — each a scoped query with a bounded
number of rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from chongdich.care.models import HomeOrder, MonitoringEntry, OrderKind, OrderStatus, Stay, StayPurpose
from chongdich.care.selectors import alerts_for, orders_for, stays_for
from chongdich.core import clock
from chongdich.core.roles import Cap
from chongdich.surveillance.models import Case, Outcome, TreatmentPlace

DEFAULT_FOLLOW_UP_HOURS = 24
LIMIT = 200  # rows shown per section; the count says how many there are


@dataclass
class Section:
    rows: list
    total: int


@dataclass
class WorkLists:
    day: date
    hours: int
    tests_orders: Section
    tests_stays: Section
    ending_orders: Section
    ending_stays: Section
    to_close: Section
    overdue: Section
    alerts: Section
    to_place: Section = field(default_factory=lambda: Section([], 0))
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def sections(self) -> list[Section]:
        return [
            self.tests_orders,
            self.tests_stays,
            self.ending_orders,
            self.ending_stays,
            self.to_close,
            self.overdue,
            self.alerts,
            self.to_place,
        ]


def _section(queryset: QuerySet, limit: int) -> Section:
    rows = list(queryset[: limit + 1])
    total = len(rows) if len(rows) <= limit else queryset.count()
    return Section(rows[:limit], total)


def _monitoring_end():
    return Coalesce("self_monitor_until", "end")


def tests_due(user, day: date) -> tuple[QuerySet[HomeOrder], QuerySet[Stay]]:
    """Orders and open stays with a test planned on ``day``."""
    iso = day.isoformat()
    orders = orders_for(user).filter(status=OrderStatus.ACTIVE, start__lte=day, test_days__icontains=iso)
    stays = stays_for(user).filter(discharged_on__isnull=True, admitted_on__lte=day, test_days__icontains=iso)
    return orders, stays


def ending(user, day: date) -> tuple[QuerySet[HomeOrder], QuerySet[Stay]]:
    """Quarantines and self-monitoring whose last day is ``day``; quarantine stays planned to end then."""
    orders = orders_for(user).filter(status=OrderStatus.ACTIVE, end=day).exclude(kind=OrderKind.HOME_CARE)
    stays = stays_for(user).filter(discharged_on__isnull=True, planned_end=day).exclude(purpose=StayPurpose.TREATMENT)
    return orders, stays


def to_close(user, day: date) -> QuerySet[HomeOrder]:
    """Quarantine or self-monitoring orders past their last day and still open: release them."""
    return (
        orders_for(user)
        .filter(status=OrderStatus.ACTIVE)
        .exclude(kind=OrderKind.HOME_CARE)
        .annotate(last=_monitoring_end())
        .filter(last__lt=day)
    )


def recorded() -> Q:
    """Entries that recorded something (an empty entry, refused since, never counts as a check)."""
    readings = Q()
    for name in ("temperature_c", "spo2", "respiratory_rate", "pulse"):
        readings |= Q(**{f"{name}__isnull": False})
    return readings | ~Q(symptoms=[]) | ~Q(note="")


def overdue(user, hours: int = DEFAULT_FOLLOW_UP_HOURS, now=None) -> QuerySet[HomeOrder]:
    """People under an active order today without a monitoring entry in the last ``hours`` hours
    (an order that started after the beginning of that window is not overdue yet)."""
    now = now or clock.now()
    since = now - timedelta(hours=hours)
    today = timezone.localtime(now).date()
    recent = MonitoringEntry.objects.filter(recorded(), order=OuterRef("pk"), at__gte=since)
    return (
        orders_for(user)
        .filter(status=OrderStatus.ACTIVE, start__lte=timezone.localtime(since).date())
        .annotate(last=_monitoring_end())
        .filter(Q(kind=OrderKind.HOME_CARE) | Q(last__gte=today))
        .filter(~Exists(recent))
        .annotate(last_check=Max("entries__at"))
    )


def to_place(user) -> QuerySet[Case]:
    """Active cases treated at home without a home care decision: a newly confirmed F0 (often an F1 whose
    quarantine just ended) waits here until they are admitted to a facility or ordered home care."""
    home_care = HomeOrder.objects.filter(
        person_id=OuterRef("person_id"), kind=OrderKind.HOME_CARE, status=OrderStatus.ACTIVE
    )
    return (
        Case.objects.for_user(user, Cap.CARE_VIEW)
        .filter(outcome=Outcome.ACTIVE, treatment_place=TreatmentPlace.HOME)
        .filter(~Exists(home_care))
    )


def open_alerts(user):
    return alerts_for(user).filter(resolved_at__isnull=True)


def work_lists(user, day: date | None = None, hours: int = DEFAULT_FOLLOW_UP_HOURS, limit: int = LIMIT) -> WorkLists:
    day = day or clock.today()
    related = ("person", "person__unit")
    by_place = ("unit_path", "person__folded_name")
    by_facility = ("facility__name", "person__folded_name")
    tests_orders, tests_stays = tests_due(user, day)
    ending_orders, ending_stays = ending(user, day)
    lists = WorkLists(
        day=day,
        hours=hours,
        tests_orders=_section(tests_orders.select_related(*related).order_by(*by_place), limit),
        tests_stays=_section(tests_stays.select_related(*related, "facility").order_by(*by_facility), limit),
        ending_orders=_section(ending_orders.select_related(*related).order_by(*by_place), limit),
        ending_stays=_section(ending_stays.select_related(*related, "facility").order_by(*by_facility), limit),
        to_close=_section(to_close(user, day).select_related(*related).order_by("last", "pk"), limit),
        overdue=_section(overdue(user, hours).select_related(*related).order_by("start", "pk"), limit),
        alerts=_section(open_alerts(user).select_related(*related, "order").order_by("raised_at"), limit),
        to_place=_section(to_place(user).select_related(*related).order_by("confirmed_on", "pk"), limit),
    )
    lists.counts = {
        "tests": lists.tests_orders.total + lists.tests_stays.total,
        "ending": lists.ending_orders.total + lists.ending_stays.total + lists.to_close.total,
        "overdue": lists.overdue.total,
        "alerts": lists.alerts.total,
        "to_place": lists.to_place.total,
    }
    return lists
