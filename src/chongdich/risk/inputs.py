"""Gather the engine's inputs for every unit of the deployment on a day, from tallies and risk's own records.

A fixed handful of queries whatever the number of units (units, adjacency, the 14-day flows, the
stock levels, open clusters, readiness flags, overrides, previous assessments): nothing is read per
unit.  Communes carry their own figures; districts, provinces and the nation carry only what is
theirs (capacity per 100,000, readiness, neighbours) and the engine totals the rest (R-25).

Where the figures come from:

- cases, deaths, hospital admissions: ``DailyTally`` flows over the 7 or 14 days ending on the day
  (a week is the 7 days ending on the assessment date, spec §7); a commune without tally rows
  recorded no event, so its counts are 0 (tallies are counters, not reports);
- F1 present: F1 in home or facility quarantine at the end of the day (stock levels);
- clusters: clusters open on the day with at least one case confirmed in the 14 days, with the
  number of their cases so far, from the cluster tallies (``ClusterTally``: per cluster and day, kept
  with the cluster and case writes; no case row and no personal field is read);
- population by age band: the units' population figures (absent bands → absent inputs);
- vacant COVID beds and ICU beds per 100,000 of the district (QĐ 218 3b/3c): treatment + oxygen +
  ICU capacity − occupied, from the tallies of the district's subtree, over the district's
  population; no bed recorded at all → absent, never 0;
- capacity ready: the unit's readiness flag, else its district's, else its province's;
- vaccination (QĐ 4800/218): from the vaccination tallies (``tallies.coverage.risk_counts``, one
  grouped query for every commune and one for the provinces that keep records): ``dose1_18plus``
  (first doses given to people 18+), ``full_50plus`` (full primary series of people 50+),
  ``full_all`` (full primary series, all ages) and ``full_high_risk`` over ``high_risk_population``
  — the high-risk group is the population aged 65+ (see ``tallies.coverage``).  They are known for
  a commune when its province has any dose tallied on or before the day (a commune of it without a
  dose then has 0); in a province without any dose every one of them, ``high_risk_population``
  included, stays absent and is reported as missing data, never 0;
- neighbours: adjacency among units of the same tier; a unit with no adjacency row at all has
  unknown neighbours (absent), not "none".
"""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Case as SqlCase
from django.db.models import F, IntegerField, Q, Sum, When

from chongdich.risk.models import (
    LEVEL_STATE_FIELDS,
    NATION_CODE,
    CapacityReadiness,
    RiskAssessment,
    RiskOverride,
    Tier,
)
from chongdich.risk.rules import Cluster, UnitInputs
from chongdich.risk.rules.levels import Tier as EngineTier
from chongdich.tallies.coverage import risk_counts
from chongdich.tallies.models import ACTIVE_FIELDS, ClusterTally, DailyTally
from chongdich.territory.models import AGE_BANDS, Adjacency, AdminUnit, Level

NATION_NAME = "Toàn quốc"
WEEK, FORTNIGHT = 7, 14
ENGINE_TIER = {
    Tier.COMMUNE: EngineTier.COMMUNE,
    Tier.DISTRICT: EngineTier.DISTRICT,
    Tier.PROVINCE: EngineTier.PROVINCE,
    Tier.NATION: EngineTier.NATION,
}
TIER_ORDER = {Tier.COMMUNE: 0, Tier.DISTRICT: 1, Tier.PROVINCE: 2, Tier.NATION: 3}
CAPACITY = ("treatment", "oxygen", "icu")


@dataclass(slots=True)
class UnitRow:
    pk: int | None
    code: str
    name: str
    tier: str
    parent_pk: int | None
    path: str
    province_code: str
    is_border: bool
    population: int | None
    bands: tuple[int | None, ...]  # AGE_BANDS


@dataclass(slots=True)
class Previous:
    """The publication state after the unit's latest stored assessment before the day (R-22 and
    the notice timeline)."""

    code: str
    framework: str
    computed_level: int | None
    in_force_framework: str
    in_force_level: int | None
    in_force_since: Any
    pending_framework: str
    pending_level: int | None
    pending_from: Any


@dataclass(slots=True)
class SameDay:
    """A row already stored for the day (the job is being re-run)."""

    code: str
    framework: str
    applied_level: int | None
    announced_at: Any


@dataclass
class Gathered:
    day: date
    units: list[UnitInputs]  # communes, then districts, provinces, the nation
    rows: dict[str, UnitRow]  # by code
    extra: dict[str, dict[str, Any]]  # by code: raw figures and provenance stored with the assessment
    active_cases: dict[str, int]  # by code: cases under treatment at the end of the day (subtree)
    overrides: dict[str, RiskOverride] = field(default_factory=dict)  # by code, in force on the day
    previous: dict[str, Previous] = field(default_factory=dict)  # by code
    same_day: dict[str, SameDay] = field(default_factory=dict)  # rows of this day already stored


