"""Read queries of the care app, always through the user's scope, and bed figures per facility.

Facilities are scoped by their own unit; orders, alerts and stays by the person's unit.  A facility's
staff also see every stay *in their facility* (they must know who is in their beds), so ``stays_for``
keeps a stay when either the person or the facility is in the user's scope.  Bed figures (capacity,
occupancy) are counts, not personal data: they cover every stay of a facility the user can see.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from chongdich.care.models import (
    Alert,
    BatchKind,
    BedType,
    CapacityChange,
    Facility,
    HomeOrder,
    MonitoringEntry,
    OrderBatch,
    OrderKind,
    OrderStatus,
    Stay,
    StayPurpose,
)
from chongdich.core import clock
from chongdich.core.access import get_for_user_or_404, get_in_scope_or_404
from chongdich.core.roles import Cap
from chongdich.core.scoping import for_user, in_scope, scope_for
from chongdich.people.models import Person
from chongdich.people.selectors import people_for, search_people
from chongdich.surveillance.models import Case, Chain, Cluster, Contact

NEAR_FULL = 0.9  # a bed type at or above 90 % occupancy is highlighted


def _ancestor_paths(paths) -> set[str]:
    """ "/70/691/25228/" → {"/70/", "/70/691/"}: the units above a granted unit."""
    result = set()
    for path in paths:
        parts = [p for p in path.split("/") if p]
        result.update("/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts)))
    return result


def facilities_for(user, capability: str = Cap.CARE_VIEW, *, serving: bool = True) -> QuerySet[Facility]:
    """Facilities of the user's area and, with ``serving``, those of the units above it: a district's
    field hospital serves every commune of the district, so its officers see it and send people to it.
    Managing a facility (``serving=False``) stays limited to facilities in the area."""
    inside = Facility.objects.for_user(user, capability)
    scope = scope_for(user, capability)
    if not serving or scope.everything or scope.empty:
        return inside
    return inside | Facility.objects.filter(unit_path__in=_ancestor_paths(scope.paths))


def facility_visible(user, facility: Facility) -> bool:
    return in_scope(user, Cap.CARE_VIEW, facility) or facility.unit_path in _ancestor_paths(
        scope_for(user, Cap.CARE_VIEW).paths
    )


def orders_for(user, capability: str = Cap.CARE_VIEW) -> QuerySet[HomeOrder]:
    return HomeOrder.objects.for_user(user, capability)


def alerts_for(user, capability: str = Cap.CARE_VIEW) -> QuerySet[Alert]:
    return Alert.objects.for_user(user, capability)


def stays_for(user, capability: str = Cap.CARE_VIEW) -> QuerySet[Stay]:
    """Stays of people in the user's area, and every stay in a facility of the user's area."""
    by_person = Stay.objects.for_user(user, capability)
    return by_person | for_user(Stay.objects.all(), user, capability, path_field="facility__unit_path")


# --- What the pages read -----------------------------------------------------------------------


def open_facilities(user, capability: str = Cap.CARE_VIEW, day: date | None = None) -> QuerySet[Facility]:
    """Facilities the user sees that are open on ``day`` (today), by name (to admit or transfer to)."""
    day = day or clock.today()
    return facilities_for(user, capability).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day)).order_by("name")


def unclosed_facilities(user) -> QuerySet[Facility]:
    """Facilities the user sees that have no closing day, by name (to send people to)."""
    return facilities_for(user).filter(closed_on__isnull=True).order_by("name")


def facility_page(user, pk, capability: str = Cap.CARE_VIEW, *, serving: bool = True) -> Facility:
    """A facility the user sees (or manages, with ``serving=False``), or 404."""
    return get_in_scope_or_404(facilities_for(user, capability, serving=serving).select_related("unit"), pk=pk)


def open_facility_page(user, pk, capability: str = Cap.CARE_VIEW) -> Facility:
    """An open facility the user sees (to admit to), or 404."""
    return get_in_scope_or_404(open_facilities(user, capability).select_related("unit"), pk=pk)


def facility_list(facilities: QuerySet[Facility], day: date, limit: int = 500) -> tuple[list[Facility], Beds]:
    """The facilities of a list (at most ``limit``) with their beds on ``day``, and the beds of them all."""
    rows = with_beds(facilities.select_related("unit").order_by("unit_path", "name")[:limit], day)
    totals = Beds(
        [
            BedLine(
                bed,
                str(label),
                sum(f.beds.of(bed).capacity for f in rows),
                sum(f.beds.of(bed).occupied for f in rows),
            )
            for bed, label in BedType.choices
        ]
    )
    totals.lines = [line for line in totals.lines if line.capacity or line.occupied]
    return rows, totals


def staying_in(user, facility: Facility) -> QuerySet[Stay]:
    """The open stays of a facility that the user sees, by admission."""
    return (
        stays_for(user)
        .filter(facility=facility, discharged_on__isnull=True)
        .select_related("person", "facility")
        .order_by("admitted_on", "pk")
    )


def capacity_changes_of(facility: Facility, limit: int = 20) -> list[CapacityChange]:
    return list(facility.capacity_changes.order_by("-day", "-pk")[:limit])


def stay_page(user, pk, capability: str = Cap.CARE_EDIT) -> Stay:
    """A stay the user sees (through the person or the facility), or 404."""
    return get_in_scope_or_404(stays_for(user, capability).select_related("person", "facility", "unit"), pk=pk)


def order_page(user, pk, capability: str = Cap.CARE_VIEW) -> HomeOrder:
    """A home order of a person in the user's area, or 404."""
    orders = HomeOrder.objects.select_related("person", "person__unit", "unit", "case")
    return get_for_user_or_404(orders, user, capability, pk=pk)


