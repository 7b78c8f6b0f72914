"""Keeping tallies in step with the records, in the same transaction as the write.

A record that feeds tallies implements ``tally_contributions() -> Iterable[Contribution]``: what it
adds to which commune, day and field given its current state.  A write is wrapped in ``tracked``:
the contributions before and after are subtracted and only the difference is applied.  Rebuilding
from scratch is the sum of every record's contributions, so the two paths cannot drift apart unless a
write bypasses ``tracked`` — which the property test in tests/tallies catches.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

from chongdich.tallies.models import (
    ALL_FIELDS,
    CUMULATIVE_FIELDS,
    GROUP_CUMULATIVE_FIELDS,
    VACCINATION_FIELDS,
    VACCINATION_KEY,
    ClusterTally,
    DailyTally,
    VaccinationCumulative,
    VaccinationGroupCumulative,
    VaccinationTally,
    quoted,
)
from chongdich.territory.models import AdminUnit, Level


class Contribution(NamedTuple):
    unit_id: int  # the tally unit: the commune of the record (or the record's own unit above communes)
    day: date
    field: str
    delta: int


CLUSTER_FIELDS = ("opened", "cases")


class ClusterContribution(NamedTuple):
    """What a record adds to a cluster's tally (``ClusterTally``): ``opened`` (+1 on the day the
    cluster opened, −1 on the day it closed) with the cluster's commune, setting and source, or
    ``cases`` (its cases by day of confirmation) with the cluster id alone."""

    cluster_id: int
    day: date
    field: str
    delta: int
    commune_code: str = ""
    setting: str = ""
    source_known: bool = False


class ClusterKey(NamedTuple):
    cluster_id: int
    commune_code: str
    setting: str
    source_known: bool
    day: date
    field: str


class VaccinationContribution(NamedTuple):
    """What a record adds to the vaccination tally (``VaccinationTally``): ``doses`` (a dose given
    on the day, with its key) or ``enrolled`` (a person in a priority group from the day: the key
    has the group and its high-risk flag only)."""

    unit_id: int
    day: date
    field: str
    delta: int
    product: str = ""
    kind: str = ""
    number: int = 0
    completes_primary: bool = False
    age_band: str = ""
    priority_group: str = ""
    high_risk: bool = False


class VaccinationKey(NamedTuple):
    unit_id: int
    day: date
    product: str
    kind: str
    number: int
    completes_primary: bool
    age_band: str
    priority_group: str
    high_risk: bool
    field: str


class CumulativeKey(NamedTuple):
    """A running total (``VaccinationCumulative``): unit, product, day, field."""

    unit_id: int
    product: str
    day: date
    field: str


class GroupCumulativeKey(NamedTuple):
    """A priority group's running total (``VaccinationGroupCumulative``): unit, group, day, field."""

    unit_id: int
    priority_group: str
    day: date
    field: str


class TallyUnits:
    """Tally unit of a record: its commune, found from the denormalised commune code (cached)."""

    def __init__(self):
        self._by_code: dict[str, tuple[int, str, str]] = {}
        self._by_id: dict[int, tuple[str, str]] = {}

    def _load(self) -> None:
        for pk, code, path, province in AdminUnit.objects.filter(level=Level.COMMUNE).values_list(
            "pk", "code", "path", "province_code"
        ):
            self._by_code[code] = (pk, path, province)
            self._by_id[pk] = (path, province)

    def of(self, record) -> int:
        """The tally unit id for a scoped record (commune, or its own unit when above communes)."""
        code = getattr(record, "commune_code", "")
        if code:
            if code not in self._by_code:
                self._load()
            if code in self._by_code:
                return self._by_code[code][0]
        return record.unit_id

    def path_and_province(self, unit_id: int) -> tuple[str, str]:
        if unit_id not in self._by_id:
            unit = AdminUnit.objects.filter(pk=unit_id).values_list("path", "province_code").first()
            self._by_id[unit_id] = unit or ("", "")
        return self._by_id[unit_id]

    def clear(self) -> None:
        self._by_code.clear()
        self._by_id.clear()


