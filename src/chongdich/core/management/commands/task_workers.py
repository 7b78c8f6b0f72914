"""``chongdich task_workers --count N``: keep N task workers running, as ``./run demo`` and ``./run serve`` do.

A worker that dies (killed, out of memory, a crash) is started again after a pause that doubles with each
quick death (1 s, 2 s, 4 s … at most ``--max-backoff``) and starts again from 1 s once a worker has run for a
minute; the new worker resumes the work the dead one left (``core.recovery``).  SIGTERM or SIGINT stops the
workers (each finishes its current chunk of work and exits) and then the supervisor.

systemd does the same for a production server (docs/operations/workers.md); supervisord was not used: it gives
up on a program that keeps failing, and it is one more daemon to configure for the demo.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

STABLE_SECONDS = 60.0


class Slot:
    """One worker process and when to start it again."""

    def __init__(self, index: int):
        self.index = index
        self.process: subprocess.Popen | None = None
        self.started = 0.0
        self.backoff = 1.0
        self.restart_at = 0.0


class Command(BaseCommand):
    help = "Run several task workers and restart any that dies, with backoff"

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1, help="How many workers (default 1)")
        parser.add_argument("--max-backoff", type=float, default=60.0, help="Longest pause before a restart (s)")
        parser.add_argument("worker_args", nargs="*", help="Passed to task_worker, after --")

    def handle(self, *args, count: int, max_backoff: float, worker_args: list[str], **options) -> None:
        self.stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        command = [sys.executable, "-m", "chongdich.cli", "task_worker", *worker_args]
        slots = [Slot(index) for index in range(max(1, count))]
        try:
            while not self.stopping:
                now = time.monotonic()
                for slot in slots:
                    self._tend(slot, command, now, max_backoff)
                time.sleep(0.2)
        finally:
            self._stop_all(slots)

    def _tend(self, slot: Slot, command: list[str], now: float, max_backoff: float) -> None:
        if slot.process is not None:
            code = slot.process.poll()
            if code is None:
                return
            ran = now - slot.started
            slot.backoff = 1.0 if ran >= STABLE_SECONDS else min(max_backoff, slot.backoff * 2)
            slot.restart_at = now + (1.0 if ran >= STABLE_SECONDS else slot.backoff)
            self.stderr.write(
                f"task worker {slot.index} (pid {slot.process.pid}) exited with {code} after {ran:.0f} s; "
                f"restarting in {slot.restart_at - now:.0f} s"
            )
            slot.process = None
        if now >= slot.restart_at and not self.stopping:
            slot.process = subprocess.Popen(command)
            slot.started = now
            self.stdout.write(f"task worker {slot.index} started (pid {slot.process.pid})")

    def _stop(self, signum, frame) -> None:
        self.stopping = True

    def _stop_all(self, slots: list[Slot]) -> None:
        running = [slot.process for slot in slots if slot.process is not None and slot.process.poll() is None]
        for process in running:
            process.terminate()
        deadline = time.monotonic() + 30
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
