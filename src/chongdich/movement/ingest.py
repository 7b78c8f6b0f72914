"""The one writer of the event tables (passages, check-ins, declarations).

Every source — the passage screen, the venue's check-in page, the public declaration form, the
devices' API — builds unsaved rows (validated, with what the rules and levels said stored on them)
and hands them to ``save_events``: in one transaction it finds the rows whose ``client_id`` was saved
before (a re-sent form or a device's retry: the earlier row comes back, marked ``replayed``), inserts
the others in bulk, adds their tallies and runs the caller's ``after`` step (alerts) on the new rows.
The event tables are partitioned on PostgreSQL and carry no unique constraint on ``client_id``;
concurrent senders of one ``client_id`` are serialised by a transaction-scoped advisory lock on it
(SQLite serialises writers and has a unique index besides).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, connection, models, transaction

from chongdich.tallies import engine

# How far back a re-sent event is looked for (a device queues for days at most; partitions older than
# this are not searched).
REPLAY_WINDOW = timedelta(days=35)
# The time column each event table is partitioned on.
TIME_FIELD = {"Passage": "at", "CheckIn": "at", "Declaration": "received_at"}


@dataclass(frozen=True)
class Saved:
    record: models.Model
    replayed: bool


def _lock(client_ids: Sequence[str]) -> None:
    """Advisory locks on the client ids (sorted, so that two batches never wait on each other in a
    cycle), held to the end of the transaction: a concurrent sender of the same id waits, then finds
    the row this transaction wrote."""
    if connection.vendor != "postgresql" or not client_ids:
        return
    keys = sorted({zlib.crc32(c.encode()) - 2**31 for c in client_ids})
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) AS k ORDER BY k", [keys])


def _earlier(model, client_ids: Sequence[str], records: Sequence[models.Model]) -> dict[str, models.Model]:
    if not client_ids:
        return {}
    field = TIME_FIELD[model.__name__]
    earliest = min(getattr(r, field) for r in records) - REPLAY_WINDOW
    rows = model._default_manager.filter(client_id__in=client_ids, **{f"{field}__gte": earliest})
    return {row.client_id: row for row in rows}


def save_events(
    model: type[models.Model],
    records: Sequence[models.Model],
    *,
    after: Callable[[list[models.Model]], object] | None = None,
    _retry: bool = True,
) -> list[Saved]:
    """Save ``records`` (unsaved rows of one event model); one ``Saved`` per record, in order."""
    client_ids = sorted({r.client_id for r in records if r.client_id})
    try:
        with transaction.atomic():
            _lock(client_ids)
            earlier = _earlier(model, client_ids, records)
            result: list[Saved] = []
            new: list[models.Model] = []
            for record in records:
                previous = earlier.get(record.client_id) if record.client_id else None
                if previous is not None:
                    result.append(Saved(previous, True))
                    continue
                if record.client_id:
                    earlier[record.client_id] = record  # the same id twice in one batch
                new.append(record)
                result.append(Saved(record, False))
            model._default_manager.bulk_create(new)
            engine.apply(engine.contributions_of(new))
            if after is not None and new:
                after(new)
            return result
    except IntegrityError:
        # SQLite's unique client id: another writer saved one of these ids between our look and our
        # insert.  Everything was rolled back; the second attempt finds it.
        if not _retry:
            raise
        for record in records:
            record.pk = None
            record._state.adding = True
        return save_events(model, records, after=after, _retry=False)
