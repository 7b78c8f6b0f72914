"""Recompute every tally from the records (``rebuild_tallies``): daily tallies and cluster tallies."""

from __future__ import annotations

from collections import Counter

from django.db import transaction

from chongdich.tallies.engine import CLUSTER_FIELDS, UNITS, ClusterKey, total
from chongdich.tallies.models import ALL_FIELDS, ClusterTally, DailyTally
from chongdich.tallies.registry import SOURCES

CLUSTER_KEY = ("cluster_id", "commune_code", "setting", "source_known", "day")


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
    result: Counter = Counter()
    for row in DailyTally.objects.values("unit_id", "day", *ALL_FIELDS):
        for field in ALL_FIELDS:
            if row[field]:
                result[(row["unit_id"], row["day"], field)] = row[field]
    for row in ClusterTally.objects.values_list(*CLUSTER_KEY, *CLUSTER_FIELDS):
        for field, value in zip(CLUSTER_FIELDS, row[len(CLUSTER_KEY) :], strict=True):
            if value:
                result[ClusterKey(*row[: len(CLUSTER_KEY)], field)] = value
    return result


@transaction.atomic
def rebuild(progress=None) -> int:
    """Replace all tallies by the sum of the records' contributions; returns the number of rows."""
    expected = expected_tallies(progress)
    rows: dict = {}
    clusters: dict = {}
    for key, value in expected.items():
        if not value:
            continue
        if isinstance(key, ClusterKey):
            clusters.setdefault(key[: len(CLUSTER_KEY)], {})[key.field] = value
        else:
            unit_id, day, field = key
            rows.setdefault((unit_id, day), {})[field] = value
    DailyTally.objects.all().delete()
    ClusterTally.objects.all().delete()
    objects = []
    for (unit_id, day), values in rows.items():
        path, province = UNITS.path_and_province(unit_id)
        objects.append(DailyTally(unit_id=unit_id, unit_path=path, province_code=province, day=day, **values))
    DailyTally.objects.bulk_create(objects, batch_size=5000)
    cluster_rows = [
        ClusterTally(**dict(zip(CLUSTER_KEY, key, strict=True)), **values) for key, values in clusters.items()
    ]
    ClusterTally.objects.bulk_create(cluster_rows, batch_size=5000)
    return len(objects) + len(cluster_rows)


def differences() -> dict:
    """Where stored and recomputed tallies disagree (empty when all is well)."""
    expected, stored = expected_tallies(), stored_tallies()
    keys = set(expected) | set(stored)
    return {
        key: (stored.get(key, 0), expected.get(key, 0)) for key in keys if stored.get(key, 0) != expected.get(key, 0)
    }
