"""The one writer of the event tables (passages, check-ins, declarations).

Every source — the passage screen, the venue's check-in page, the public declaration form, the
devices' API — builds unsaved rows (validated, with what the rules and levels said stored on them)
and hands them to ``save_events``: in one transaction it finds the rows whose ``client_id`` was saved
before (a re-sent form or a device's retry: the earlier row comes back, marked ``replayed``), inserts
the others in bulk, adds their tallies and runs the caller's ``after`` step (alerts) on the new rows.
The event tables are partitioned on PostgreSQL and carry no unique constraint on ``client_id``;
concurrent senders of one ``client_id`` are serialised by a transaction-scoped advisory lock on it
(SQLite serialises writers and has a unique index besides).

Group commit.  A threaded server (gunicorn ``gthread``) answers many requests at once; committing
each check-in alone would cost a transaction (and a WAL flush) per row.  When ``save_events`` is
called outside any transaction and ``CHONGDICH_INGEST_BATCH_MAX`` is above 1, the call is handed to
the process's *writer thread*, which takes every call queued at that moment (up to the maximum rows)
and saves them together in ONE transaction: one advisory-lock statement, one look-up of earlier
client ids, one multi-row INSERT per model, one tally upsert, then each caller's ``after`` step.  Each
caller waits until that transaction has committed before it gets its answer, so an answered request
is never lost by a crash; an unanswered one is re-sent by its device and found by its client id.
There is no waiting to fill a batch: a batch is whatever queued while the previous one committed (a
single call on a quiet server commits at once).  If a batch fails (one caller's ``after`` raising,
say), it is rolled back and every call in it is saved alone, so one bad call cannot fail the others.
Inside a transaction (an action's ``atomic`` block, the tests) the call is saved on the caller's own
connection, as part of the caller's transaction.
"""

from __future__ import annotations

import logging
import queue
import threading
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, close_old_connections, connection, models, transaction

from chongdich.tallies import engine

log = logging.getLogger(__name__)

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
    the row this transaction wrote (READ COMMITTED: the look-up after the lock sees it)."""
    if connection.vendor != "postgresql" or not client_ids:
        return
    keys = sorted({lock_key(c) for c in client_ids})
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(pg_advisory_xact_lock(%s, k)) FROM unnest(%s::int[]) AS k", [LOCK_CLASS, keys])


# Client ids are locked by bucket: a batch holds at most LOCK_BUCKETS advisory locks, whatever its size
# (one lock per id ran out of PostgreSQL's shared lock table — max_locks_per_transaction — on a batch of
# ten thousand check-ins).  Two ids of one bucket are merely serialised.
LOCK_BUCKETS = 1024
LOCK_CLASS = 0x4D56  # the movement ingest's space of two-key advisory locks ("MV")


def lock_key(client_id: str) -> int:
    """The advisory lock bucket of a client id."""
    return zlib.crc32(client_id.encode()) % LOCK_BUCKETS


def _earlier(model, client_ids: Sequence[str], records: Sequence[models.Model]) -> dict[str, models.Model]:
    if not client_ids:
        return {}
    field_name = TIME_FIELD[model.__name__]
    earliest = min(getattr(r, field_name) for r in records) - REPLAY_WINDOW
    rows = model._default_manager.filter(client_id__in=client_ids, **{f"{field_name}__gte": earliest})
    return {row.client_id: row for row in rows}


@dataclass
class _Call:
    model: type[models.Model]
    records: Sequence[models.Model]
    after: Callable[[list[models.Model]], object] | None
    done: threading.Event = field(default_factory=threading.Event)
    result: list[Saved] | None = None
    new: list[models.Model] = field(default_factory=list)
    error: BaseException | None = None


def _write(calls: Sequence[_Call]) -> None:
    """Save ``calls`` in the current transaction: per model, one lock statement, one look-up of the
    earlier rows, one bulk insert; one tally upsert for all; then each call's ``after``."""
    by_model: dict[type[models.Model], list[_Call]] = {}
    for call in calls:
        by_model.setdefault(call.model, []).append(call)
    contributions: Counter = Counter()
    for model, group in by_model.items():
        records = [r for call in group for r in call.records]
        client_ids = sorted({r.client_id for r in records if r.client_id})
        _lock(client_ids)
        earlier = _earlier(model, client_ids, records) if records else {}
        new_rows: list[models.Model] = []
        for call in group:
            call.result, call.new = [], []
            for record in call.records:
                previous = earlier.get(record.client_id) if record.client_id else None
                if previous is not None:
                    call.result.append(Saved(previous, True))
                    continue
                if record.client_id:
                    earlier[record.client_id] = record  # the same id twice in one batch
                call.new.append(record)
                call.result.append(Saved(record, False))
            new_rows.extend(call.new)
        if new_rows:
            prepare = getattr(model, "before_insert", None)
            if prepare is not None:
                for row in new_rows:
                    prepare(row)
            model._default_manager.bulk_create(new_rows)
            contributions.update(engine.contributions_of(new_rows))
    engine.apply(contributions)
    for call in calls:
        if call.after is not None and call.new:
            call.after(call.new)


