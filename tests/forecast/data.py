"""The real daily cases of six provinces in 2021 (``vn-covid-2021/cases_daily.csv``), read in place.

The file is public data kept outside the repository (``../shared/data/vn-covid-2021/`` next to the
checkout, or the path in ``CHONGDICH_VN_COVID_2021``); it is never copied in.  Tests that need it
skip with ``REAL_DATA_MISSING`` when it is absent; ``bench/forecast_accuracy.py`` reads it the same way.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
RELATIVE = Path("data") / "vn-covid-2021" / "cases_daily.csv"
CANDIDATES = (
    ROOT.parent / "shared" / RELATIVE,
    ROOT.parent.parent / "shared" / RELATIVE,  # a worktree one level deeper than the main checkout
)
REAL_DATA_MISSING = (
    "the real 2021 case series (../shared/data/vn-covid-2021/cases_daily.csv or $CHONGDICH_VN_COVID_2021) is absent"
)


@dataclass(frozen=True)
class Province:
    code: str
    name: str
    start: date
    cases: np.ndarray  # daily new community cases from ``start``, no gaps

    def day(self, index: int) -> date:
        return self.start + timedelta(days=index)

    def index(self, day: date) -> int:
        return (day - self.start).days

    def until(self, day: date) -> np.ndarray:
        """The cases up to and including ``day`` (the data a forecast made on ``day`` may use)."""
        return self.cases[: self.index(day) + 1]


def data_path() -> Path | None:
    configured = os.environ.get("CHONGDICH_VN_COVID_2021")
    for path in ((Path(configured),) if configured else ()) + CANDIDATES:
        if path.is_file():
            return path
    return None


@cache
def provinces() -> dict[str, Province]:
    """The six provinces by name (``Bắc Giang``, ``TP. Hồ Chí Minh``, …); {} when the file is absent."""
    path = data_path()
    if path is None:
        return {}
    rows: dict[str, list[tuple[date, int, str]]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            rows.setdefault(row["province"], []).append(
                (date.fromisoformat(row["date"]), int(row["new_cases"]), row["province_code"])
            )
    out = {}
    for name, series in rows.items():
        series.sort()
        start = series[0][0]
        cases = np.zeros((series[-1][0] - start).days + 1)
        for day, value, _ in series:
            cases[(day - start).days] = value
        out[name] = Province(code=series[0][2], name=name, start=start, cases=cases)
    return out
