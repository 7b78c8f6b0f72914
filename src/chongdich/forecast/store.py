"""Writing a day's computed rows: replace them, one table at a time, in one transaction each.

A crash inside ``replace`` rolls the table back to its previous complete state for the day; a crash
between two tables leaves each of them complete (old or new) and the run marked failed by the recovery,
so a re-run of the day puts everything right (``run_forecast`` is idempotent per day).
"""

from __future__ import annotations

import math

import numpy as np
from django.db import transaction

BATCH_SIZE = 2000


def replace(model, rows: list, batch_size: int = BATCH_SIZE, **day_filter) -> int:
    """Delete ``model``'s rows matching ``day_filter`` and insert ``rows`` instead, in one transaction."""
    with transaction.atomic():
        model.objects.filter(**day_filter).delete()
        model.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


def number(value, digits: int | None = None) -> float | None:
    """A float for a FloatField or JSON: None for NaN and infinities."""
    value = float(value)
    if not math.isfinite(value):
        return None
    return round(value, digits) if digits is not None else value


def path(values: np.ndarray, digits: int = 2) -> list[float]:
    """A daily path for JSON: rounded (the stored projections stay small), NaN as 0."""
    return np.round(np.nan_to_num(np.asarray(values, dtype=np.float64), nan=0.0, posinf=0.0), digits).tolist()
