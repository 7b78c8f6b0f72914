"""Read queries of the care app, always through the user's scope, and bed figures per facility.

Facilities are scoped by their own unit; orders, alerts and stays by the person's unit.  A facility's
staff also see every stay *in their facility* (they must know who is in their beds), so ``stays_for``
keeps a stay when either the person or the facility is in the user's scope.  Bed figures (capacity,
occupancy) are counts, not personal data: they cover every stay of a facility the user can see.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet, Sum

from chongdich.care.models import (
    Alert,
    BedType,
    CapacityChange,
    Facility,
    HomeOrder,
    OrderKind,
    OrderStatus,
    Stay,
    StayPurpose,
)
from chongdich.core import clock
from chongdich.core.roles import Cap
from chongdich.core.scoping import path_filter, scope_for

NEAR_FULL = 0.9  # a bed type at or above 90 % occupancy is highlighted


def _ancestor_paths(paths) -> set[str]:
    """ "/70/691/25228/" → {"/70/", "/70/691/"}: the units above a granted unit."""
    result = set()
    for path in paths:
        parts = [p for p in path.split("/") if p]
        result.update("/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts)))
    return result


def in_scope(queryset: QuerySet, user, capability: str) -> QuerySet:
    """Any scoped queryset narrowed to the user's scope (for managers without ``for_user``)."""
    scope = scope_for(user, capability)
    if scope.empty:
        return queryset.none()
    condition = path_filter(scope, "unit_path")
    return queryset if condition is None else queryset.filter(condition)


def facilities_for(user, capability: str = Cap.CARE_VIEW, *, serving: bool = True) -> QuerySet[Facility]:
    """Facilities of the user's area and, with ``serving``, those of the units above it: a district's
    field hospital serves every commune of the district, so its officers see it and send people to it.
    Managing a facility (``serving=False``) stays limited to facilities in the area."""
    scope = scope_for(user, capability)
    if scope.empty:
        return Facility.objects.none()
    inside = path_filter(scope, "unit_path")
    if inside is None:
        return Facility.objects.all()
    if serving:
        inside |= Q(unit_path__in=_ancestor_paths(scope.paths))
    return Facility.objects.filter(inside)


def facility_visible(user, facility: Facility) -> bool:
    scope = scope_for(user, Cap.CARE_VIEW)
    return scope.contains(facility.unit_path) or facility.unit_path in _ancestor_paths(scope.paths)


def orders_for(user, capability: str = Cap.CARE_VIEW) -> QuerySet[HomeOrder]:
    return HomeOrder.objects.for_user(user, capability)


def alerts_for(user, capability: str = Cap.CARE_VIEW) -> QuerySet[Alert]:
    return Alert.objects.for_user(user, capability)


def stays_for(user, capability: str = Cap.CARE_VIEW) -> QuerySet[Stay]:
    """Stays of people in the user's area, and every stay in a facility of the user's area."""
    scope = scope_for(user, capability)
    if scope.empty:
        return Stay.objects.none()
    by_person = path_filter(scope, "unit_path")
    if by_person is None:
        return Stay.objects.all()
    return Stay.objects.filter(by_person | path_filter(scope, "facility__unit_path"))


# --- In quarantine on a day, by dates (what the F1 tallies count) ---------------------------------


def home_quarantine_on(orders: QuerySet[HomeOrder], day: date) -> QuerySet[HomeOrder]:
    """Home quarantine orders in force on ``day``: from their start to their last day (the planned end,
    or the day before they ended early), whatever their status now; cancelled orders never count."""
    return (
        orders.filter(kind=OrderKind.HOME_QUARANTINE, start__lte=day, end__gte=day)
        .exclude(status=OrderStatus.CANCELLED)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
    )


def facility_quarantine_on(stays: QuerySet[Stay], day: date) -> QuerySet[Stay]:
    """F1 quarantine stays in force on ``day``: admitted, not discharged, not past the planned end
    (``Stay.quarantine_over_on``)."""
    return (
        stays.filter(purpose=StayPurpose.QUARANTINE_F1, admitted_on__lte=day)
        .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gt=day))
        .filter(Q(planned_end__isnull=True) | Q(planned_end__gte=day))
    )


def open_stay_of(person_id: int) -> Stay | None:
    return Stay.objects.filter(person_id=person_id, discharged_on__isnull=True).select_related("facility").first()


def active_orders_of(person_id: int) -> list[HomeOrder]:
    return list(HomeOrder.objects.filter(person_id=person_id, status=OrderStatus.ACTIVE).order_by("start"))