def order_entries(order: HomeOrder, limit: int = 60) -> list[MonitoringEntry]:
    return list(order.entries.select_related("created_by")[:limit])


def order_alerts(order: HomeOrder, limit: int = 20) -> list[Alert]:
    return list(order.alerts.order_by("-raised_at")[:limit])


def alert_page(user, pk, capability: str = Cap.CARE_EDIT) -> Alert:
    return get_for_user_or_404(Alert.objects.select_related("person"), user, capability, pk=pk)


def person_page(user, pk, capability: str = Cap.CARE_VIEW) -> Person:
    """A person (not merged away) in the user's area, or 404."""
    return get_for_user_or_404(Person.objects.active().select_related("unit"), user, capability, pk=pk)


def people_to_pick(user, query: str, capability: str, limit: int = 20) -> list[Person]:
    """People a picker's search finds (CCCD, phone or name), at most ``limit``."""
    return list(search_people(user, query, base=people_for(user, capability).select_related("unit"))[:limit])


def care_of(user, person: Person, *, with_facilities: bool) -> dict:
    """A person's stays, orders and open alerts that the user sees (and facilities to admit them to)."""
    return {
        "stays": stays_for(user).filter(person=person).select_related("facility").order_by("-admitted_on", "-pk"),
        "orders": orders_for(user).filter(person=person).order_by("-start", "-pk"),
        "alerts": alerts_for(user).filter(person=person, resolved_at__isnull=True),
        "facilities": unclosed_facilities(user)[:200] if with_facilities else [],
    }


def last_f1_contact(person: Person) -> Contact | None:
    """The person's most recent close-contact (F1) record, for an order's or a stay's exposure day."""
    return Contact.objects.filter(person=person, rank=1).order_by("-last_exposure").first()


def open_clusters(user) -> QuerySet[Cluster]:
    return Cluster.objects.for_user(user, Cap.CASES_VIEW).filter(closed_on__isnull=True).order_by("-opened_on", "name")


def recent_chains(user, limit: int = 30) -> list[Chain]:
    """The largest chains with active cases in the user's area (to pick from)."""
    cases = Case.objects.active().for_user(user, Cap.CASES_VIEW)
    chain_ids = cases.exclude(chain=None).values_list("chain_id", flat=True)
    roots = Chain.objects.filter(pk__in=chain_ids).values_list("parent_id", "pk")
    ids = {parent or pk for parent, pk in roots[:5000]}
    return list(Chain.objects.filter(pk__in=ids).order_by("-size")[:limit])


def batch_records(batch: OrderBatch, user) -> QuerySet:
    """The records of a batch the user may see (orders or stays), for the result and print pages."""
    if batch.kind == BatchKind.FACILITY_QUARANTINE:
        return stays_for(user).filter(batch=batch).select_related("person", "person__unit", "facility", "unit")
    return orders_for(user).filter(batch=batch).select_related("person", "person__unit", "unit")


def batch_page(user, pk) -> tuple[OrderBatch, list]:
    """A batch and its records the user may see, by place and name; none visible (and not theirs) → 404."""
    batch = OrderBatch.objects.select_related("chain", "cluster", "facility", "created_by").filter(pk=pk).first()
    if batch is None:
        raise Http404
    records = list(batch_records(batch, user).order_by("unit_path", "person__folded_name"))
    if not records and batch.created_by_id != user.pk:
        raise Http404
    return batch, records


def printable_order(user, pk) -> HomeOrder:
    return get_for_user_or_404(HomeOrder.objects.select_related("person", "unit"), user, Cap.CARE_VIEW, pk=pk)


def in_quarantine(stays: QuerySet[Stay], orders: QuerySet[HomeOrder], place: str = "") -> Concatenation:
    """The quarantine list's rows: the stays (by facility) then the orders (by place), or only those of
    ``place`` ("home", "facility")."""
    parts = []
    if place != "home":
        parts.append(
            stays.select_related("person", "unit", "facility").order_by("facility__name", "person__folded_name", "pk")
        )
    if place != "facility":
        parts.append(orders.select_related("person", "unit").order_by("unit_path", "person__folded_name", "pk"))
    return Concatenation(*parts)


class Concatenation(Sequence):
    """Two or more querysets read as one list, fetching only the slice a page shows (one COUNT each)."""

    def __init__(self, *querysets):
        self.querysets = querysets
        self._counts: list[int] | None = None

    def counts(self) -> list[int]:
        if self._counts is None:
            self._counts = [queryset.count() for queryset in self.querysets]
        return self._counts

    def __len__(self) -> int:
        return sum(self.counts())

    def __getitem__(self, index):
        if not isinstance(index, slice):
            found = self[index : index + 1]
            if not found:
                raise IndexError(index)
            return found[0]
        start, stop, _step = index.indices(len(self))
        rows, offset = [], 0
        for queryset, count in zip(self.querysets, self.counts(), strict=True):
            low, high = max(start - offset, 0), min(stop - offset, count)
            if low < high:
                rows.extend(queryset[low:high])
            offset += count
        return rows


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