UNITS = TallyUnits()


def _forget_units(**kwargs) -> None:
    UNITS.clear()


def connect_unit_signals() -> None:
    """Units are cached per process; a saved or deleted unit (a new commune, tests) clears the cache."""
    post_save.connect(_forget_units, sender=AdminUnit, dispatch_uid="tallies-units-save")
    post_delete.connect(_forget_units, sender=AdminUnit, dispatch_uid="tallies-units-delete")


def total(contributions: Iterable[Contribution | ClusterContribution | VaccinationContribution]) -> Counter:
    """{(unit, day, field): delta} for daily tallies, {ClusterKey: delta} for cluster tallies and
    {VaccinationKey: delta} for vaccination tallies."""
    counter: Counter = Counter()
    for contribution in contributions:
        if isinstance(contribution, VaccinationContribution):
            if contribution.field not in VACCINATION_FIELDS:
                raise ValueError(f"unknown vaccination tally field {contribution.field!r}")
            unit_id, day, field, delta, *key = contribution
            counter[VaccinationKey(unit_id, day, *vaccination_key(key), field)] += delta
            continue
        if isinstance(contribution, ClusterContribution):
            if contribution.field not in CLUSTER_FIELDS:
                raise ValueError(f"unknown cluster tally field {contribution.field!r}")
            cluster, day, field, delta, commune, setting, known = contribution
            counter[ClusterKey(cluster, commune, setting, bool(known), day, field)] += delta
            continue
        unit_id, day, field, delta = contribution
        if field not in ALL_FIELDS:
            raise ValueError(f"unknown tally field {field!r}")
        counter[(unit_id, day, field)] += delta
    return counter


def vaccination_key(values) -> tuple:
    """The key columns normalised as the database returns them (SQLite gives 0/1 for booleans)."""
    product, kind, number, completes, band, group, high_risk = values
    return (product or "", kind or "", int(number or 0), bool(completes), band or "", group or "", bool(high_risk))


def contributions_of(records: Iterable) -> Counter:
    result: Counter = Counter()
    for record in records:
        if record is not None and record.pk is not None:
            result.update(total(record.tally_contributions()))
    return result


def apply(difference: Counter) -> None:
    """Add a difference {(unit, day, field): delta} to the stored tallies.

    One ``INSERT … ON CONFLICT (unit, day) DO UPDATE SET f = f + excluded.f`` per batch of rows:
    concurrent writers add to the same row without losing increments, on PostgreSQL and SQLite alike.
    """
    rows: dict[tuple[int, date], dict[str, int]] = defaultdict(dict)
    clusters: dict[tuple, dict[str, int]] = defaultdict(dict)
    vaccination: dict[tuple, dict[str, int]] = defaultdict(dict)
    for key, delta in difference.items():
        if not delta:
            continue
        if isinstance(key, VaccinationKey):
            row = vaccination[key[:-1]]
            row[key.field] = row.get(key.field, 0) + delta
            continue
        if isinstance(key, ClusterKey):
            clusters[key[:5]][key.field] = clusters[key[:5]].get(key.field, 0) + delta
            continue
        unit_id, day, field = key
        rows[(unit_id, day)][field] = rows[(unit_id, day)].get(field, 0) + delta
    _apply_clusters(clusters)
    _apply_vaccination(vaccination)
    rows = {key: deltas for key, deltas in rows.items() if any(deltas.values())}
    if not rows:
        return
    fields = list(ALL_FIELDS)
    table = DailyTally._meta.db_table
    columns = ", ".join(["unit_id", "unit_path", "province_code", "day", *fields])
    updates = ", ".join(f"{f} = {table}.{f} + excluded.{f}" for f in fields)
    placeholders = "(" + ", ".join(["%s"] * (4 + len(fields))) + ")"
    items = sorted(rows.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), 500):
            batch = items[start : start + 500]
            params = []
            for (unit_id, day), deltas in batch:
                path, province = UNITS.path_and_province(unit_id)
                params.extend([unit_id, path, province, day, *(deltas.get(f, 0) for f in fields)])
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholders] * len(batch))} "
                f"ON CONFLICT (unit_id, day) DO UPDATE SET {updates}",
                params,
            )