def gather(day: date, *, nation: bool = True) -> Gathered:
    with Reads() as reads:
        stocks_later = reads.submit(_stocks, day)  # the longest query first: it runs while the rest is read
        flows_later = reads.submit(_flows, day)
        vaccination_later = reads.submit(risk_counts, day)
        rows, by_pk, children = _units(day)
        previous_later = reads.submit(_previous, day, {row.code for row in rows} | ({NATION_CODE} if nation else set()))
        codes_by_pk = {pk: row.code for pk, row in by_pk.items()}
        clusters = _clusters(day)
        neighbours = _neighbours(by_pk)
        readiness = _readiness(day, by_pk)
        overrides = _overrides(day, codes_by_pk)
        ancestors = _ancestor_chains(by_pk)
        population = _populations(rows, by_pk, children)
        flows, stocks = flows_later(), stocks_later()
        known_provinces, doses = vaccination_later()
        previous, same_day = previous_later()

    extra: dict[str, dict[str, Any]] = defaultdict(dict)
    active: dict[str, int] = defaultdict(int)
    capacity: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # capacity, occupied, icu capacity
    f1: dict[int, tuple[int, int]] = {}
    for pk, f1_home, f1_facility, cases, beds, occupied, icu in stocks:
        chain = ancestors.get(pk)
        if chain is None:  # a tally of a unit not in force on the day
            continue
        if cases or beds or occupied or icu:
            for code in (*chain, NATION_CODE):
                active[code] += cases
                total = capacity[code]
                total[0] += beds
                total[1] += occupied
                total[2] += icu
        if (f1_home or f1_facility) and by_pk[pk].tier == Tier.COMMUNE:
            f1[pk] = (f1_home, f1_facility)

    rates = {
        code: _rates(capacity.get(code), population.get(code), extra[code])
        for code in [*(r.code for r in rows if r.tier != Tier.COMMUNE), NATION_CODE]
    }

    units: list[UnitInputs] = []
    ordered = sorted(rows, key=lambda row: (TIER_ORDER[row.tier], row.path))
    for row in ordered:
        parent = by_pk.get(row.parent_pk) if row.parent_pk else None
        unit = UnitInputs(
            code=row.code,
            name=row.name,
            tier=ENGINE_TIER[row.tier],
            parent=parent.code if parent else (NATION_CODE if nation else None),
        )
        unit.is_border = row.is_border
        unit.neighbours = neighbours.get(row.pk)
        ready, source = _ready_for(row.pk, readiness, by_pk)
        unit.capacity_ready = ready
        if source:
            extra[row.code]["capacity_ready_set_at"] = source
        if row.tier == Tier.COMMUNE:
            _commune_inputs(
                unit, row, flows.get(row.pk), f1.get(row.pk, (0, 0)), clusters.get(row.code, ()), extra[row.code]
            )
            if row.province_code in known_provinces:
                _vaccination_inputs(unit, row, doses.get(row.pk, {}), extra[row.code])
            if parent is not None and parent.tier != Tier.DISTRICT:
                # No district level (the 2025 structure): the commune uses its province's figure.
                unit.vacant_beds_per_100k, unit.icu_beds_per_100k = rates[parent.code]
                extra[row.code]["capacity_from"] = parent.code
        else:
            unit.vacant_beds_per_100k, unit.icu_beds_per_100k = rates[row.code]
        units.append(unit)
    row_map = {row.code: row for row in rows}
    if nation:
        nation_unit = UnitInputs(code=NATION_CODE, name=NATION_NAME, tier=EngineTier.NATION)
        nation_unit.vacant_beds_per_100k, nation_unit.icu_beds_per_100k = rates[NATION_CODE]
        units.append(nation_unit)
        row_map[NATION_CODE] = UnitRow(
            None, NATION_CODE, NATION_NAME, Tier.NATION, None, "/", "", False, population.get(NATION_CODE), ()
        )
    for unit in units:
        absent(unit)
    gathered = Gathered(day, units, row_map, dict(extra), dict(active))
    gathered.overrides, gathered.previous, gathered.same_day = overrides, previous, same_day
    return gathered


def absent(unit: UnitInputs) -> UnitInputs:
    """Drop the inputs that are None, as ``parse_units`` does: an absent input is then absent from
    the unit's fields (reading it gives the class default None).  The engine's views read
    ``unit.__dict__`` and some of its sums assume that shape."""
    values = unit.__dict__
    for name in [name for name, value in values.items() if value is None]:
        del values[name]
    return unit


