"""The nightly task that ends quarantine orders and stays past their planned end (``care.services.expiry``).

Each run queues the next one for the following night (on backends that can defer a task, such as the
database worker), so once started the worker keeps it going; the daily risk assessment also runs the
expiry first and starts the chain if no run is queued.  Cron or a systemd timer can call the
``end_due_orders`` command instead.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone
from django_tasks import task

from chongdich.care.actions.expiry import end_due

NIGHTLY_AT = time(0, 5)  # local time: just after midnight, so that the day's lists start clean


@task()
def end_due_orders() -> dict:
    result = end_due().as_dict()
    schedule_next()
    return result


def _already_queued() -> bool:
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another backend: it keeps its own queue
        return False
    return DBTaskResult.objects.filter(task_path=end_due_orders.module_path, status="READY").exists()


def next_run(now: datetime | None = None) -> datetime:
    """The next NIGHTLY_AT, local time (the worker compares with the real clock, never a pinned day)."""
    local = timezone.localtime(now or timezone.now())
    day = local.date() if local.time() < NIGHTLY_AT else local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, NIGHTLY_AT))


def schedule_next() -> bool:
    """Queue the next nightly run unless one is queued already; False when the backend cannot defer."""
    if not end_due_orders.get_backend().supports_defer or _already_queued():
        return False
    end_due_orders.using(run_after=next_run()).enqueue()
    return True
