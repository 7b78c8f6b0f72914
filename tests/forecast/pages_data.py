"""Forecast rows for the page tests, made directly (the nightly run is tested on its own): estimates of a
district and its communes, projections with demand, scores and thresholds, on day ``D``."""

from __future__ import annotations

import math
from datetime import date, timedelta

from chongdich.forecast.models import Estimate, Method, Projection, Runout, RunoutKind, Score

D = date(2021, 8, 20)
H = 28


def estimate(unit, day=D, *, rt=1.2, reliable=True, cases_7d=70, prev=50, active=120, window=7):
    row = Estimate(
        day=day,
        tier=unit.level,
        window=window,
        cases_window=cases_7d,
        reliable=reliable,
        rt_mean=rt,
        rt_lo=rt - 0.2 if rt is not None else None,
        rt_hi=rt + 0.25 if rt is not None else None,
        p_below_1=0.1 if rt and rt > 1 else 0.8,
        growth_rate=math.log(rt) / 4 if rt else None,
        doubling_days=(math.log(2) / (math.log(rt) / 4)) if rt and rt != 1 else None,
        cases_7d=cases_7d,
        cases_prev_7d=prev,
        growth_wow=(cases_7d - prev) / prev if prev else None,
        active=active,
        config_version="forecast 2021.1 (Delta)",
    )
    row.place_in(unit)
    row.save()
    return row


def projection(unit, as_of=D, method=Method.RENEWAL, start=10.0, growth=1.03):
    median = [start * growth**i for i in range(1, H + 1)]
    quantiles = {
        "q05": [m * 0.5 for m in median],
        "q25": [m * 0.8 for m in median],
        "q50": median,
        "q75": [m * 1.25 for m in median],
        "q95": [m * 1.8 for m in median],
    }
    demand = {
        key: {"q50": [m * share for m in median], "q95": [m * share * 1.8 for m in median]}
        for key, share in (("treatment", 6.5), ("oxygen", 1.5), ("icu", 0.5), ("quarantine", 100), ("tests", 300))
    }
    row = Projection(as_of=as_of, method=method, horizon=H, quantiles=quantiles, demand=demand)
    row.place_in(unit)
    row.save()
    return row


def scores(unit, day=D, days=28):
    for i in range(days):
        target = day - timedelta(days=i)
        for lead in (7, 14):
            for method, error in ((Method.RENEWAL, 2.0), (Method.NAIVE, 5.0)):
                row = Score(
                    made_on=target - timedelta(days=lead),
                    lead=lead,
                    method=method,
                    target_day=target,
                    observed=10,
                    median=10 + error,
                    abs_error=error,
                    in_50=i % 2 == 0,
                    in_90=method == Method.RENEWAL or i % 3 == 0,
                    wis=error * 0.8,
                )
                row.place_in(unit)
                row.save()


def runout(unit, kind=RunoutKind.BEDS, ref="facility:1:treatment", *, days=5, early=3, as_of=D, subject="Beds"):
    row = Runout(
        as_of=as_of,
        kind=kind,
        subject=subject,
        subject_ref=ref,
        link="/care/facilities/1/",
        capacity=100,
        current=80,
        days=days,
        days_early=early,
        on_day=as_of + timedelta(days=days) if days is not None else None,
    )
    row.place_in(unit)
    row.save()
    return row


