"""Imports survive a crash: each chunk and the progress counter are saved together, and the work of a task
worker that died is found and resumed after the last saved chunk (never rolled back, never done twice).

The real kill (a worker process on PostgreSQL killed with SIGKILL) is in test_worker_kill.py; these tests
drive the same code in this process, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from chongdich.core import actions, imports
from chongdich.core.models import ImportJob, ImportStatus
from chongdich.people.models import Person
from tests.helpers import xlsx_bytes

ROWS = 50
CHUNK = 10
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


UPDATE = QuerySet.update


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, not even the job's error handling."""


def names(count: int) -> list[str]:
    given = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khoa", "Lâm", "Minh", "Nam"]
    middle = ["Văn", "Hữu", "Đức", "Quang", "Thành", "Xuân", "Ngọc", "Gia", "Bảo", "Công"]
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
    return [f"{family[n // 100 % 10]} {middle[n // 10 % 10]} {given[n % 10]}" for n in range(count)]


def people_file(count: int = ROWS) -> bytes:
    return xlsx_bytes(
        [
            ["Họ và tên", "Giới tính", "Năm sinh", "Thôn"],
            *([name, "Nam", 1950 + n % 50, "Thôn 1"] for n, name in enumerate(names(count))),
        ]
    )


@pytest.fixture
def chunked(settings, monkeypatch):
    settings.CHONGDICH_IMPORT_CHUNK_ROWS = CHUNK
    monkeypatch.setattr(imports.importer_for("people.persons"), "chunk_rows", CHUNK)
    return settings


@pytest.fixture
def checked_job(world, personas, chunked):
    """A person list of 50 rows, checked and waiting for its import."""
    from django.core.files.base import ContentFile

    job = ImportJob(
        kind="people.persons",
        created_by=personas["commune"],
        unit=world.commune,
        unit_path=world.commune.path,
        original_name="ds.xlsx",
    )
    job.file.save("ds.xlsx", ContentFile(people_file()), save=False)
    job.save()
    imports.execute(job.pk, dry_run=True)
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED and job.summary["new"] == ROWS
    return job


def kill_when_progress_reaches(monkeypatch, rows: int) -> None:
    """Die at the database write that records ``rows`` processed rows (after that chunk's rows were written)."""
    update = QuerySet.update

    def dying(self, **kwargs):
        if self.model is ImportJob and kwargs.get("processed_rows") == rows:
            raise Killed
        return update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", dying)


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_the_progress_counter_equals_the_rows_saved_when_the_worker_dies(checked_job, monkeypatch):
    kill_when_progress_reaches(monkeypatch, 3 * CHUNK)
    with pytest.raises(Killed):
        imports.execute(checked_job.pk, dry_run=False)
    checked_job.refresh_from_db()
    assert checked_job.status == ImportStatus.IMPORTING  # the worker is gone: nothing ended the job
    assert Person.objects.count() == checked_job.processed_rows == 2 * CHUNK  # chunk 3 died with its counter


def test_a_resumed_import_continues_after_the_last_saved_chunk(checked_job, monkeypatch):
    kill_when_progress_reaches(monkeypatch, 3 * CHUNK)
    with pytest.raises(Killed):
        imports.execute(checked_job.pk, dry_run=False)
    monkeypatch.setattr(QuerySet, "update", UPDATE)
    imports.execute(checked_job.pk, dry_run=False)  # what the resumed task does
    checked_job.refresh_from_db()
    assert checked_job.status == ImportStatus.DONE and checked_job.processed_rows == ROWS
    assert checked_job.summary == {"new": ROWS, "update": 0, "skip": 0, "invalid": 0, "error": 0}
    assert Person.objects.count() == ROWS  # nobody twice, nobody missing


def test_recovery_resumes_the_import_of_a_worker_that_died(checked_job, monkeypatch, settings):
    from chongdich.core import recovery, workers
    from chongdich.core.models import TaskWorker
    from chongdich.core.tasks import run_import

    settings.TASKS = DB_TASKS
    actions.start_import(checked_job, "vi")
    task = DBTaskResult.objects.get(status="READY")
    task.claim("dead-worker")
    TaskWorker.objects.create(worker_id="dead-worker", host=workers.host_id(), pid=dead_pid())
    kill_when_progress_reaches(monkeypatch, 2 * CHUNK)
    with pytest.raises(Killed):
        task.task.call(*task.args_kwargs["args"])
    monkeypatch.setattr(QuerySet, "update", UPDATE)

    done = recovery.recover()
    task.refresh_from_db()
    assert task.status == "FAILED" and task.exception_class_path == recovery.WORKER_DIED
    assert done.jobs_resumed == [checked_job.pk] and done.workers_forgotten == 1
    checked_job.refresh_from_db()
    assert (checked_job.status, checked_job.recoveries, checked_job.processed_rows) == (
        ImportStatus.IMPORTING,
        1,
        CHUNK,
    )
    resumed = DBTaskResult.objects.get(status="READY")
    assert resumed.task_path == run_import.module_path
    assert resumed.args_kwargs["args"] == [checked_job.pk, "vi", checked_job.attempt]

    resumed.task.call(*resumed.args_kwargs["args"])
    checked_job.refresh_from_db()
    assert checked_job.status == ImportStatus.DONE and Person.objects.count() == ROWS
    assert checked_job.summary["new"] == ROWS
    assert recovery.recover().jobs_resumed == []  # nothing left to do


