"""The nightly forecast run for a whole country, on PostgreSQL (issue 12 §7): target < 60 s.

Loads the legacy structure (63 provinces, 696 districts, ~10,035 communes), synthesises 120 days of
tallies for every commune (a row per commune per day, like the risk benchmark: about 40% of communes
with an outbreak that grows, peaks and declines at its own pace, Poisson noise, a share found in
quarantine; active cases, beds and quarantine places occupied), then times ``run_forecast`` — reading
the tallies (one grouped query), Rt, the renewal and naive projections with their demand for every
commune, district and province, the scores of the projections made 7 and 14 days earlier (the two
earlier days are run first, untimed), storing the rows, runouts and alerts — for the first run of the
day and its re-run (replacing the day).  Baselines in the same process: the pure rules on the arrays
already read (all units), and the compute of the largest province alone.

    DATABASE_URL=postgres://… .venv/bin/python bench/forecast_nightly.py [--days 120] [--repeats 2]
    (``./run bench`` runs the ``bench_*.py`` scripts: this one runs alone, on a database of its own —
    it truncates the daily tallies)
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import time
from datetime import date, timedelta

import numpy as np
from common import require_postgres, say, setup_django

DAY = date(2021, 8, 20)
TARGET_S = 60.0


def ensure_units() -> None:
    from chongdich.territory.loaders import load_units
    from chongdich.territory.models import AdminUnit

    if AdminUnit.objects.filter(level="commune").count() < 10_000:
        start = time.perf_counter()
        result = load_units("legacy")
        say(
            f"    loaded legacy units: {result.provinces} provinces, {result.districts} districts, "
            f"{result.communes:,} communes ({time.perf_counter() - start:.0f} s)"
        )


def ensure_tallies(days: int, seed: int = 2021) -> None:
    """A tally row per commune per day for ``days`` days up to DAY (COPY of a text buffer built with numpy)."""
    from django.db import connection

    from chongdich.tallies.models import ALL_FIELDS, DailyTally
    from chongdich.territory.models import AdminUnit

    communes = list(AdminUnit.objects.filter(level="commune").values_list("pk", "path", "province_code"))
    expected = len(communes) * days
    if DailyTally.objects.filter(day__gt=DAY - timedelta(days=days)).count() >= expected:
        say(f"    reusing {DailyTally.objects.count():,} tally rows")
        return
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    n = len(communes)
    t = np.arange(days)[None, :]
    outbreak = rng.random(n) < 0.4
    peak = rng.uniform(days * 0.4, days * 1.3, n)[:, None]
    width = rng.uniform(10, 30, n)[:, None]
    height = np.where(outbreak, rng.lognormal(1.0, 1.0, n), 0.05)[:, None]
    mean = height * np.exp(-0.5 * ((t - peak) / width) ** 2)
    cases = rng.poisson(mean)
    isolated = rng.binomial(cases, 0.3)
    local = cases - isolated

    # stock changes: every case is active for 14 days (home), 15% take a treatment bed for 10 days,
    # 5 F1 per case are in quarantine for 14 days
    def stay(flow, days_):
        out = flow.copy()
        out[:, days_:] -= flow[:, :-days_]
        return out

    hospital = rng.binomial(cases, 0.15)
    active = stay(cases, 14)
    treatment = stay(hospital, 10)
    quarantine = stay(cases * 5, 14)
    fields = list(ALL_FIELDS)
    columns = {
        "cases_new_community": local,
        "cases_new_isolated": isolated,
        "active_home": active,
        "treatment_occupied": treatment,
        "quarantine_occupied": quarantine,
        "tests_done": cases * 20 + rng.poisson(5, (n, days)),
    }
    matrix = np.zeros((n, days, len(fields)), dtype=np.int64)
    for name, values in columns.items():
        matrix[:, :, fields.index(name)] = values
    first_day = DAY - timedelta(days=days - 1)
    day_text = [(first_day + timedelta(days=d)).isoformat() for d in range(days)]
    buffer = io.StringIO()
    for i, (pk, path, province) in enumerate(communes):
        prefix = f"{pk}\t{path}\t{province}\t"
        rows = matrix[i]
        for d in range(days):
            buffer.write(prefix + day_text[d] + "\t" + "\t".join(map(str, rows[d].tolist())) + "\n")
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE tallies_dailytally")
        with cursor.cursor.copy(
            f"COPY tallies_dailytally (unit_id, unit_path, province_code, day, {', '.join(fields)}) FROM STDIN"
        ) as copy:
            copy.write(buffer.getvalue())
        cursor.execute("ANALYZE tallies_dailytally")
    say(
        f"    tallies: {DailyTally.objects.count():,} rows for {n:,} communes × {days} days, "
        f"{int(cases.sum()):,} cases, {int(outbreak.sum()):,} communes with an outbreak "
        f"({time.perf_counter() - start:.0f} s)"
    )


def pure_rules(series, rows) -> float:
    """The rules alone (Rt, renewal and naive projections, demand) on arrays already read."""
    from chongdich.forecast import nightly, rules

    cfg = rules.config()
    start = time.perf_counter()
    for chunk in np.array_split(rows, max(1, -(-len(rows) // nightly.CHUNK))):
        local, imported = nightly._inputs(series, chunk, cfg)
        rules.estimate_rt(local, imported, cfg)
        for quantiles in (
            rules.project(local, imported, cfg, horizon=cfg.horizon, seed=0),
            rules.naive(local, imported, horizon=cfg.horizon, cfg=cfg),
        ):
            nightly._demand(series, chunk, cfg, quantiles)
    return time.perf_counter() - start


def compute_rows(series, rows) -> float:
    """Building the rows (rules + objects) for ``rows``, as the run does, without storing them."""
    from chongdich.forecast import nightly, rules

    cfg = rules.config()
    start = time.perf_counter()
    for chunk in np.array_split(rows, max(1, -(-len(rows) // nightly.CHUNK))):
        nightly._estimates(series, chunk, cfg, DAY)
        nightly._projections(series, chunk, cfg, DAY)
    return time.perf_counter() - start


def table_size() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('forecast_projection')), "
            "pg_size_pretty(pg_total_relation_size('forecast_estimate'))"
        )
        projection, estimate = cursor.fetchone()
    return f"projections {projection}, estimates {estimate}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--repeats", type=int, default=1, help="re-runs of the day (replacing it)")
    args = parser.parse_args()
    setup_django()
    require_postgres()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    say("forecast nightly run (issue 12 §7)")
    ensure_units()
    ensure_tallies(args.days)

    from chongdich.forecast.models import Estimate, Projection, Score
    from chongdich.forecast.nightly import run_forecast
    from chongdich.forecast.series import incidence

    for back in (14, 7):  # the projections the day's run scores
        earlier = run_forecast(DAY - timedelta(days=back))
        say(f"    earlier run as of {earlier.day}: {earlier.seconds:.1f} s")
    cpu = time.process_time()
    first = run_forecast(DAY)
    cpu = time.process_time() - cpu
    reruns = [run_forecast(DAY) for _ in range(args.repeats)]
    rerun = statistics.median(r.seconds for r in reruns)
    figures = first.figures
    say(
        f"    units: {figures['units']:,} (communes, districts, provinces); tally cells with a case read: "
        f"{figures['cells']:,}; reliable Rt: {figures['reliable']:,}"
    )
    say(f"    rows: {', '.join(f'{k} {v:,}' for k, v in figures['rows'].items())}")
    say(
        f"    full run, first of the day: {first.seconds:.1f} s — per step: "
        + ", ".join(f"{step} {sec:.2f} s" for step, sec in figures["timings"].items())
    )
    say(
        f"    CPU time of this process during the first run: {cpu:.1f} s (the wall time above also waits for "
        f"PostgreSQL and for the other processes sharing the cores: load average {os.getloadavg()[0]:.1f})"
    )
    say(
        f"    full run, re-run replacing the day: median {rerun:.1f} s (n={len(reruns)}) — per step: "
        + ", ".join(f"{step} {sec:.2f} s" for step, sec in reruns[-1].figures["timings"].items())
    )

    start = time.perf_counter()
    series = incidence(DAY, args.days)
    read = time.perf_counter() - start
    every = np.arange(len(series))
    cpu_rules = time.process_time()
    rules_all = pure_rules(series, every)
    cpu_rules = time.process_time() - cpu_rules
    build_all = compute_rows(series, every)
    counts: dict[str, int] = {}
    for code in series.province_codes:
        counts[code] = counts.get(code, 0) + 1
    largest = max(counts, key=counts.get)
    one = np.array([i for i, code in enumerate(series.province_codes) if code == largest], dtype=np.int64)
    build_one = compute_rows(series, one)
    say(f"    baseline — reading the series alone (incidence): {read:.2f} s")
    say(f"    baseline — the pure rules on all {len(series):,} units: {rules_all:.2f} s (CPU {cpu_rules:.1f} s)")
    say(f"    rules + building the rows, all units: {build_all:.2f} s")
    say(
        f"    one province ({largest}: {len(one):,} units), rules + rows: {build_one:.2f} s; "
        f"all / one = {build_all / build_one:.1f}× for {len(series) / len(one):.1f}× the units"
    )
    say(f"    ratio full run / pure rules: {first.seconds / rules_all:.1f}× (first), {rerun / rules_all:.1f}× (re-run)")
    say(
        f"    stored for the day: {Estimate.objects.filter(day=DAY).count():,} estimates, "
        f"{Projection.objects.filter(as_of=DAY).count():,} projections, "
        f"{Score.objects.filter(target_day=DAY).count():,} scores; table sizes with 3 days: {table_size()}"
    )
    worst = max(first.seconds, rerun)
    say(
        f"    target < {TARGET_S:.0f} s for Rt, projections and thresholds of every unit: "
        f"{'MET' if worst < TARGET_S else 'NOT MET'} ({worst:.1f} s)"
    )


if __name__ == "__main__":
    main()
