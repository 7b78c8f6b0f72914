"""Which task workers are alive.

django-tasks-db marks a task RUNNING with the id of the worker that claimed it and nothing more: a worker
killed with SIGKILL (out of memory, a crash, a reboot) leaves it RUNNING forever.  Each ``task_worker``
registers itself here and beats every few seconds.  A worker is alive while
- on this machine (same host name and process namespace): its process exists, is not a zombie and is the one
  that registered (same start time, against a reused pid) — a kill is seen at once;
- on another machine: its last beat is recent (``CHONGDICH_WORKER_STALE_SECONDS``).
"""

from __future__ import annotations

import os
import socket
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from chongdich.core.models import TaskWorker


def host_id() -> str:
    """This machine, and this process namespace (containers on one host may reuse the same pids)."""
    try:
        namespace = os.stat("/proc/self/ns/pid").st_ino
    except OSError:
        return socket.gethostname()[:180]
    return f"{socket.gethostname()[:180]}/{namespace}"


def process_started(pid: int) -> str | None:
    """The process's start time (clock ticks after boot) or None when it is gone or a zombie; "" if unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except FileNotFoundError:
        return None
    except OSError:
        return _exists(pid)
    if fields[0] in (b"Z", b"X"):  # state: zombie or dead
        return None
    return fields[19].decode()  # field 22 of stat; the list starts at field 3


def _exists(pid: int) -> str | None:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return ""


def register(worker_id: str) -> TaskWorker:
    pid = os.getpid()
    worker, _created = TaskWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": host_id(),
            "pid": pid,
            "process_started": process_started(pid) or "",
            "started_at": timezone.now(),
            "beat_at": timezone.now(),
        },
    )
    return worker


def beat(worker_id: str) -> None:
    if not TaskWorker.objects.filter(worker_id=worker_id).update(beat_at=timezone.now()):
        register(worker_id)  # removed as dead while it was stalled: it is alive after all


def unregister(worker_id: str) -> None:
    TaskWorker.objects.filter(worker_id=worker_id).delete()


def is_alive(worker: TaskWorker | None, *, here: str | None = None, now=None) -> bool:
    if worker is None:
        return False
    if worker.host == (here or host_id()):
        started = process_started(worker.pid)
        return started is not None and (started == worker.process_started or "" in (started, worker.process_started))
    now = now or timezone.now()
    return worker.beat_at >= now - timedelta(seconds=settings.CHONGDICH_WORKER_STALE_SECONDS)


def live_worker_ids(worker_ids) -> set[str]:
    """Those of ``worker_ids`` that belong to a live worker."""
    here, now = host_id(), timezone.now()
    workers = TaskWorker.objects.filter(worker_id__in=set(worker_ids))
    return {worker.worker_id for worker in workers if is_alive(worker, here=here, now=now)}


def forget_dead(now=None) -> int:
    """Remove the rows of workers that died; their tasks must have been recovered first."""
    here, now = host_id(), now or timezone.now()
    dead = [worker.pk for worker in TaskWorker.objects.all() if not is_alive(worker, here=here, now=now)]
    return TaskWorker.objects.filter(pk__in=dead).delete()[0] if dead else 0
