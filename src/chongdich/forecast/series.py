"""The nightly run's input: daily new cases of every commune and of its roll-ups, read set-based.

``incidence(day, days)`` reads the tallies of the ``days`` days ending on ``day`` in one grouped query
(only the cells that hold a case: a quiet commune costs nothing) and the stock levels at the end of
``day`` in another, into numpy arrays of units × days.  Districts and provinces are the sums of their
children (and of the tallies kept on the unit itself: a record placed above communes); a village's
tallies count in its commune.  No Python loop runs over the rows: unit ids are turned into row numbers
by a lookup array and the cells are added with ``numpy.add.at``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from django.db import connection

from chongdich.tallies.models import ACTIVE_FIELDS, DailyTally
from chongdich.territory.models import AdminUnit, Level

TIERS = (Level.COMMUNE, Level.DISTRICT, Level.PROVINCE)
# Stock levels read at the end of the day, per unit: what the demand projections start from.
OCCUPANCY_FIELDS = {
    "treatment": "treatment_occupied",
    "oxygen": "oxygen_occupied",
    "icu": "icu_occupied",
    "quarantine": "quarantine_occupied",
}


@dataclass
class Series:
    """Units (communes, then districts, then provinces) × days (``start`` … ``day``, the last column)."""

    day: date
    start: date
    unit_ids: np.ndarray  # int64
    paths: list[str]
    tiers: list[str]
    province_codes: list[str]
    commune_codes: list[str]
    local: np.ndarray  # units × days, float64: new cases in the community
    imported: np.ndarray  # units × days, float64: new cases found in quarantine, lockdown or at the border
    active: np.ndarray  # units, int64: active cases at the end of ``day``
    occupied: dict[str, np.ndarray] = field(default_factory=dict)  # OCCUPANCY_FIELDS' levels, units
    cells: int = 0  # tally cells read (rows holding a case)

    def __len__(self) -> int:
        return len(self.unit_ids)

    @property
    def cases(self) -> np.ndarray:
        return self.local + self.imported

    def row_of(self) -> dict[int, int]:
        return {int(unit_id): row for row, unit_id in enumerate(self.unit_ids)}

    def rows_in(self, path: str) -> np.ndarray:
        """Rows of the units at or below ``path``."""
        return np.array([row for row, p in enumerate(self.paths) if p.startswith(path)], dtype=np.int64)


def _units() -> tuple[list[tuple], dict[int, int]]:
    """(id, path, level, parent id, province code, commune code) of the units forecast, communes first;
    and the commune of every village."""
    order = {Level.COMMUNE: 0, Level.DISTRICT: 1, Level.PROVINCE: 2}
    units = sorted(
        AdminUnit.objects.filter(level__in=TIERS).values_list(
            "id", "path", "level", "parent_id", "province_code", "commune_code"
        ),
        key=lambda u: (order[u[2]], u[1]),
    )
    villages = dict(AdminUnit.objects.filter(level=Level.VILLAGE).values_list("id", "parent_id"))
    return units, villages


def _day_offset_sql() -> str:
    if connection.vendor == "postgresql":
        return "(day - %s::date)"
    return "CAST(julianday(day) - julianday(%s) AS INTEGER)"


def incidence(day: date, days: int = 120) -> Series:
    start = day - timedelta(days=days - 1)
    units, villages = _units()
    n = len(units)
    ids = np.array([u[0] for u in units], dtype=np.int64)
    row = {u[0]: i for i, u in enumerate(units)}
    lookup_size = int(max([0, *row.keys(), *villages.keys()])) + 1
    lookup = np.full(lookup_size, -1, dtype=np.int64)
    if n:
        lookup[ids] = np.arange(n)
    for village, commune in villages.items():
        lookup[village] = row.get(commune, -1)

    table = DailyTally._meta.db_table
    local = np.zeros((n, days))
    imported = np.zeros((n, days))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT unit_id, {_day_offset_sql()}, cases_new_community, cases_new_isolated FROM {table} "  # noqa: S608 - fixed SQL
            "WHERE day >= %s AND day <= %s AND (cases_new_community <> 0 OR cases_new_isolated <> 0)",
            [start, start, day],
        )
        cells = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 4)
        active_sum = " + ".join(ACTIVE_FIELDS)
        stock = ", ".join(f"SUM({column})" for column in OCCUPANCY_FIELDS.values())
        cursor.execute(
            f"SELECT unit_id, SUM({active_sum}), {stock} FROM {table} WHERE day <= %s GROUP BY unit_id",  # noqa: S608 - fixed SQL
            [day],
        )
        levels = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 2 + len(OCCUPANCY_FIELDS))
    if len(cells):
        rows = lookup[np.minimum(cells[:, 0], lookup_size - 1)]
        keep = (rows >= 0) & (cells[:, 0] < lookup_size)
        np.add.at(local, (rows[keep], cells[keep, 1]), cells[keep, 2])
        np.add.at(imported, (rows[keep], cells[keep, 1]), cells[keep, 3])
    stocks = np.zeros((n, 1 + len(OCCUPANCY_FIELDS)), dtype=np.int64)
    if len(levels):
        rows = lookup[np.minimum(levels[:, 0], lookup_size - 1)]
        keep = (rows >= 0) & (levels[:, 0] < lookup_size)
        np.add.at(stocks, rows[keep], levels[keep, 1:])

    # Roll-ups: communes into their parents, then districts into theirs (sums of children, paths).
    parent = np.array([row.get(u[3], -1) for u in units], dtype=np.int64)
    tiers = [u[2] for u in units]
    for tier in (Level.COMMUNE, Level.DISTRICT):
        children = np.array([i for i, t in enumerate(tiers) if t == tier and parent[i] >= 0], dtype=np.int64)
        if len(children):
            np.add.at(local, parent[children], local[children])
            np.add.at(imported, parent[children], imported[children])
            np.add.at(stocks, parent[children], stocks[children])
    return Series(
        day=day,
        start=start,
        unit_ids=ids,
        paths=[u[1] for u in units],
        tiers=tiers,
        province_codes=[u[4] for u in units],
        commune_codes=[u[5] or "" for u in units],
        local=local,
        imported=imported,
        active=stocks[:, 0],
        occupied={name: stocks[:, 1 + i] for i, name in enumerate(OCCUPANCY_FIELDS)},
        cells=len(cells),
    )