class Reads:
    """Independent read queries run on their own connections while this thread goes on, on
    PostgreSQL outside a transaction (each reads committed data, as consecutive queries outside a
    transaction would); anywhere else (SQLite, inside a transaction as in tests) they simply run
    here, in order.  ``submit`` returns a callable that gives the result.  On a 2-core machine this
    takes a third off the gathering of a national run (the tally sums run on the server meanwhile)."""

    def __init__(self):
        self.pool = None
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self.pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="risk-inputs")

    def __enter__(self) -> Reads:
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True)

    def submit(self, function, *args):
        if self.pool is None:
            result = function(*args)
            return lambda: result
        future = self.pool.submit(_on_own_connection, function, *args)
        return future.result


def _on_own_connection(function, *args):
    try:
        return function(*args)
    finally:
        connection.close()  # this thread's connection


# --- units ---------------------------------------------------------------------------------------


def _units(day: date) -> tuple[list[UnitRow], dict[int, UnitRow], dict[int, list[int]]]:
    fields = (
        "pk",
        "code",
        "name",
        "level",
        "parent_id",
        "path",
        "province_code",
        "is_border",
        "population_total",
        *AGE_BANDS,
    )
    query = AdminUnit.objects.current(day).filter(level__in=[Level.PROVINCE, Level.DISTRICT, Level.COMMUNE])
    rows = [
        UnitRow(pk, code, name, level, parent, path, province, border, population, tuple(bands))
        for pk, code, name, level, parent, path, province, border, population, *bands in query.values_list(*fields)
    ]
    by_pk = {row.pk: row for row in rows}
    children: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        if row.parent_pk in by_pk:
            children[row.parent_pk].append(row.pk)
        else:
            row.parent_pk = None  # a parent outside the assessed tiers or not in force
    return rows, by_pk, children


def _ancestor_chains(by_pk: dict[int, UnitRow]) -> dict[int, tuple[str, ...]]:
    chains: dict[int, tuple[str, ...]] = {}

    def chain(pk: int) -> tuple[str, ...]:
        found = chains.get(pk)
        if found is None:
            row = by_pk[pk]
            found = (row.code, *(chain(row.parent_pk) if row.parent_pk else ()))
            chains[pk] = found
        return found

    for pk in by_pk:
        chain(pk)
    return chains


def _populations(
    rows: list[UnitRow], by_pk: dict[int, UnitRow], children: dict[int, list[int]]
) -> dict[str, int | None]:
    """Each unit's own population, else the sum of its sub-units' when every one is known."""
    result: dict[str, int | None] = {}
    for row in sorted(rows, key=lambda r: TIER_ORDER[r.tier]):
        if row.population is not None or row.tier == Tier.COMMUNE:
            result[row.code] = row.population
            continue
        parts = [result.get(by_pk[child].code) for child in children.get(row.pk, ())]
        result[row.code] = sum(parts) if parts and None not in parts else None
    tops = [result.get(row.code) for row in rows if row.parent_pk is None]
    result[NATION_CODE] = sum(tops) if tops and None not in tops else None
    return result


def _neighbours(by_pk: dict[int, UnitRow]) -> dict[int, tuple[str, ...]]:
    found: dict[int, set[str]] = defaultdict(set)
    # Pairs are stored both ways: read each once.
    for unit, other in Adjacency.objects.filter(unit_id__lt=F("neighbour_id")).values_list("unit_id", "neighbour_id"):
        a, b = by_pk.get(unit), by_pk.get(other)
        if a is not None and b is not None and a.tier == b.tier:
            found[unit].add(b.code)
            found[other].add(a.code)
    return {pk: tuple(sorted(codes)) for pk, codes in found.items()}


# --- tallies ------------------------------------------------------------------------------------


def _flows(day: date) -> dict[int, dict[str, int]]:
    week_start = day - timedelta(days=WEEK - 1)
    in_week = Q(day__gte=week_start)

    def week(name: str):
        return Sum(SqlCase(When(in_week, then=name), default=0, output_field=IntegerField()))

    rows = (
        DailyTally.objects.filter(day__gte=day - timedelta(days=FORTNIGHT - 1), day__lte=day)
        .values("unit_id")
        .annotate(
            cases_7d=week("cases_new_community"),
            cases_14d=Sum("cases_new_community"),
            unknown_14d=Sum("cases_new_community_unknown_source"),
            deaths_7d=week("cases_died"),
            hospital_7d=week("cases_hospitalised"),
        )
    )
    return {row.pop("unit_id"): row for row in rows}


