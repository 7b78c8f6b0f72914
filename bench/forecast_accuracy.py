"""How good the forecasts have been on real data: rolling-origin evaluation on the six provinces of 2021.

For every origin day from ``--start`` until 14 days before the end of the series, the renewal projection
(``forecast.rules.project``) and the naive forecast (``naive``: the last 7-day mean carried forward) are
made from the data up to the origin only, and scored against the cases reported 7 and 14 days later:
the share of days where the truth fell in the 90% (and 50%) interval, the mean absolute error of the
median and the mean weighted interval score (Bracher et al. 2021), per province, with the ratios renewal /
naive (< 1: the renewal model is better).  Then the time of the numerics for 10,000 synthetic communes
(``--scale``).  All origins of all provinces are projected in one vectorised
call (each origin is a "unit" whose series ends on that day); the runtime is measured.

    PYTHONPATH=src .venv/bin/python bench/forecast_accuracy.py [--start 2021-05-15] [--set '{"window": 7}']

Reads ``../shared/data/vn-covid-2021/cases_daily.csv`` (or ``$CHONGDICH_VN_COVID_2021``) in place.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date

import numpy as np
from common import say

from chongdich.forecast.rules import config, estimate_rt, naive, project, score
from tests.forecast.data import REAL_DATA_MISSING, provinces

LEADS = (7, 14)


def origins_matrix(cases: np.ndarray, origins: list[int]) -> np.ndarray:
    """One row per origin: the series up to and including the origin, left-padded with zeros."""
    width = max(origins) + 1
    out = np.zeros((len(origins), width))
    for row, origin in enumerate(origins):
        out[row, width - origin - 1 :] = cases[: origin + 1]
    return out


def evaluate(start: date, overrides: dict, seed: int) -> tuple[list[dict], dict[str, float]]:
    cfg = config(overrides)
    data = provinces()
    rows, timing = [], {"renewal": 0.0, "naive": 0.0, "units": 0}
    for name, province in data.items():
        first = max(province.index(start), cfg.window + 14)
        origins = list(range(first, len(province.cases) - max(LEADS)))
        matrix = origins_matrix(province.cases, origins)
        began = time.perf_counter()
        renewal = project(matrix, None, cfg, horizon=max(LEADS), seed=seed)
        timing["renewal"] += time.perf_counter() - began
        began = time.perf_counter()
        baseline = naive(matrix, None, max(LEADS), cfg=cfg)
        timing["naive"] += time.perf_counter() - began
        timing["units"] += len(origins)
        row = {"province": name, "origins": len(origins)}
        for lead in LEADS:
            truth = province.cases[np.asarray(origins) + lead]
            for method, quantiles in (("renewal", renewal), ("naive", baseline)):
                scores = score(quantiles[:, :, lead - 1], truth)
                row[f"{method}_{lead}"] = {
                    "in_90": float(scores.in_90.mean()),
                    "in_50": float(scores.in_50.mean()),
                    "mae": float(scores.abs_error.mean()),
                    "wis": float(scores.wis.mean()),
                }
        rows.append(row)
    return rows, timing


def table(rows: list[dict]) -> list[str]:
    lines = []
    for lead in LEADS:
        lines.append(f"lead {lead} days")
        lines.append(
            f"  {'province':<16} {'days':>4} | {'in90 R':>6} {'in90 N':>6} | {'in50 R':>6} {'in50 N':>6} | "
            f"{'MAE R':>8} {'MAE N':>8} {'ratio':>5} | {'WIS R':>8} {'WIS N':>8} {'ratio':>5}"
        )
        for row in [*rows, _pooled(rows)]:
            r, n = row[f"renewal_{lead}"], row[f"naive_{lead}"]
            lines.append(
                f"  {row['province']:<16} {row['origins']:>4} | {r['in_90']:>6.0%} {n['in_90']:>6.0%} | "
                f"{r['in_50']:>6.0%} {n['in_50']:>6.0%} | {r['mae']:>8.1f} {n['mae']:>8.1f} "
                f"{r['mae'] / n['mae']:>5.2f} | {r['wis']:>8.1f} {n['wis']:>8.1f} {r['wis'] / n['wis']:>5.2f}"
            )
    return lines


def _pooled(rows: list[dict]) -> dict:
    """All provinces: coverage pooled over days; MAE and WIS ratios as the mean of the provinces' ratios
    would hide nothing but scale, so the pooled row gives the means over all days (HCMC dominates them)."""
    total = sum(row["origins"] for row in rows)
    out: dict = {"province": "all (pooled)", "origins": total}
    for key in rows[0]:
        if key in ("province", "origins"):
            continue
        out[key] = {metric: sum(row[key][metric] * row["origins"] for row in rows) / total for metric in rows[0][key]}
    return out


def scale(units: int, days: int, seed: int) -> dict[str, float]:
    """Seconds for the nightly's numerics on ``units`` synthetic communes × ``days`` days: a fifth with an
    outbreak (1–30 cases a day), a quarter of the rest with sporadic cases, the others none."""
    rng = np.random.default_rng(seed)
    level = np.where(rng.random(units) < 0.2, rng.uniform(1, 30, units), np.where(rng.random(units) < 0.3, 0.05, 0))
    local = rng.poisson(level[:, None] * np.ones((1, days))).astype(float)
    cfg = config()
    out = {}
    for name, run in (
        ("estimate_rt", lambda: estimate_rt(local, None, cfg)),
        ("project (28 days)", lambda: project(local, None, cfg, horizon=28, seed=seed)),
        ("naive (28 days)", lambda: naive(local, None, 28)),
    ):
        began = time.perf_counter()
        run()
        out[name] = time.perf_counter() - began
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--start", default="2021-05-15", help="first origin day (default 2021-05-15)")
    parser.add_argument("--set", default="{}", help="configuration overrides as JSON, e.g. '{\"window\": 10}'")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument("--scale", type=int, default=10_000, help="synthetic units for the timing (0: skip)")
    args = parser.parse_args()
    if not provinces():
        say(f"skipped: {REAL_DATA_MISSING}")
        return
    began = time.perf_counter()
    rows, timing = evaluate(date.fromisoformat(args.start), json.loads(args.set), args.seed)
    elapsed = time.perf_counter() - began
    cfg = config(json.loads(args.set))
    say(
        f"Rolling-origin evaluation, origins from {args.start}, every day; configuration {cfg.version}, "
        f"overrides {args.set}; R = renewal, N = naive (last 7-day mean)"
    )
    for line in table(rows):
        say(line)
    say(
        f"runtime: {elapsed:.1f} s in all; {timing['units']:,} projections of {max(LEADS)} days: "
        f"renewal {timing['renewal']:.2f} s ({cfg.samples} samples each), naive {timing['naive']:.2f} s"
    )
    if args.json:
        say(json.dumps(rows, ensure_ascii=False))
    if args.scale:
        timing = scale(args.scale, 120, args.seed)
        say(
            f"scale: {args.scale:,} synthetic communes × 120 days: "
            + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in timing.items())
        )


if __name__ == "__main__":
    main()
