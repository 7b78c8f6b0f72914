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


def tally_disagreements(prefixes: tuple[str, ...]) -> str:
    """Stored tallies against a rebuild from the records, for the fields a benchmark writes.

    Other benchmarks of ``./run bench`` share the database and load some tables raw (COPY of
    cases, tallies written directly), so only the fields of this benchmark are compared.
    """
    from chongdich.tallies.rebuild import differences

    wrong = {key: value for key, value in differences().items() if key[2].startswith(prefixes)}
    if not wrong:
        return "yes"
    shown = ", ".join(
        f"{field} of unit {unit} on {day}: stored {a}, rebuilt {b}"
        for (unit, day, field), (a, b) in list(wrong.items())[:3]
    )
    return f"NO, {len(wrong):,} differences (e.g. {shown})"


# The people_person columns the benchmarks fill with COPY (a synthetic registry at scale).
PERSON_COPY_COLUMNS = (
    "unit_id",
    "unit_path",
    "province_code",
    "commune_code",
    "full_name",
    "folded_name",
    "sex",
    "date_of_birth",
    "birth_year",
    "cccd",
    "phone",
    "relation",
    "address",
    "residence_status",
    "occupation_group",
    "notes",
    "created_at",
    "updated_at",
)
