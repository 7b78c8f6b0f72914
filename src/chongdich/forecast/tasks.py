"""Background tasks of the forecasts: the nightly run, and a run started by hand.

``forecast_night`` runs the forecasts for a day (default: yesterday, the last whole day of tallies) at
``NIGHTLY_AT`` local time, after the daily risk assessment's settle steps have closed the day.  Each run
queues the next night's first (on backends that can defer a task, such as the database worker), so a
run that crashes does not break the chain; the daily assessment's settle steps start the chain if no
run is queued (``apps.ready``).  Cron or a systemd timer can call ``chongdich forecast_nightly`` instead.

``forecast_run(run_id)`` runs a ``Run`` queued by ``actions.do_start_run`` (the page follows that run).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django_tasks import task

from chongdich.forecast.models import Run, RunStatus
from chongdich.forecast.nightly import run_forecast
from chongdich.forecast.watch import often_report

NIGHTLY_AT = time(2, 0)  # local time: after the day's tallies are settled and the risk assessment has run


@task()
def forecast_night(day: str | None = None) -> dict:
    schedule_next()  # first: a run that crashes must not end the chain
    run = run_forecast(date.fromisoformat(day) if day else None)
    return {"run": run.pk, "day": run.day.isoformat(), "seconds": run.seconds, "rows": run.figures.get("rows", {})}


@task()
def forecast_run(run_id: int) -> dict:
    run = Run.objects.filter(pk=run_id, status=RunStatus.QUEUED).first()
    if run is None:  # already run, or marked failed by the recovery
        return {"run": run_id, "skipped": True}
    run = run_forecast(run.day, run=run)
    return {"run": run.pk, "day": run.day.isoformat(), "seconds": run.seconds, "rows": run.figures.get("rows", {})}


def _already_queued() -> bool:
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another backend: it keeps its own queue
        return False
    return DBTaskResult.objects.filter(task_path=forecast_night.module_path, status="READY").exists()


def next_run(now: datetime | None = None) -> datetime:
    """The next NIGHTLY_AT, local time (the worker compares with the real clock, never a pinned day)."""
    local = timezone.localtime(now or timezone.now())
    day = local.date() if local.time() < NIGHTLY_AT else local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, NIGHTLY_AT))


def schedule_next() -> bool:
    """Queue the next nightly run unless one is queued already; False when the backend cannot defer."""
    if not forecast_night.get_backend().supports_defer or _already_queued():
        return False
    forecast_night.using(run_after=next_run()).enqueue()
    return True


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
