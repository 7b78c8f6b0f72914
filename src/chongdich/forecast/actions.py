"""Writes of the forecasts started by people: a run started by hand (the page follows the Run)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tasks_db.backend import DatabaseBackend

from chongdich.core import audit, clock
from chongdich.core.tasks import enqueue
from chongdich.forecast.models import Run, RunStatus
from chongdich.forecast.nightly import default_day
from chongdich.forecast.tasks import forecast_run


def do_start_run(actor, day: date | None = None) -> Run:
    """Queue a forecast run for ``day`` (default: yesterday) and return it; the page follows its progress.

    Refused (``ValidationError`` in the user's language) for a day in the future, and
    while a run of the same day is queued or running (a re-sent form never queues a second one)."""
    day = day or default_day()
    today = clock.today()
    if day > today:
        raise ValidationError({"day": _("The day cannot be in the future.")})
    with transaction.atomic():
        if connection.vendor == "postgresql":  # two clicks at once: one waits for the other's row
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x0F0CA57, day.toordinal()])
        busy = Run.objects.filter(day=day, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).first()
        if busy is not None:
            raise ValidationError(
                _("A forecast run for %(day)s is already queued or running: follow it instead of starting another.")
                % {"day": day.strftime("%d/%m/%Y")},
                code="busy",
                params={"run": busy.pk},
            )
        run = Run.objects.create(day=day, status=RunStatus.QUEUED, step="queued", started_by=actor)
        audit.record(
            actor,
            audit.AuditAction.CREATE,
            run,
            unit_path="",
            label=_("Forecast run for %(day)s") % {"day": day.strftime("%d/%m/%Y")},
            detail={"day": day.isoformat()},
        )
        if isinstance(forecast_run.get_backend(), DatabaseBackend):
            # the task row is written in this transaction; its id lets the recovery see it ended unrun
            result = forecast_run.enqueue(run.pk)
            run.figures = {"task_id": str(result.id)}
            Run.objects.filter(pk=run.pk).update(figures=run.figures)
        else:
            enqueue(forecast_run, run.pk)  # immediate (tests): runs once the transaction has committed
    return run
