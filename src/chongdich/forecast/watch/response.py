"""Overdue response tasks: a task of a scenario's response plan (``risk.models.Task``, created when a unit
switches scenario) still open after its deadline.

To the task's unit (its committees).  Key: ``task-overdue:<task id>:<deadline>`` — once per task and
deadline (a deadline moved later and missed again is sent again).  Tasks overdue for more than
``LOOKBACK`` are left to the scenario page.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chongdich.forecast.watch import kinds
from chongdich.forecast.watch.base import Candidate, moment_text
from chongdich.risk.models import Task, TaskStatus

LOOKBACK = timedelta(days=14)


def candidates(now: datetime) -> list[Candidate]:
    tasks = (
        Task.objects.filter(status=TaskStatus.OPEN, deadline__lt=now, deadline__gte=now - LOOKBACK)
        .select_related("unit")
        .order_by("deadline", "pk")
    )
    return [
        Candidate(
            kinds.TASK_OVERDUE.code,
            task.unit,
            f"task-overdue:{task.pk}:{task.deadline.astimezone(UTC):%Y%m%dT%H%M}",
            {"unit": task.unit.name, "deadline": moment_text(task.deadline), "what": task.what_vi[:200]},
            link=task.get_absolute_url(),
        )
        for task in tasks
    ]