def _stocks(day: date) -> list[tuple[int, int, int, int, int, int, int]]:
    """Stock levels at the end of the day per tally unit (running sums of the daily changes):
    (unit id, F1 at home, F1 in facilities, cases under treatment, COVID beds, occupied, ICU beds)."""

    def total(*names: str):
        expression = F(names[0])
        for name in names[1:]:
            expression = expression + F(name)
        return Sum(expression)

    return list(
        DailyTally.objects.filter(day__lte=day)
        .values("unit_id")
        .annotate(
            f1_home=Sum("f1_home_quarantine"),
            f1_facility=Sum("f1_facility_quarantine"),
            active=total(*ACTIVE_FIELDS),
            beds=total(*(f"{bed}_capacity" for bed in CAPACITY)),
            occupied=total(*(f"{bed}_occupied" for bed in CAPACITY)),
            icu=Sum("icu_capacity"),
        )
        .values_list("unit_id", "f1_home", "f1_facility", "active", "beds", "occupied", "icu")
    )


def _rates(beds: list[int] | None, population: int | None, extra: dict[str, Any]) -> tuple[float | None, float | None]:
    """(vacant COVID beds, ICU beds) per 100,000, or (None, None) when no bed is recorded or the
    population is unknown."""
    capacity, occupied, icu = beds or (0, 0, 0)
    if capacity:
        extra.update(covid_beds=capacity, covid_beds_occupied=occupied, icu_beds=icu)
    if not capacity or not population:
        return None, None
    vacant = max(0, capacity - occupied)  # above capacity (authorised overflow): no bed vacant
    return vacant * 100_000 / population, icu * 100_000 / population


# --- communes -----------------------------------------------------------------------------------


def _commune_inputs(
    unit: UnitInputs, row: UnitRow, flow: dict[str, int] | None, f1: tuple[int, int], clusters, extra: dict[str, Any]
) -> None:
    pop_0_17, pop_18_49, pop_50_64, pop_65_plus = row.bands
    unit.population = row.population
    unit.population_18plus = (
        None if None in (pop_18_49, pop_50_64, pop_65_plus) else pop_18_49 + pop_50_64 + pop_65_plus
    )
    unit.population_50plus = None if None in (pop_50_64, pop_65_plus) else pop_50_64 + pop_65_plus
    unit.population_65plus = pop_65_plus
    flow = flow or {}
    cases_14d, unknown_14d = flow.get("cases_14d") or 0, flow.get("unknown_14d") or 0
    unit.new_community_cases_7d = flow.get("cases_7d") or 0
    unit.new_community_cases_14d = cases_14d
    unit.unknown_source_cases_14d = unknown_14d
    unit.known_source_cases_14d = max(0, cases_14d - unknown_14d)
    unit.deaths_7d = flow.get("deaths_7d") or 0
    unit.hospital_cases_7d = flow.get("hospital_7d") or 0
    unit.f1_present = (f1[0] + f1[1]) > 0
    if f1[0] or f1[1]:
        extra.update(f1_home_quarantine=f1[0], f1_facility_quarantine=f1[1])
    unit.clusters = tuple(cluster for cluster, _ in clusters)
    if clusters:
        extra["cluster_ids"] = [pk for _, pk in clusters]


def _vaccination_inputs(unit: UnitInputs, row: UnitRow, counts: dict[str, int], extra: dict[str, Any]) -> None:
    """The four coverage counts of a commune whose province keeps vaccination records (0 without a
    dose), and the high-risk group's size (its population aged 65+; absent when unknown)."""
    unit.dose1_18plus = counts.get("dose1_18plus") or 0
    unit.full_50plus = counts.get("full_50plus") or 0
    unit.full_all = counts.get("full") or 0
    unit.full_high_risk = counts.get("full_65plus") or 0
    unit.high_risk_population = row.bands[3]  # pop_65_plus
    extra["vaccination"] = "tallies"


def _clusters(day: date) -> dict[str, list[tuple[Cluster, int]]]:
    """Clusters open on the day (running sum of ``opened`` positive) with at least one case
    confirmed in the 14 days ending on it, and their cases so far, from the cluster tallies."""
    start = day - timedelta(days=FORTNIGHT - 1)
    upto = ClusterTally.objects.filter(day__lte=day)
    open_on_day = (
        upto.exclude(commune_code="")
        .values("cluster_id", "commune_code", "source_known", "setting")
        .annotate(open=Sum("opened"))
        .filter(open__gt=0)
        .values_list("cluster_id", "commune_code", "source_known", "setting")
    )
    recent = Sum(SqlCase(When(day__gte=start, then="cases"), default=0, output_field=IntegerField()))
    counts = {
        pk: total
        for pk, total, in_fortnight in upto.filter(commune_code="")
        .values("cluster_id")
        .annotate(total=Sum("cases"), recent=recent)
        .values_list("cluster_id", "total", "recent")
        if in_fortnight > 0
    }
    found: dict[str, list[tuple[Cluster, int]]] = defaultdict(list)
    for pk, commune, known, setting in sorted(open_on_day):
        if pk in counts:
            found[commune].append((Cluster(bool(known), setting or "other", int(counts[pk])), pk))
    return found