# --- Beds -------------------------------------------------------------------------------------


@dataclass
class BedLine:
    bed_type: str
    label: str
    capacity: int
    occupied: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.occupied, 0)

    @property
    def percent(self) -> int | None:
        return round(100 * self.occupied / self.capacity) if self.capacity > 0 else None

    @property
    def near_full(self) -> bool:
        return self.occupied > 0 and (self.capacity <= 0 or self.occupied >= NEAR_FULL * self.capacity)

    @property
    def over(self) -> bool:
        return self.occupied > self.capacity


@dataclass
class Beds:
    lines: list[BedLine] = field(default_factory=list)

    def of(self, bed_type: str) -> BedLine:
        for line in self.lines:
            if line.bed_type == bed_type:
                return line
        return BedLine(bed_type, str(BedType(bed_type).label), 0, 0)

    @property
    def capacity(self) -> int:
        return sum(line.capacity for line in self.lines)

    @property
    def occupied(self) -> int:
        return sum(line.occupied for line in self.lines)

    @property
    def free(self) -> int:
        return sum(line.free for line in self.lines)

    @property
    def near_full(self) -> bool:
        return any(line.near_full for line in self.lines)


def capacity_on(facility_ids, day: date) -> dict[tuple[int, str], int]:
    """Beds per (facility, bed type) on ``day``: the running sum of capacity changes up to that day."""
    rows = (
        CapacityChange.objects.filter(facility_id__in=facility_ids, day__lte=day)
        .values("facility_id", "bed_type")
        .annotate(total=Sum("delta"))
    )
    return {(row["facility_id"], row["bed_type"]): row["total"] or 0 for row in rows}


def occupied_on(facility_ids, day: date) -> dict[tuple[int, str], int]:
    """Stays per (facility, bed type) at the end of ``day`` (as the tallies count them)."""
    rows = (
        Stay.objects.filter(facility_id__in=facility_ids, admitted_on__lte=day)
        .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gt=day))
        .values("facility_id", "bed_type")
        .annotate(total=Count("pk"))
    )
    return {(row["facility_id"], row["bed_type"]): row["total"] for row in rows}


def beds_of(facilities, day: date | None = None) -> dict[int, Beds]:
    """Capacity and occupancy by bed type for each facility, in two queries whatever their number."""
    day = day or clock.today()
    ids = [f.pk for f in facilities]
    capacity, occupied = capacity_on(ids, day), occupied_on(ids, day)
    result: dict[int, Beds] = {}
    for pk in ids:
        lines = []
        for bed_type, label in BedType.choices:
            cap, occ = capacity.get((pk, bed_type), 0), occupied.get((pk, bed_type), 0)
            if cap or occ:
                lines.append(BedLine(bed_type, str(label), cap, occ))
        result[pk] = Beds(lines)
    return result


def with_beds(facilities, day: date | None = None) -> list[Facility]:
    """The facilities with a ``beds`` attribute (``Beds``) for templates."""
    facilities = list(facilities)
    beds = beds_of(facilities, day)
    for facility in facilities:
        facility.beds = beds[facility.pk]
    return facilities


def flows(facility: Facility, days: int = 14, today: date | None = None) -> list[tuple[date, int, int]]:
    """(day, admissions, discharges) over the last ``days`` days, newest first."""
    today = today or clock.today()
    start = today - timedelta(days=days - 1)
    admitted: dict[date, int] = defaultdict(int)
    discharged: dict[date, int] = defaultdict(int)
    for row in (
        facility.stays.filter(admitted_on__gte=start, admitted_on__lte=today)
        .values("admitted_on")
        .annotate(n=Count("pk"))
    ):
        admitted[row["admitted_on"]] = row["n"]
    for row in (
        facility.stays.filter(discharged_on__gte=start, discharged_on__lte=today)
        .values("discharged_on")
        .annotate(n=Count("pk"))
    ):
        discharged[row["discharged_on"]] = row["n"]
    return [
        (today - timedelta(days=i), admitted[today - timedelta(days=i)], discharged[today - timedelta(days=i)])
        for i in range(days)
    ]


def readiness_figures(unit_path: str) -> dict[str, int]:
    """Facilities open in an area and those that can open within 24 hours (the risk readiness page,
    through ``tallies.registry.area_figures``: risk does not read care)."""
    facilities = Facility.objects.filter(unit_path__startswith=unit_path, closed_on__isnull=True)
    return {"facilities": facilities.count(), "ready_24h": facilities.filter(ready_within_24h=True).count()}
