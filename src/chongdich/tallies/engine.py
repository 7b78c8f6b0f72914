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
    VACCINATION_FIELDS,
    VACCINATION_KEY,
    ClusterTally,
    DailyTally,
    VaccinationTally,
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
    table = VaccinationTally._meta.db_table
    keys = ["unit_id", "day", *VACCINATION_KEY]
    columns = ", ".join(["unit_path", "province_code", *keys, *VACCINATION_FIELDS])
    updates = ", ".join(f"{f} = {table}.{f} + excluded.{f}" for f in VACCINATION_FIELDS)
    placeholders = "(" + ", ".join(["%s"] * (2 + len(keys) + len(VACCINATION_FIELDS))) + ")"
    items = sorted(rows.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), 500):
            batch = items[start : start + 500]
            params = []
            for key, deltas in batch:
                path, province = UNITS.path_and_province(key[0])
                params.extend([path, province, *key, *(deltas.get(f, 0) for f in VACCINATION_FIELDS)])
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholders] * len(batch))} "
                f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}",
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