def test_the_run_of_a_worker_taken_for_dead_saves_nothing_more(checked_job, settings):
    """A worker that comes back after its job was resumed elsewhere (the old run number) writes nothing."""
    settings.TASKS = DB_TASKS
    actions.start_import(checked_job, "vi")
    checked_job.refresh_from_db()
    old = checked_job.attempt
    ImportJob.objects.filter(pk=checked_job.pk).update(attempt=old + 1)  # resumed by another worker
    imports.execute(checked_job.pk, dry_run=False, attempt=old)
    assert Person.objects.count() == 0
    assert ImportJob.objects.get(pk=checked_job.pk).status == ImportStatus.IMPORTING


def test_a_live_worker_keeps_its_task(checked_job, settings):
    import os

    from chongdich.core import recovery, workers
    from chongdich.core.models import TaskWorker

    settings.TASKS = DB_TASKS
    actions.start_import(checked_job, "vi")
    task = DBTaskResult.objects.get(status="READY")
    task.claim("me")
    workers.register("me")
    assert TaskWorker.objects.get(worker_id="me").pid == os.getpid()
    assert recovery.recover().tasks_failed == []
    assert DBTaskResult.objects.get(pk=task.pk).status == "RUNNING"


def test_a_worker_on_another_machine_is_dead_once_it_stops_beating(settings, db):
    from chongdich.core import workers
    from chongdich.core.models import TaskWorker

    settings.CHONGDICH_WORKER_STALE_SECONDS = 60
    now = timezone.now()
    beating = TaskWorker(worker_id="a", host="other-server/1", pid=1, beat_at=now - timedelta(seconds=10))
    silent = TaskWorker(worker_id="b", host="other-server/1", pid=1, beat_at=now - timedelta(seconds=90))
    gone = TaskWorker(worker_id="c", host=workers.host_id(), pid=dead_pid(), beat_at=now)
    assert [workers.is_alive(w, now=now) for w in (beating, silent, gone)] == [True, False, False]


def test_a_job_left_without_a_task_is_started_again(checked_job, settings):
    """A check whose task ended without ending the job (SIGTERM twice) is restarted after the grace period."""
    from chongdich.core import recovery
    from chongdich.core.tasks import check_import

    settings.TASKS = DB_TASKS
    ImportJob.objects.filter(pk=checked_job.pk).update(status=ImportStatus.CHECKING)
    assert recovery.recover().jobs_resumed == []  # just updated: its task may be on its way
    ImportJob.objects.filter(pk=checked_job.pk).update(updated_at=timezone.now() - timedelta(minutes=5))
    assert recovery.recover().jobs_resumed == [checked_job.pk]
    task = DBTaskResult.objects.get(status="READY")
    assert task.task_path == check_import.module_path
    task.task.call(*task.args_kwargs["args"])
    assert ImportJob.objects.get(pk=checked_job.pk).status == ImportStatus.CHECKED


def test_a_job_whose_worker_keeps_dying_fails_with_a_clear_message(checked_job, settings, monkeypatch):
    from django.utils import translation

    from chongdich.core import recovery

    settings.TASKS = DB_TASKS
    settings.CHONGDICH_IMPORT_MAX_RECOVERIES = 3
    kill_when_progress_reaches(monkeypatch, 2 * CHUNK)
    with pytest.raises(Killed):
        imports.execute(checked_job.pk, dry_run=False)
    monkeypatch.setattr(QuerySet, "update", UPDATE)
    ImportJob.objects.filter(pk=checked_job.pk).update(recoveries=3, updated_at=timezone.now() - timedelta(minutes=5))
    with translation.override("vi"):
        assert recovery.recover().jobs_failed == [checked_job.pk]
    checked_job.refresh_from_db()
    assert checked_job.status == ImportStatus.FAILED
    assert "dừng 4 lần" in checked_job.message and "10/50 dòng" in checked_job.message
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_recover_jobs_command(checked_job, settings):
    import io

    from django.core.management import call_command

    settings.TASKS = DB_TASKS
    ImportJob.objects.filter(pk=checked_job.pk).update(
        status=ImportStatus.CHECKING, updated_at=timezone.now() - timedelta(minutes=5)
    )
    out = io.StringIO()
    call_command("recover_jobs", stdout=out)
    assert f"jobs resumed: [{checked_job.pk}]" in out.getvalue()


def test_a_chunk_rolled_back_by_an_error_counts_none_of_its_rows_as_saved(checked_job, monkeypatch):
    """import-export rolls a chunk back when a batch insert fails (a CCCD taken meanwhile): its rows are
    reported as not saved, and the counts and the counter say what was really saved."""
    from django.db import IntegrityError

    from chongdich.people.imports import PersonResource

    create = PersonResource.bulk_create
    calls = []

    def failing_third_chunk(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        calls.append(1)
        if not dry_run and len(calls) == 3 and self.create_instances:
            self.create_instances.clear()
            self.handle_import_error(
                result, IntegrityError("duplicate key value violates unique constraint"), raise_errors
            )
            return
        return create(self, using_transactions, dry_run, raise_errors, batch_size=batch_size, result=result)

    monkeypatch.setattr(PersonResource, "bulk_create", failing_third_chunk)
    imports.execute(checked_job.pk, dry_run=False)
    checked_job.refresh_from_db()
    assert Person.objects.count() == ROWS - CHUNK
    assert checked_job.summary["new"] == ROWS - CHUNK and checked_job.summary["error"] == CHUNK
    assert checked_job.status == ImportStatus.DONE and checked_job.rejected_file
    assert sum(1 for e in checked_job.errors if e["row"] is not None) == CHUNK