def _apply_clusters(rows: dict[tuple, dict[str, int]]) -> None:
    """The same upsert for cluster tallies, keyed by (cluster, commune, setting, source, day)."""
    rows = {key: deltas for key, deltas in rows.items() if any(deltas.values())}
    if not rows:
        return
    table = ClusterTally._meta.db_table
    keys = ["cluster_id", "commune_code", "setting", "source_known", "day"]
    columns = ", ".join([*keys, *CLUSTER_FIELDS])
    updates = ", ".join(f"{f} = {table}.{f} + excluded.{f}" for f in CLUSTER_FIELDS)
    placeholders = "(" + ", ".join(["%s"] * (len(keys) + len(CLUSTER_FIELDS))) + ")"
    items = sorted(rows.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), 500):
            batch = items[start : start + 500]
            params = []
            for key, deltas in batch:
                params.extend([*key, *(deltas.get(f, 0) for f in CLUSTER_FIELDS)])
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholders] * len(batch))} "
                f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}",
                params,
            )


def _apply_vaccination(rows: dict[tuple, dict[str, int]]) -> None:
    """The same upsert for vaccination tallies, keyed by (unit, day, product, kind, number, completes
    the primary series, age band, priority group, high risk)."""
    rows = {key: deltas for key, deltas in rows.items() if any(deltas.values())}
    if not rows:
        return
    apply_running_totals(rows)
    table = VaccinationTally._meta.db_table
    keys = ["unit_id", "day", *VACCINATION_KEY]
    columns = ", ".join(["unit_path", "province_code", *keys, *VACCINATION_FIELDS])
    updates = ", ".join(f"{f} = {table}.{f} + excluded.{f}" for f in VACCINATION_FIELDS)
    upsert = f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
    items = sorted(rows.items())

    def values(key, deltas) -> tuple:
        return (*UNITS.path_and_province(key[0]), *key, *(deltas.get(f, 0) for f in VACCINATION_FIELDS))

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(items) >= BULK_ROWS:
            # A bulk write (the platform import's chunk: thousands of keys): COPY into a temporary
            # table and one INSERT … SELECT — a VALUES list that long costs more to build than to run.
            cursor.execute(
                f"CREATE TEMPORARY TABLE bulk_vaccination_tally AS SELECT {columns} FROM {table} WITH NO DATA"
            )
            with cursor.cursor.copy(f"COPY bulk_vaccination_tally ({columns}) FROM STDIN") as copy:
                for key, deltas in items:
                    copy.write_row(values(key, deltas))
            cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM bulk_vaccination_tally {upsert}")
            cursor.execute("DROP TABLE bulk_vaccination_tally")
            return
        placeholders = "(" + ", ".join(["%s"] * (2 + len(keys) + len(VACCINATION_FIELDS))) + ")"
        for start in range(0, len(items), 500):
            batch = items[start : start + 500]
            params = [value for key, deltas in batch for value in values(key, deltas)]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholders] * len(batch))} {upsert}", params
            )


# From this many vaccination tally keys in one write, PostgreSQL gets them by COPY.
BULK_ROWS = 1000


ADULT_BANDS = ("18_49", "50_64", "65_plus")
OLDER_BANDS = ("50_64", "65_plus")
HIGH_RISK_BANDS = ("65_plus",)

