"""Reading tallies: flows per day and stock levels (running sums) for a unit's subtree."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db import connection
from django.db.models import CharField, F, Func, Sum, Value
from django.db.models.functions import Concat, StrIndex, Substr

from chongdich.tallies.models import ACTIVE_FIELDS, ALL_FIELDS, FLOW_FIELDS, STOCK_FIELDS, DailyTally


def _subtree(unit_path: str):
    return DailyTally.objects.filter(unit_path__startswith=unit_path)


def series(unit_path: str, start: date, end: date, fields=None) -> dict[date, dict[str, int]]:
    """Per day from ``start`` to ``end`` (inclusive): flows of the day and stock levels at its end."""
    fields = list(fields or ALL_FIELDS)
    stock = [f for f in fields if f in STOCK_FIELDS]
    flow = [f for f in fields if f in FLOW_FIELDS]
    levels = dict.fromkeys(stock, 0)
    if stock:
        before = _subtree(unit_path).filter(day__lt=start).aggregate(**{f: Sum(f) for f in stock})
        levels = {f: before[f] or 0 for f in stock}
    by_day = {
        row["day"]: row
        for row in _subtree(unit_path)
        .filter(day__gte=start, day__lte=end)
        .values("day")
        .annotate(**{f: Sum(f) for f in fields})
    }
    result = {}
    day = start
    while day <= end:
        row = by_day.get(day, {})
        for f in stock:
            levels[f] += row.get(f) or 0
        result[day] = {**{f: row.get(f) or 0 for f in flow}, **levels}
        day += timedelta(days=1)
    return result


def levels_on(unit_path: str, day: date, fields=None) -> dict[str, int]:
    """Stock levels at the end of ``day`` (flows of that day included)."""
    return series(unit_path, day, day, fields)[day]


def by_child(parent_path: str, child_paths: dict[str, int], day: date, fields) -> dict[int, dict[str, int]]:
    """Stock levels at the end of ``day`` and that day's flows for each child unit (one query)."""
    stock = [f for f in fields if f in STOCK_FIELDS]
    flow = [f for f in fields if f in FLOW_FIELDS]
    totals: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(fields, 0))
    rows = _subtree(parent_path).filter(day__lte=day).values("unit_path", "day", *fields).iterator(chunk_size=5000)
    for row in rows:
        child = next((pk for path, pk in child_paths.items() if row["unit_path"].startswith(path)), None)
        if child is None:
            continue
        for f in stock:
            totals[child][f] += row[f]
        if row["day"] == day:
            for f in flow:
                totals[child][f] += row[f]
    return totals


def active_cases(levels: dict[str, int]) -> int:
    return sum(levels.get(f, 0) for f in ACTIVE_FIELDS)


def child_code(parent_path: str):
    """SQL: the code of the child unit a tally row falls under ("" for rows of the parent itself):
    the path segment after ``parent_path`` (``split_part`` on PostgreSQL)."""
    if connection.vendor == "postgresql":
        return Func(
            F("unit_path"),
            Value("/"),
            Value(parent_path.count("/") + 1),
            function="SPLIT_PART",
            output_field=CharField(),
        )
    rest = Substr("unit_path", len(parent_path) + 1)
    return Substr(rest, 1, StrIndex(Concat(rest, Value("/")), Value("/")) - 1)
