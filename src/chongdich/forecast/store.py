"""Writing a day's computed rows: replace them, one table at a time, in one transaction each.

A crash inside ``replace`` rolls the table back to its previous complete state for the day; a crash
between two tables leaves each of them complete (old or new) and the run marked failed by the recovery,
so a re-run of the day puts everything right (``run_forecast`` is idempotent per day).
"""

from __future__ import annotations

import json
import math

import numpy as np
from django.db import connection, models, transaction

BATCH_SIZE = 2000


def replace(model, rows: list, batch_size: int = BATCH_SIZE, **day_filter) -> int:
    """Delete ``model``'s rows matching ``day_filter`` and insert ``rows`` instead, in one transaction.

    On PostgreSQL the rows go in by ``COPY`` (the projections are ~20,000 rows of JSON a night: a
    multi-row INSERT of them costs several times more); elsewhere by ``bulk_create`` in batches."""
    with transaction.atomic():
        model.objects.filter(**day_filter).delete()
        if rows and connection.vendor == "postgresql":
            _copy(model, rows)
        else:
            model.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


def _copy(model, rows: list) -> None:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    as_json = [isinstance(f, models.JSONField) for f in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for obj in rows:
            copy.write_row(
                [
                    json.dumps(getattr(obj, f.attname), separators=(",", ":")) if j else getattr(obj, f.attname)
                    for f, j in zip(fields, as_json, strict=True)
                ]
            )


def number(value, digits: int | None = None) -> float | None:
    """A float for a FloatField or JSON: None for NaN and infinities."""
    value = float(value)
    if not math.isfinite(value):
        return None
    return round(value, digits) if digits is not None else value


def path(values: np.ndarray, digits: int = 2) -> list:
    """Daily paths for JSON (nested lists of an array of any shape): rounded (the stored projections stay
    small), NaN as 0."""
    return np.round(np.nan_to_num(np.asarray(values, dtype=np.float64), nan=0.0, posinf=0.0), digits).tolist()