# Which doses each cumulative field counts: (Python test on a tally key's (kind, number, completes the
# primary series, age band), the same test in SQL on a vaccination tally row).
_DOSE1 = "kind = 'primary' AND number = 1"
_FULL = "completes_primary"
_BOOSTER = "kind = 'booster' AND number = 1"
_ADULT = "age_band IN ('18_49', '50_64', '65_plus')"
CUMULATIVE_TESTS = {
    "doses": (lambda k, n, c, b: True, "1 = 1"),
    "dose1": (lambda k, n, c, b: k == "primary" and n == 1, _DOSE1),
    "dose1_18plus": (lambda k, n, c, b: k == "primary" and n == 1 and b in ADULT_BANDS, f"{_DOSE1} AND {_ADULT}"),
    "dose1_open": (lambda k, n, c, b: k == "primary" and n == 1 and not c, f"{_DOSE1} AND NOT {_FULL}"),
    "full": (lambda k, n, c, b: c, _FULL),
    "full_18plus": (lambda k, n, c, b: c and b in ADULT_BANDS, f"{_FULL} AND {_ADULT}"),
    "full_50plus": (lambda k, n, c, b: c and b in OLDER_BANDS, f"{_FULL} AND age_band IN ('50_64', '65_plus')"),
    "full_65plus": (lambda k, n, c, b: c and b in HIGH_RISK_BANDS, f"{_FULL} AND age_band = '65_plus'"),
    "booster": (lambda k, n, c, b: k == "booster" and n == 1, _BOOSTER),
    "booster_18plus": (lambda k, n, c, b: k == "booster" and n == 1 and b in ADULT_BANDS, f"{_BOOSTER} AND {_ADULT}"),
    "completed": (lambda k, n, c, b: c and k == "primary" and n >= 2, f"{_FULL} AND kind = 'primary' AND number >= 2"),
}
assert tuple(CUMULATIVE_TESTS) == CUMULATIVE_FIELDS


def cumulative_deltas(key: tuple, doses: int) -> dict[str, int]:
    """What ``doses`` more of a vaccination tally key (``VACCINATION_KEY`` values) add to each
    cumulative field."""
    product, kind, number, completes, band, _group, _risk = vaccination_key(key)
    return {name: doses for name, (test, _sql) in CUMULATIVE_TESTS.items() if test(kind, number, completes, band)}


def group_deltas(key: tuple, field: str, value: int) -> dict[str, int]:
    """What a vaccination tally change adds to its priority group's running totals."""
    _product, kind, number, completes, _band, group, _risk = vaccination_key(key)
    if not group:
        return {}
    if field == "enrolled":
        return {"enrolled": value}
    result = {}
    if kind == "primary" and number == 1:
        result["dose1"] = value
    if completes:
        result["full"] = value
    return result


class RunningTotal(NamedTuple):
    model: type
    column: str  # the key column besides the unit and the day
    fields: tuple


RUNNING_TOTALS = (
    RunningTotal(VaccinationCumulative, "product", CUMULATIVE_FIELDS),
    RunningTotal(VaccinationGroupCumulative, "priority_group", GROUP_CUMULATIVE_FIELDS),
)


def apply_running_totals(rows: dict[tuple, dict[str, int]]) -> None:
    """Carry vaccination tally changes into the running totals (``VaccinationCumulative`` per
    product, ``VaccinationGroupCumulative`` per priority group): for each unit, product (group) and
    day changed, insert the day's row (a copy of the latest earlier row, else zeros) if missing,
    then add the change to it and to every later row of the unit and product (group).

    Set-based, two statements per batch of 500 changes (an import's chunk changes thousands).  On
    PostgreSQL a transaction-scoped advisory lock per (unit, product or group) serialises writers of
    the same running total (a row copied from an earlier one must see every committed change to it)."""
    by_product: dict[tuple, Counter] = defaultdict(Counter)
    by_group: dict[tuple, Counter] = defaultdict(Counter)
    for key, deltas in rows.items():
        unit_id, day, *tally_key = key
        if deltas.get("doses"):
            by_product[(unit_id, tally_key[0] or "", day)].update(cumulative_deltas(tally_key, deltas["doses"]))
        for field, value in deltas.items():
            if value and tally_key[5]:
                by_group[(unit_id, tally_key[5], day)].update(group_deltas(tally_key, field, value))
    for running, changes in zip(RUNNING_TOTALS, (by_product, by_group), strict=True):
        changes = {key: delta for key, delta in changes.items() if any(delta.values())}
        if changes:
            _carry_all(running, changes)


