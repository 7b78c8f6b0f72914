"""Background tasks of the forecasts."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task

from chongdich.forecast.watch import often_report

# -- watch ---------------------------------------------------------------------------------------------
# ``watch_often`` publishes the notices of the other apps' alerts (overdue trips, open movement alerts,
# serious reactions not acknowledged, overdue response tasks, home-care warning signs) every
# ``WATCH_EVERY``: each run queues the next one first (on backends that can defer a task, such as the
# database worker), so a run that crashes does not end the chain; the daily assessment's settle steps
# start the chain if no run is queued (``apps.ready``).  Cheap: one query per rule for the open records
# and one for the keys already published.  Idempotent: each record is notified once.
WATCH_EVERY = timedelta(minutes=15)


@task()
def watch_often() -> dict:
    schedule_watch()
    return often_report()


def _watch_queued() -> bool:
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another backend: it keeps its own queue
        return False
    return DBTaskResult.objects.filter(task_path=watch_often.module_path, status="READY").exists()


def next_watch_run(now: datetime | None = None) -> datetime:
    """The next run, on the real clock (the worker never reads a pinned day)."""
    return (now or timezone.now()) + WATCH_EVERY


def schedule_watch() -> bool:
    """Queue the next run unless one is queued already; False when the backend cannot defer."""
    if not watch_often.get_backend().supports_defer or _watch_queued():
        return False
    watch_often.using(run_after=next_watch_run()).enqueue()
    return True


# -- end watch -----------------------------------------------------------------------------------------