def build(world):
    """A district of three communes: Đức Hạnh grows fast, Phú Văn falls, Bù Gia Mập has too few cases;
    a far province's commune (out of every persona's area but the national's)."""
    out = {}
    for day_back in range(60):
        day = D - timedelta(days=day_back)
        rt = 1.0 + 0.3 * math.sin(day_back / 9)
        out.setdefault("series", []).append(
            estimate(world.commune, day, rt=rt, reliable=day_back % 17 != 5, cases_7d=80, prev=40)
        )
    estimate(world.other_commune, rt=0.8, cases_7d=30, prev=60)
    estimate(world.border_commune, rt=None, reliable=False, cases_7d=3, prev=1)
    estimate(world.district, rt=1.1, cases_7d=113, prev=101)
    estimate(world.province, rt=1.1, cases_7d=113, prev=101)
    estimate(world.far_commune, rt=2.0, cases_7d=500, prev=100)
    projection(world.commune)
    projection(world.commune, method=Method.NAIVE, growth=1.0)
    scores(world.commune)
    runout(world.commune, subject="Trạm Y tế Đức Hạnh: giường điều trị", days=5, early=3)
    runout(world.commune, RunoutKind.QUARANTINE, "unit:25228:quarantine", subject="Cách ly Đức Hạnh", days=0, early=0)
    runout(world.other_commune, RunoutKind.LAB, "lab:1", subject="Xét nghiệm Phú Văn", days=None, early=20)
    runout(world.district, RunoutKind.SCENARIO_100, "unit:691:100", subject="Bù Gia Mập: 100 ca", days=9, early=6)
    runout(world.far_commune, RunoutKind.BEDS, "facility:9:icu", subject="Bệnh viện xa", days=1, early=1)
    return out


# -- realistic rows from the real 2021 series (for the browser test and the screenshots) ----------------

REAL_DAY = date(2021, 11, 20)
REAL_CSV = "../shared/data/vn-covid-2021/cases_daily.csv"


def _real_series(province_code: str = "70", first: date = date(2021, 7, 1), last: date = REAL_DAY):
    import csv
    from pathlib import Path

    candidates = [Path(REAL_CSV), Path("/work/shared/data/vn-covid-2021/cases_daily.csv")]
    path = next((p for p in candidates if p.exists()), None)
    if path is None:
        return None
    values = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["province_code"] == province_code:
                values[date.fromisoformat(row["date"])] = int(row["new_cases"] or 0)
    days = (last - first).days + 1
    return [first + timedelta(days=i) for i in range(days)], [
        values.get(first + timedelta(days=i), 0) for i in range(days)
    ]