# --- flags, overrides, previous assessments ------------------------------------------------------


def _readiness(day: date, by_pk: dict[int, UnitRow]) -> dict[int, tuple[bool, str]]:
    latest: dict[int, tuple[date, bool]] = {}
    for unit, ready, start in CapacityReadiness.objects.filter(effective_from__lte=day).values_list(
        "unit_id", "ready", "effective_from"
    ):
        if unit not in latest or start > latest[unit][0]:
            latest[unit] = (start, ready)
    return {unit: (ready, by_pk[unit].code) for unit, (_, ready) in latest.items() if unit in by_pk}


def _ready_for(pk: int, readiness: dict[int, tuple[bool, str]], by_pk: dict[int, UnitRow]) -> tuple[bool | None, str]:
    node: int | None = pk
    while node is not None:
        if node in readiness:
            return readiness[node]
        node = by_pk[node].parent_pk
    return None, ""


def _overrides(day: date, codes_by_pk: dict[int, str]) -> dict[str, RiskOverride]:
    found: dict[str, RiskOverride] = {}
    overrides = RiskOverride.objects.filter(valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    for override in overrides.order_by("at", "pk"):  # the latest decision wins
        code = codes_by_pk.get(override.unit_id)
        if code is not None:
            found[code] = override
    return found


PREVIOUS_FIELDS = (
    "code",
    "framework",
    "computed_level",
    *LEVEL_STATE_FIELDS,
)
SAME_DAY_FIELDS = ("code", "framework", "applied_level", "announced_at")


def _previous(day: date, rows) -> tuple[dict[str, Previous], dict[str, SameDay]]:
    """The latest stored assessment before ``day`` of each unit, and this day's rows if any."""
    stored = RiskAssessment.objects.filter(day__lt=day)
    latest_day = stored.order_by("-day").values_list("day", flat=True).first()
    previous: dict[str, Previous] = {}
    if latest_day is not None:
        previous = {row[0]: Previous(*row) for row in _rows(PREVIOUS_FIELDS, "day = %s", [latest_day])}
        lacking = [code for code in rows if code not in previous]
        for start in range(0, len(lacking), 500):  # units the last run skipped: their own latest row
            chunk = lacking[start : start + 500]
            found = _rows(
                ("day", *PREVIOUS_FIELDS),
                f"day < %s AND code IN ({', '.join(['%s'] * len(chunk))})",
                [latest_day, *chunk],
            )
            for row in sorted(found, key=lambda row: row[0], reverse=True):
                previous.setdefault(row[1], Previous(*row[1:]))
    same = {row[0]: SameDay(*row) for row in _rows(SAME_DAY_FIELDS, "day = %s", [day])}
    return previous, same


DATETIME_FIELDS = frozenset({"in_force_since", "pending_from", "announced_at"})
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _rows(fields: tuple[str, ...], where: str, params: list) -> list[tuple]:
    """Rows of stored assessments.  Datetimes are read as microseconds since the epoch and turned
    into datetimes here: Django's timestamptz loader parses each value with a regular expression,
    which for 10,000 rows costs more than the rest of the query (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        query = RiskAssessment.objects.extra(where=[where], params=params)  # noqa: S610 - fixed SQL, bound params
        return list(query.values_list(*fields))
    columns = ", ".join(
        f"(EXTRACT(EPOCH FROM {name}) * 1000000)::bigint" if name in DATETIME_FIELDS else name for name in fields
    )
    positions = [index for index, name in enumerate(fields) if name in DATETIME_FIELDS]
    cache: dict[int, datetime] = {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {RiskAssessment._meta.db_table} WHERE {where}", params)  # noqa: S608
        rows = cursor.fetchall()
    result = []
    for row in rows:
        row = list(row)
        for index in positions:
            value = row[index]
            if value is not None:
                moment = cache.get(value)
                if moment is None:
                    moment = cache[value] = EPOCH + timedelta(microseconds=value)
                row[index] = moment
        result.append(tuple(row))
    return result