def _carry_all(running: RunningTotal, changes: dict) -> None:
    items = sorted(changes.items())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            pairs = sorted({(unit, value) for unit, value, _day in changes})
            for start in range(0, len(pairs), 500):
                batch = pairs[start : start + 500]
                cursor.execute(
                    f"SELECT pg_advisory_xact_lock(column1, hashtext('{running.column}:' || column2)) FROM (VALUES "
                    + ", ".join(["(%s, %s)"] * len(batch))
                    + ") v ORDER BY column1, column2",
                    [value for pair in batch for value in pair],
                )
        for start in range(0, len(items), 500):
            _carry(cursor, running, items[start : start + 500])


def _carry(cursor, running: RunningTotal, batch: list) -> None:
    """One batch of running-total changes [((unit, product or group, day), deltas)]: two statements."""
    table, column = running.model._meta.db_table, running.column
    adapt = connection.ops.adapt_datefield_value
    fields = quoted(running.fields)
    # The missing day rows, each a copy of the latest earlier row of its unit and product (or zeros):
    # every copy reads the rows as they were before this batch, and the UPDATE below adds each change
    # to the rows on and after its day, the copies included.
    params: list = []
    for (unit_id, value, day), _delta in batch:
        path, province = UNITS.path_and_province(unit_id)
        params += [unit_id, path, province, value, adapt(day)]
    copied = ", ".join(f"COALESCE(prev.{f}, 0)" for f in fields)
    cursor.execute(
        f"INSERT INTO {table} (unit_id, unit_path, province_code, {column}, day, {', '.join(fields)}) "  # noqa: S608 - fixed SQL
        f"SELECT v.column1, v.column2, v.column3, v.column4, v.column5, {copied} FROM ("
        f"SELECT w.*, (SELECT c.id FROM {table} c WHERE c.{column} = w.column4 AND c.unit_id = w.column1 "
        f"AND c.day < w.column5 ORDER BY c.day DESC LIMIT 1) AS prev_id FROM (VALUES "
        + ", ".join(["(%s, %s, %s, %s, %s)"] * len(batch))
        + f") w) v LEFT JOIN {table} prev ON prev.id = v.prev_id WHERE 1 = 1 "
        f"ON CONFLICT ({column}, unit_id, day) DO NOTHING",
        params,
    )
    params = []
    for (unit_id, value, day), delta in batch:
        params += [unit_id, value, adapt(day), *(delta.get(f, 0) for f in running.fields)]
    row = "(" + ", ".join(["%s"] * (3 + len(fields))) + ")"
    sets = ", ".join(f"{f} = {table}.{f} + x.{f}" for f in fields)
    sums = ", ".join(f"SUM(w.column{4 + i}) AS {f}" for i, f in enumerate(fields))
    cursor.execute(
        f"UPDATE {table} SET {sets} FROM (SELECT c.id AS id, {sums} FROM {table} c JOIN (VALUES "  # noqa: S608 - fixed SQL
        + ", ".join([row] * len(batch))
        + f") w ON c.{column} = w.column2 AND c.unit_id = w.column1 AND c.day >= w.column3 GROUP BY c.id) x "
        f"WHERE {table}.id = x.id",
        params,
    )


def difference(before: Counter, after: Counter) -> Counter:
    result = Counter(after)
    result.subtract(before)
    return result


@contextmanager
def tracked(*records) -> Iterator[None]:
    """Wrap a write: ``with tracked(case): ...change and save case...``.

    Records created inside the block can be added with ``track_new`` (``tracked`` sees them as empty
    before).  Related rows that a record's contributions read (episodes, stays) must be saved before
    the block ends.
    """
    watched = [r for r in records if r is not None]
    before = contributions_of(_fresh(watched))
    tracker = _Tracker(watched)
    with transaction.atomic():
        yield tracker
        after = contributions_of(_fresh(tracker.records))
        apply(difference(before, after))


class _Tracker:
    def __init__(self, records):
        self.records = list(records)

    def add(self, record) -> None:
        self.records.append(record)


def _fresh(records):
    """Re-read records from the database so that contributions reflect what is stored."""
    result = []
    for record in records:
        if record.pk is None:
            continue
        fresh = type(record)._default_manager.filter(pk=record.pk).first()
        if fresh is not None:
            result.append(fresh)
    return result
