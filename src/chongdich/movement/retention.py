"""How long the event tables keep their rows, and the purge (Decree 13/2023: personal data no longer than
needed).

Declarations, check-ins and passages are deleted ``CHONGDICH_MOVEMENT_RETENTION_DAYS`` (30) days after
their day: every row whose day (the local date of its time column) is before ``cutoff()`` goes.  On
PostgreSQL the months that lie wholly before the cutoff are dropped as partitions (``DROP TABLE`` of
the month: constant time, whatever its size); the rows of the month the cutoff falls in (and any in
the default partition) are deleted in batches of ``BATCH`` rows, each batch its own transaction, so the
tables stay writable throughout.  On SQLite the purge is the batched DELETE alone.  Passages keep the
same period: they name people (plates, phones) as check-ins do, and the shift logs and trip pages read
the recent weeks only.

The tallies are NOT reduced by the purge: the daily counts of declarations, check-ins, passages and
arrivals stay what they were.  A rebuild of the tallies from the records can therefore only cover the
days kept: ``RETAINED_FIELDS`` before ``cutoff()`` are the stored figures, not a sum of rows
(``tallies_floor``), and ``rebuild_tallies --check`` must not count those days as differences.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from chongdich.core import clock, partitioning
from chongdich.movement.ingest import TIME_FIELD
from chongdich.movement.models import CheckIn, Declaration, Passage

EVENT_MODELS = (Passage, CheckIn, Declaration)
BATCH = 10_000
# The tally fields that only event rows feed: before the cutoff they are kept, not rebuilt.
RETAINED_FIELDS = ("declarations", "declarations_symptomatic", "arrivals_watched", "passages", "checkins")


def retention_days() -> int:
    return max(1, int(getattr(settings, "CHONGDICH_MOVEMENT_RETENTION_DAYS", 30)))


def cutoff(today: date | None = None) -> date:
    """The first day kept: rows of earlier days are purged.  Counted from the system's day
    (``core.clock``): a demo or drill pinned to 2021 keeps its last weeks instead of losing everything."""
    return (today or clock.today()) - timedelta(days=retention_days())


def tallies_floor(today: date | None = None) -> tuple[tuple[str, ...], date]:
    """(fields, first day) that a rebuild of the tallies can recompute from the event rows: the cutoff,
    or the first day of the oldest row still kept when that is earlier (nothing was purged before it).
    Days before it keep their stored counts."""
    first = cutoff(today)
    for model in EVENT_MODELS:
        column = "received_at" if model is Declaration else "at"
        oldest = model.objects.aggregate(oldest=Min(column))["oldest"]
        if oldest is not None:
            first = min(first, timezone.localtime(oldest).date())
    return RETAINED_FIELDS, first


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass
class Purged:
    table: str
    dropped: list[str] = field(default_factory=list)
    deleted: int = 0


def purge(today: date | None = None, *, batch: int = BATCH, dry_run: bool = False) -> list[Purged]:
    """Delete the event rows before ``cutoff(today)``; what was dropped and deleted per table."""
    first_kept = cutoff(today)
    result = []
    for model in EVENT_MODELS:
        table = model._meta.db_table
        column = TIME_FIELD[model.__name__]
        done = Purged(table)
        if dry_run:
            done.dropped = [
                p.name
                for p in partitioning.partitions(table)
                if p.month is not None and partitioning.next_month(p.month) <= first_kept
            ]
            done.deleted = model._default_manager.filter(**{f"{column}__lt": _midnight(first_kept)}).count()
            result.append(done)
            continue
        with transaction.atomic():
            _lock_timeout()
            done.dropped = partitioning.drop_months_before(table, first_kept)
        done.deleted = _delete_before(table, column, _midnight(first_kept), batch)
        result.append(done)
    return result


def _lock_timeout() -> None:
    """Dropping a partition locks the parent table for an instant; never queue behind a long reader
    (the writers would queue behind us): give up after a few seconds, the next run drops it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '5s'")
            # Inside a caller's transaction that wrote rows (the tests), their deferred foreign-key checks
            # must run before a partition holding such rows can be dropped.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _delete_before(table: str, column: str, before: datetime, batch: int) -> int:
    quoted = connection.ops.quote_name
    if connection.vendor == "postgresql":
        sql = (
            f"DELETE FROM {quoted(table)} WHERE (id, {quoted(column)}) IN "
            f"(SELECT id, {quoted(column)} FROM {quoted(table)} WHERE {quoted(column)} < %s LIMIT %s)"
        )
    else:
        sql = (
            f"DELETE FROM {quoted(table)} WHERE id IN "
            f"(SELECT id FROM {quoted(table)} WHERE {quoted(column)} < %s LIMIT %s)"
        )
    total = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [before, batch])
            deleted = cursor.rowcount
        total += deleted
        if deleted < batch:
            return total


def ensure_partitions(today: date | None = None) -> list[str]:
    """The month partitions from this month to ``partitioning.MONTHS_AHEAD`` ahead, on every event table
    (rows that fell into the default partition meanwhile are moved into their month)."""
    first = partitioning.month_start(min(today or clock.today(), timezone.now().date()))
    created = []
    for model in EVENT_MODELS:
        created += partitioning.ensure_months(model._meta.db_table, first, partitioning.horizon())
    return created