def build_real(world, tally):
    """Bình Phước's real daily cases of 2021 up to 20/11/2021, thinned onto the three communes of the test
    world (12%, 5%, 2%), their district the sum, the province the whole series; Rt, projections, scores and
    demand computed by ``forecast.rules`` (as the nightly run would), tallies for the observed curve, and a
    few thresholds.  Returns the as-of day, or None when the data set is not on this machine."""
    import numpy as np

    from chongdich.forecast import rules

    found = _real_series()
    if found is None:
        return None
    days, province = found
    rng = np.random.default_rng(7)
    series = np.asarray(province, dtype=float)
    communes = [rng.binomial(series.astype(int), share).astype(float) for share in (0.12, 0.05, 0.02)]
    district = sum(communes)
    units = [world.province, world.district, world.commune, world.other_commune, world.border_commune]
    local = np.vstack([series, district, *communes])
    cfg = rules.config()
    rt = rules.estimate_rt(local, cfg=cfg)
    n = len(days)
    for j, unit in enumerate(units):
        for i in range(n - 60, n):
            row = Estimate(
                day=days[i],
                tier=unit.level,
                window=cfg.window,
                cases_window=int(rt.cases_window[j, i]),
                reliable=bool(rt.reliable[j, i]),
                rt_mean=_f(rt.mean[j, i]),
                rt_lo=_f(rt.lo[j, i]),
                rt_hi=_f(rt.hi[j, i]),
                p_below_1=_f(rt.p_below_1[j, i]),
                growth_rate=_f(rt.growth_rate[j, i]),
                doubling_days=_f(rt.doubling_days[j, i]),
                cases_7d=int(local[j, i - 6 : i + 1].sum()),
                cases_prev_7d=int(local[j, i - 13 : i - 6].sum()),
                growth_wow=_growth(local[j, i - 6 : i + 1].sum(), local[j, i - 13 : i - 6].sum()),
                active=int(local[j, i - 13 : i + 1].sum()),
                config_version=cfg.version,
            )
            row.place_in(unit)
            row.save()
    for j, unit in enumerate(units[2:], start=2):
        for i, day in enumerate(days[-40:]):
            value = int(local[j, n - 40 + i])
            if value:
                tally(unit, day, cases_new_community=value)
    quantiles = rules.project(local, cfg=cfg, horizon=28)
    baseline = rules.naive(local, horizon=28)
    current = local[:, -14:].sum(axis=1)
    for j, unit in enumerate(units):
        for method, q in ((Method.RENEWAL, quantiles), (Method.NAIVE, baseline)):
            paths = {f"q{int(p * 100):02d}": [float(v) for v in q[j, k]] for k, p in enumerate(rules.QUANTILES)}
            demand = {}
            for key, share_key, stay in (
                ("treatment", "treatment", "treatment"),
                ("oxygen", "oxygen", "oxygen"),
                ("icu", "icu", "icu"),
                ("active", None, "active"),
            ):
                share = cfg.shares[share_key] if share_key else 1.0
                demand[key] = {
                    level: [
                        float(v)
                        for v in rules.occupancy(
                            current[j : j + 1] * share, q[j : j + 1, k] * share, cfg.stay_days[stay]
                        )[0]
                    ]
                    for level, k in (("q50", 2), ("q95", 4))
                }
            demand["quarantine"] = {
                level: [
                    float(v)
                    for v in rules.occupancy(
                        current[j : j + 1] * cfg.f1_per_case, q[j : j + 1, k] * cfg.f1_per_case, 14
                    )[0]
                ]
                for level, k in (("q50", 2), ("q95", 4))
            }
            demand["tests"] = {
                level: [float(v) * cfg.tests_per_case for v in q[j, k]] for level, k in (("q50", 2), ("q95", 4))
            }
            row = Projection(
                as_of=REAL_DAY, method=method, horizon=28, quantiles=paths, demand=demand, config_version=cfg.version
            )
            row.place_in(unit)
            row.save()
    for lead in (7, 14):
        for back in range(28):
            t = n - 1 - back
            made = t - lead
            for method in (Method.RENEWAL, Method.NAIVE):
                past = local[:, : made + 1]
                q = (
                    rules.project(past, cfg=cfg, horizon=lead)
                    if method == Method.RENEWAL
                    else rules.naive(past, horizon=lead)
                )
                scored = rules.score(q[:, :, lead - 1], local[:, t])
                for j, unit in enumerate(units):
                    row = Score(
                        made_on=days[made],
                        lead=lead,
                        method=method,
                        target_day=days[t],
                        observed=int(local[j, t]),
                        median=float(q[j, 2, lead - 1]),
                        abs_error=float(scored.abs_error[j]),
                        in_50=bool(scored.in_50[j]),
                        in_90=bool(scored.in_90[j]),
                        wis=float(scored.wis[j]),
                    )
                    row.place_in(unit)
                    row.save()
    runout(world.commune, subject="Trạm Y tế Đức Hạnh: giường điều trị", days=4, early=2, as_of=REAL_DAY)
    runout(
        world.commune,
        RunoutKind.QUARANTINE,
        "unit:25228:quarantine",
        subject="Khu cách ly xã Đức Hạnh",
        days=9,
        early=6,
        as_of=REAL_DAY,
    )
    runout(
        world.district,
        RunoutKind.SCENARIO_500,
        "unit:691:500",
        subject="Huyện Bù Gia Mập: 500 ca",
        days=12,
        early=8,
        as_of=REAL_DAY,
    )
    runout(
        world.district,
        RunoutKind.SCENARIO_100,
        "unit:691:100",
        subject="Huyện Bù Gia Mập: 100 ca",
        days=0,
        early=0,
        as_of=REAL_DAY,
    )
    runout(
        world.other_commune,
        RunoutKind.LAB,
        "lab:2",
        subject="Phòng xét nghiệm TTYT Bù Gia Mập",
        days=None,
        early=21,
        as_of=REAL_DAY,
    )
    runout(
        world.border_commune,
        RunoutKind.VACCINE,
        "lot:7@site:2",
        subject="Lô AZ-PM-1 tại Trạm Y tế Bù Gia Mập",
        days=17,
        early=11,
        as_of=REAL_DAY,
    )
    return REAL_DAY


def _f(value) -> float | None:
    return None if value != value else float(value)  # NaN → None


def _growth(now: float, before: float) -> float | None:
    return None if not before else float((now - before) / before)
