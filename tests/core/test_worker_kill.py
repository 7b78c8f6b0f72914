"""kill -9 of the task worker in the middle of an import, on PostgreSQL, with real processes.

The test starts ``chongdich task_workers`` (the supervisor ``./run demo`` and ``./run serve`` use) with one
worker, uploads and confirms a list of 3,000 persons through the pages, kills the worker with SIGKILL once
some chunks are saved, and checks that
- at the kill, the job's progress counter equals the persons saved;
- the supervisor starts a new worker, which finds the dead worker's task, marks it failed and resumes the
  import after the last saved chunk: every person once, nobody missing, the job done.

SQLite's test database lives in the memory of the test process, where no other process can open it: this
test runs in the PostgreSQL half of ``./run test`` (the recovery itself is also tested in-process on both,
test_job_recovery.py).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from chongdich.core.models import AuditEvent, ImportJob, ImportStatus, TaskWorker
from chongdich.people.models import Person
from tests.helpers import upload, xlsx_bytes

pytestmark = pytest.mark.django_db(transaction=True)
ROWS, CHUNK = 3000, 100
ROOT = Path(__file__).resolve().parents[2]


def people_file() -> bytes:
    given = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khoa", "Lâm", "Minh", "Nam"]
    middle = ["Văn", "Hữu", "Đức", "Quang", "Thành", "Xuân", "Ngọc", "Gia", "Bảo", "Công"]
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
    rows = [
        [f"{family[n // 100 % 10]} {middle[n // 10 % 10]} {given[n % 10]}", "Nam", 1960 + n // 1000, "Thôn 1"]
        for n in range(ROWS)
    ]
    return xlsx_bytes([["Họ và tên", "Giới tính", "Năm sinh", "Thôn"], *rows])


def wait_for(what: str, condition, timeout: float = 120.0, every: float = 0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(every)
    raise AssertionError(f"waited {timeout:.0f} s for {what}")


@pytest.fixture
def supervisor(settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's test database is in this process's memory: a worker process cannot open it")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.core.worker_settings",
        "CHONGDICH_TEST_DB_NAME": connection.settings_dict["NAME"],
        "CHONGDICH_IMPORT_CHUNK_ROWS": str(CHUNK),
        "CHONGDICH_TEST_MEDIA": str(settings.MEDIA_ROOT),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "chongdich.cli",
            "task_workers",
            "--count",
            "1",
            "--",
            "--queue-name",
            "default",
            "--interval",
            "0.1",
            "--no-startup-delay",
        ],
        cwd=ROOT,
        env=env,
    )
    yield process
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_kill_9_of_the_worker_mid_import_resumes_after_the_last_saved_chunk(supervisor, client_of, world):
    client = client_of("commune")
    client.post(
        reverse("desk:import_new", args=["people.persons"]),
        {"file": upload("ds.xlsx", people_file()), "unit": world.commune.code},
    )
    job = ImportJob.objects.get()
    wait_for("the check", lambda: ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).exists())
    client.post(reverse("desk:import_confirm", args=[job.pk]))

    first = wait_for(
        "a few chunks saved",
        lambda: (
            ImportJob.objects.filter(pk=job.pk, status=ImportStatus.IMPORTING, processed_rows__gte=5 * CHUNK).exists()
            and TaskWorker.objects.get()
        ),
    )
    os.kill(first.pid, signal.SIGKILL)
    time.sleep(0.3)  # PostgreSQL drops the dead connection, and the chunk it was writing with it
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTING and 0 < job.processed_rows < ROWS
    assert Person.objects.count() == job.processed_rows  # the counter is what was saved
    killed = DBTaskResult.objects.get(status="RUNNING")

    second = wait_for("a new worker", lambda: TaskWorker.objects.exclude(pid=first.pid).first())
    assert second.pid != first.pid
    wait_for("the resumed import", lambda: ImportJob.objects.filter(pk=job.pk, status=ImportStatus.DONE).exists())
    job.refresh_from_db()
    assert (job.processed_rows, job.recoveries, job.summary["new"]) == (ROWS, 1, ROWS)
    assert (
        Person.objects.count() == ROWS and Person.objects.values("full_name", "birth_year").distinct().count() == ROWS
    )
    killed.refresh_from_db()
    assert killed.status == "FAILED" and "died" in killed.traceback
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2  # the check, and the resumed import
    assert not TaskWorker.objects.filter(pid=first.pid).exists()
    assert AuditEvent.objects.filter(action="import", object_id=str(job.pk)).count() == 1