def _reset(records: Sequence[models.Model]) -> None:
    """After a rollback: the rows were not saved after all."""
    for record in records:
        record.pk = None
        record._state.adding = True


def _save_alone(call: _Call, retry: bool = True) -> None:
    try:
        with transaction.atomic():
            _write([call])
    except IntegrityError:
        # SQLite: another writer saved one of these ids between our look and our insert.  Everything
        # was rolled back; the second attempt finds it.
        _reset(call.records)
        if not retry:
            raise
        _save_alone(call, retry=False)
    except BaseException:
        _reset(call.records)
        raise


def save_events(
    model: type[models.Model],
    records: Sequence[models.Model],
    *,
    after: Callable[[list[models.Model]], object] | None = None,
) -> list[Saved]:
    """Save ``records`` (unsaved rows of one event model); one ``Saved`` per record, in order."""
    call = _Call(model, list(records), after)
    if not call.records:
        return []
    if connection.in_atomic_block or batch_max() <= 1:
        _save_alone(call)
        return call.result
    WRITER.submit(call)
    if call.error is not None:
        raise call.error
    return call.result


def batch_max() -> int:
    return int(getattr(settings, "CHONGDICH_INGEST_BATCH_MAX", 1))


class Writer:
    """The process's writer thread (started on first use; one per process, a daemon).  Callers queue
    their calls and wait; the thread commits them in batches (see the module's note)."""

    def __init__(self):
        self._queue: queue.SimpleQueue[_Call] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self.batches = 0  # how many transactions, and how many calls, for the benchmark's report
        self.calls = 0

    def submit(self, call: _Call) -> None:
        self._ensure_thread()
        self._queue.put(call)
        call.done.wait()

    def _ensure_thread(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="movement-ingest-writer", daemon=True)
                self._thread.start()

    def _take(self) -> list[_Call]:
        first = self._queue.get()
        calls, rows, limit = [first], len(first.records), batch_max()
        while rows < limit:
            try:
                call = self._queue.get_nowait()
            except queue.Empty:
                break
            calls.append(call)
            rows += len(call.records)
        return calls

    def _run(self) -> None:
        while True:
            calls = self._take()
            try:
                self._commit(calls)
            finally:
                for call in calls:
                    call.done.set()

    def _commit(self, calls: list[_Call]) -> None:
        self.batches += 1
        self.calls += len(calls)
        try:
            # A connection the database dropped is replaced, as at each request (the writer thread is
            # never inside a transaction here: nothing in use is closed).
            close_old_connections()
            with transaction.atomic():
                _write(calls)
            return
        except BaseException as exc:  # noqa: BLE001 - every caller gets its own answer below
            for call in calls:
                _reset(call.records)
            if len(calls) == 1:
                self._alone(calls[0], first_error=exc)
                return
            log.warning("ingest batch of %s calls failed (%s); saving each alone", len(calls), exc)
        for call in calls:
            self._alone(call)

    def _alone(self, call: _Call, first_error: BaseException | None = None) -> None:
        if first_error is not None and not isinstance(first_error, IntegrityError):
            call.error = first_error  # the same call alone would fail the same way
            return
        try:
            _save_alone(call)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            call.error = exc


WRITER = Writer()
