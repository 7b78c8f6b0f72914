"""The nightly tasks of the event tables: the month partitions ahead (``movement_partitions``) and the
retention purge (``purge_movement``), both in ``movement.retention``.

Each run queues the next one for the following night (on backends that can defer a task, such as the
database worker); the settle step of the tallies (``apps.py``) queues them when none is queued, so a
running worker keeps them going.  Cron or a systemd timer can call the commands instead.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone
from django_tasks import task

from chongdich.movement import retention

NIGHTLY_AT = time(1, 30)  # local time: after the day's tallies are settled, before the morning's scans


@task()
def keep_partitions() -> dict:
    created = retention.ensure_partitions()
    _schedule(keep_partitions)
    return {"created": created}


@task()
def purge_events() -> dict:
    purged = retention.purge()
    _schedule(purge_events)
    return {p.table: {"dropped": p.dropped, "deleted": p.deleted} for p in purged}


def next_run(now: datetime | None = None) -> datetime:
    local = timezone.localtime(now or timezone.now())
    day = local.date() if local.time() < NIGHTLY_AT else local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, NIGHTLY_AT))


def _already_queued(job) -> bool:
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another backend: it keeps its own queue
        return False
    return DBTaskResult.objects.filter(task_path=job.module_path, status="READY").exists()


def _schedule(job) -> bool:
    if not job.get_backend().supports_defer or _already_queued(job):
        return False
    job.using(run_after=next_run()).enqueue()
    return True


def schedule_next() -> bool:
    """Queue the next nightly runs unless they are queued; False when the backend cannot defer."""
    queued = [_schedule(job) for job in (keep_partitions, purge_events)]
    return any(queued)
