"""What runs out first, and when: every threshold of the day as ``Runout`` rows, computed from the
day's projections (``Projection`` rows of districts and provinces, renewal method) and the capacity
records of care (beds), testing (labs) and vaccination (stock by lot).

Kinds, one module each: ``scenarios`` (a district's active cases reaching 100 and 500), ``beds`` (each
facility × bed type, each district's own beds by type, each area's quarantine places), ``labs`` (each
lab's RT-PCR capacity against its share of the projected tests), ``vaccine`` (each lot at each site).
Every row carries the unit of its subject (the facility's, the lab's, the site's, the district's), so
``Runout.objects.for_user`` keeps an officer to his area.  Each kind reads its records in a few grouped
queries whatever their number; a re-run of a day replaces that day's rows in one transaction.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from chongdich.forecast.models import Runout
from chongdich.forecast.runouts import beds, labs, scenarios, vaccine
from chongdich.forecast.runouts.common import Day

KINDS = (scenarios, beds, labs, vaccine)


def build(day: date) -> list[Runout]:
    """The day's rows, unsaved."""
    ctx = Day.load(day)
    rows: list[Runout] = []
    for kind in KINDS:
        rows += kind.rows(ctx)
    return rows


def compute_runouts(day: date) -> int:
    """Replace the day's ``Runout`` rows with those computed now; the number written."""
    rows = build(day)
    with transaction.atomic():
        Runout.objects.filter(as_of=day).delete()
        Runout.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


__all__ = ["build", "compute_runouts"]
