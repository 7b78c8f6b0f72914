"""Find work whose task worker died and start it again: imports resume, they are not rolled back.

Run by every ``task_worker`` when it starts and then every ``CHONGDICH_RECOVERY_INTERVAL_SECONDS``, and by
``chongdich recover_jobs``.  A task is RUNNING in django-tasks-db until its worker records the end; when that
worker is dead (``workers.is_alive``) the task is marked FAILED, and an import job it was running —
or any job left checking or importing with no live task for a while — is queued again as its next run:

- a check starts again from the first row (it saved nothing);
- an import resumes after its last saved chunk (each chunk and the progress counter are saved in one
  transaction, so nothing saved is read twice and nothing unsaved is skipped);
- a job whose worker died ``CHONGDICH_IMPORT_MAX_RECOVERIES`` times (a file that makes the worker run out of
  memory every time) fails with a message saying how many rows were saved.

Several workers may run this at once: every change is a conditional update that only one of them wins, and
a run superseded by its resumption can save nothing more (``ImportJob.attempt``).

Apps with work of their own register a step (``register(step)``: ``step(now) -> list`` of what it
recovered), run after the tasks of dead workers are marked FAILED (the forecast's runs).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import override as language
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from chongdich.core import workers
from chongdich.core.models import ImportJob, ImportStatus
from chongdich.core.tasks import IMPORT_TASKS, check_import, enqueue, run_import

logger = logging.getLogger(__name__)
WORKER_DIED = "chongdich.core.recovery.WorkerDied"
STEPS: list[Callable] = []  # register(step): step(now) -> list of what it recovered


def register(step: Callable) -> None:
    if step not in STEPS:
        STEPS.append(step)


@dataclass
class Recovered:
    tasks_failed: list[str] = field(default_factory=list)  # ids of RUNNING tasks whose worker had died
    jobs_resumed: list[int] = field(default_factory=list)
    jobs_failed: list[int] = field(default_factory=list)
    workers_forgotten: int = 0
    other: dict[str, list] = field(default_factory=dict)  # the registered steps' results, by step


def recover(now=None) -> Recovered:
    now = now or timezone.now()
    done = Recovered()
    orphans = _fail_orphaned_tasks(now, done)
    pending = _pending_runs()
    for job in ImportJob.objects.filter(
        status__in=[ImportStatus.UPLOADED, ImportStatus.CHECKING, ImportStatus.IMPORTING]
    ):
        language_code = _stalled(job, now, orphans, pending)
        if language_code is not None:
            _restart(job, language_code, now, done)
    for step in STEPS:
        recovered = step(now)
        if recovered:
            done.other[f"{step.__module__}.{step.__name__}"] = recovered
    done.workers_forgotten = workers.forget_dead(now)
    if done.tasks_failed or done.jobs_resumed or done.jobs_failed or done.other:
        logger.warning("recovered work of dead task workers: %s", done)
    return done


def _fail_orphaned_tasks(now, done: Recovered) -> dict[int, str]:
    """Mark FAILED the RUNNING tasks whose worker died; returns {job id: language} of the import tasks among them."""
    running = list(DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING))
    alive = workers.live_worker_ids(worker_id for task in running for worker_id in task.worker_ids[-1:])
    orphans: dict[int, str] = {}
    for task in running:
        if task.worker_ids and task.worker_ids[-1] in alive:
            continue
        failed = DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=WORKER_DIED,
            traceback=f"The task worker {task.worker_ids[-1:] or '?'} died while running this task.",
        )
        if failed:
            done.tasks_failed.append(str(task.pk))
            if task.task_path in IMPORT_TASKS:
                args = task.args_kwargs.get("args", [])
                orphans[args[0]] = args[1] if len(args) > 1 else "vi"
    return orphans


def _pending_runs() -> set[tuple[int, int | None]]:
    """(job, attempt) of the import tasks queued or running on a live worker (attempt None: a task of before)."""
    runs = set()
    for args in DBTaskResult.objects.filter(
        task_path__in=list(IMPORT_TASKS), status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).values_list("args_kwargs__args", flat=True):
        if args:
            runs.add((args[0], args[2] if len(args) > 2 else None))
    return runs


def _stalled(job: ImportJob, now, orphans: dict[int, str], pending: set) -> str | None:
    """The language to run the job again in, if no live task is working on its current run; else None."""
    if job.pk in orphans:
        return orphans[job.pk]
    if (job.pk, job.attempt) in pending or (job.pk, None) in pending:
        return None  # queued, or running on a live worker
    # No task: it ended without ending the job (killed between the two), or was never queued.  Give a run
    # that a web request has just started the time to appear.
    if job.updated_at > now - timedelta(seconds=settings.CHONGDICH_RECOVERY_GRACE_SECONDS):
        return None
    last = (
        DBTaskResult.objects.filter(task_path__in=list(IMPORT_TASKS), args_kwargs__args__0=job.pk)
        .order_by("-enqueued_at")
        .values_list("args_kwargs__args", flat=True)
        .first()
    )
    return last[1] if last and len(last) > 1 else "vi"


def _restart(job: ImportJob, language_code: str, now, done: Recovered) -> None:
    dry_run = job.status != ImportStatus.IMPORTING
    with transaction.atomic():
        if job.recoveries >= settings.CHONGDICH_IMPORT_MAX_RECOVERIES:
            with language(language_code):
                message = _give_up_message(job, dry_run)
            if ImportJob.objects.filter(pk=job.pk, attempt=job.attempt, status=job.status).update(
                status=ImportStatus.FAILED,
                message=message,
                finished_at=now,
                updated_at=now,
                attempt=F("attempt") + 1,
            ):
                done.jobs_failed.append(job.pk)
            return
        if not ImportJob.objects.filter(pk=job.pk, attempt=job.attempt, status=job.status).update(
            attempt=F("attempt") + 1,
            recoveries=F("recoveries") + 1,
            updated_at=now,
            status=ImportStatus.CHECKING if dry_run else ImportStatus.IMPORTING,
        ):
            return  # another worker recovered it first
        enqueue(check_import if dry_run else run_import, job.pk, language_code, job.attempt + 1)
    done.jobs_resumed.append(job.pk)


def _give_up_message(job: ImportJob, dry_run: bool) -> str:
    times = number_format(job.recoveries + 1, force_grouping=True)
    if dry_run:
        return _(
            "The check stopped %(times)s times because the task worker died (the server may be short of "
            "memory). Nothing was saved. Split the file into smaller files and upload them again."
        ) % {"times": times}
    return _(
        "The import stopped %(times)s times because the task worker died (the server may be short of memory). "
        "%(saved)s of %(total)s rows were saved and are kept; upload the remaining rows in a smaller file."
    ) % {
        "times": times,
        "saved": number_format(job.processed_rows, force_grouping=True),
        "total": number_format(job.total_rows, force_grouping=True),
    }
