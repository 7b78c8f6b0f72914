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
