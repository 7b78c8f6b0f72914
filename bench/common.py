"""Shared helpers for benchmarks: Django setup, timing, percentiles, a figure table."""

from __future__ import annotations

import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def setup_django(settings: str = "chongdich.settings.bench") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    import django

    django.setup()


@contextmanager
def timed(label: str, results: dict):
    start = time.perf_counter()
    yield
    results[label] = time.perf_counter() - start


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(samples: list[float]) -> str:
    ms = [s * 1000 for s in samples]
    return f"p50 {percentile(ms, 50):7.2f} ms  p95 {percentile(ms, 95):7.2f} ms  max {max(ms):7.2f} ms  (n={len(ms)}, mean {statistics.mean(ms):.2f})"


def say(message: str) -> None:
    print(message, flush=True)


def require_postgres() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        say("this benchmark needs PostgreSQL: run it through ./run bench (or set DATABASE_URL)")
        sys.exit(2)
