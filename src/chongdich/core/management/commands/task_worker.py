"""``chongdich task_worker``: django-tasks-db's ``db_worker`` that says it is alive and resumes dead workers' work.

The worker registers itself (``core.workers``), beats every ``CHONGDICH_WORKER_BEAT_SECONDS`` from a thread of
its own, and looks for work whose worker died (``core.recovery``) when it starts and every
``CHONGDICH_RECOVERY_INTERVAL_SECONDS``.  Same options as ``db_worker``.  Run it under a supervisor that
restarts it (``chongdich task_workers``, or systemd: docs/operations/workers.md).
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from chongdich.core import recovery, workers

logger = logging.getLogger("chongdich.worker")


class Heartbeat(threading.Thread):
    def __init__(self, worker_id: str):
        super().__init__(name="chongdich-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        beat, interval = settings.CHONGDICH_WORKER_BEAT_SECONDS, settings.CHONGDICH_RECOVERY_INTERVAL_SECONDS
        since_recovery = 0.0
        try:
            while not self.stopped.wait(beat):
                since_recovery += beat
                try:
                    close_old_connections()
                    workers.beat(self.worker_id)
                    if since_recovery >= interval:
                        since_recovery = 0.0
                        recovery.recover()
                except DatabaseError:  # a locked SQLite or a lost connection: try again at the next beat
                    logger.warning("task worker heartbeat failed", exc_info=True)
        finally:
            connection.close()


class Command(DbWorkerCommand):
    help = "Run a task worker that records that it is alive and resumes the work of workers that died"

    def handle(self, *args, worker_id: str, **options) -> None:
        workers.register(worker_id)
        heartbeat = Heartbeat(worker_id)
        try:
            recovery.recover()
            connection.close()  # the worker loop opens its own as it needs
            heartbeat.start()
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            heartbeat.stopped.set()
            try:
                close_old_connections()
                workers.unregister(worker_id)
            except DatabaseError:
                logger.warning("could not unregister task worker %s", worker_id, exc_info=True)
