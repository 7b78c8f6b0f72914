"""Recompute every tally from the records (``rebuild_tallies``)."""

from __future__ import annotations

from collections import Counter

from django.db import transaction

from chongdich.tallies.engine import UNITS, total
from chongdich.tallies.models import DailyTally
from chongdich.tallies.registry import SOURCES


def expected_tallies(progress=None) -> Counter:
    result: Counter = Counter()
    for model, queryset in SOURCES.items():
        count = 0
        for record in queryset().iterator(chunk_size=2000):
            result.update(total(record.tally_contributions()))
            count += 1
        if progress:
            progress(f"{model._meta.label}: {count:,} records")
    return result


def stored_tallies() -> Counter:
    from chongdich.tallies.models import ALL_FIELDS

    result: Counter = Counter()
    for row in DailyTally.objects.values("unit_id", "day", *ALL_FIELDS):
        for field in ALL_FIELDS:
            if row[field]:
                result[(row["unit_id"], row["day"], field)] = row[field]
    return result


@transaction.atomic
def rebuild(progress=None) -> int:
    """Replace all tallies by the sum of the records' contributions; returns the number of rows."""
    expected = expected_tallies(progress)
    rows: dict = {}
    for (unit_id, day, field), value in expected.items():
        if value:
            rows.setdefault((unit_id, day), {})[field] = value
    DailyTally.objects.all().delete()
    objects = []
    for (unit_id, day), values in rows.items():
        path, province = UNITS.path_and_province(unit_id)
        objects.append(DailyTally(unit_id=unit_id, unit_path=path, province_code=province, day=day, **values))
    DailyTally.objects.bulk_create(objects, batch_size=5000)
    return len(objects)


def differences() -> dict:
    """Where stored and recomputed tallies disagree (empty when all is well)."""
    expected, stored = expected_tallies(), stored_tallies()
    keys = set(expected) | set(stored)
    return {
        key: (stored.get(key, 0), expected.get(key, 0)) for key in keys if stored.get(key, 0) != expected.get(key, 0)
    }
