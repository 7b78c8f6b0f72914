"""Background jobs of the notices: sending the outbox, and the daily digest.

``publish`` queues ``send_notices`` once its transaction has committed (so a rolled-back publish sends
nothing).  A run sends every due message; when some wait for a retry it queues itself again for the
earliest one (on backends that can defer a task, such as the database worker).  ``send_daily_digests``
runs every evening at ``DIGEST_AT`` and queues the next evening's run; the first publish of a process
starts the chain if no run is queued.  Cron or a systemd timer can call the commands instead:
``chongdich send_notices`` and ``chongdich send_digests [--day]``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.backend import DatabaseBackend

from chongdich.core import clock
from chongdich.notices import outbox

DIGEST_AT = time(19, 0)  # local time: the end of the office day; the digest is of that day


def _queued(job, *, deferred: bool | None = None) -> bool:
    if not isinstance(job.get_backend(), DatabaseBackend):  # another backend: it keeps its own queue
        return False
    from django_tasks_db.models import DBTaskResult, get_date_max  # noqa: PLC0415 - models, after app loading

    rows = DBTaskResult.objects.filter(task_path=job.module_path, status="READY")
    if deferred is False:  # one that runs now, not one waiting for a later time (stored as the latest date)
        rows = rows.filter(run_after=get_date_max())
    return rows.exists()


@task()
def send_notices() -> dict:
    result = outbox.send_pending()
    schedule_retry()
    return result.as_dict()


@task()
def send_daily_digests(day: str | None = None) -> dict:
    outbox.send_pending()  # a safety net: whatever is due goes first, so the digest never precedes it
    result = outbox.send_digests(date.fromisoformat(day) if day else clock.today())
    schedule_digests()
    return result.as_dict()


def queue_sending() -> None:
    """Queue a sending run with the deliveries that call for it (one waiting run is enough).

    With the database backend the task row is written in the caller's transaction, like the imports'
    (``core.tasks.enqueue``): the deliveries and their task exist together or not at all, so a crash in
    between cannot leave messages waiting for no task.  Other backends (immediate, in tests) run the task
    once the transaction has committed."""

    def enqueue():
        if not _queued(send_notices, deferred=False):
            send_notices.enqueue()
        schedule_digests()

    if isinstance(send_notices.get_backend(), DatabaseBackend):
        enqueue()
    else:
        transaction.on_commit(enqueue)


def schedule_retry() -> bool:
    """Queue a run for the earliest message waiting for its next attempt, unless one is queued."""
    due = outbox.next_due()
    if due is None or not send_notices.get_backend().supports_defer or _queued(send_notices):
        return False
    send_notices.using(run_after=max(due, timezone.now())).enqueue()
    return True


def next_digest_run(now: datetime | None = None) -> datetime:
    local = timezone.localtime(now or timezone.now())
    day = local.date() if local.time() < DIGEST_AT else local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, DIGEST_AT))


def schedule_digests() -> bool:
    """Queue the next evening's digest run unless one is queued already."""
    if not send_daily_digests.get_backend().supports_defer or _queued(send_daily_digests):
        return False
    send_daily_digests.using(run_after=next_digest_run()).enqueue()
    return True
