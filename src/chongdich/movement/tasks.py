"""Background jobs of movement.

Green lane: ``raise_overdue_trips`` raises the alert of every trip not confirmed by its expected arrival
plus the province's grace.  Each run queues the next one ``OVERDUE_EVERY`` later (on backends that can
defer a task, such as the database worker), so once started the worker keeps it going; the daily
assessment's settle steps start the chain if no run is queued.  Cron or a systemd timer can call the
``movement_overdue_trips`` command instead.  Idempotent: a trip is alerted once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task

from chongdich.movement.actions.greenlane import raise_overdue_trips as raise_overdue

# -- green lane ---------------------------------------------------------------------------------------
OVERDUE_EVERY = timedelta(minutes=15)


@task()
def raise_overdue_trips() -> dict:
    raised = raise_overdue()
    schedule_overdue_check()
    return {"raised": raised}


def _overdue_queued() -> bool:
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another backend: it keeps its own queue
        return False
    return DBTaskResult.objects.filter(task_path=raise_overdue_trips.module_path, status="READY").exists()


def next_overdue_run(now: datetime | None = None) -> datetime:
    """The next check, on the real clock (the worker never reads a pinned day)."""
    return (now or timezone.now()) + OVERDUE_EVERY


def schedule_overdue_check() -> bool:
    """Queue the next check unless one is queued already; False when the backend cannot defer."""
    if not raise_overdue_trips.get_backend().supports_defer or _overdue_queued():
        return False
    raise_overdue_trips.using(run_after=next_overdue_run()).enqueue()
    return True
