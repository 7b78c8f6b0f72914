"""Lab capacity: each active lab's RT-PCR samples a day (``Lab.daily_capacity``) against its share of
the projected tests a day of its catchment (``Projection.demand["tests"]``).

The catchment follows the beds' rule (``beds`` module): a lab in a district (at the district or at one
of its communes) serves that district; a lab at the province's own level serves every district of the
province.  Each district's projected tests are shared among the labs that serve it by their daily
capacity, so two labs of one district are not each expected to run the district's every test, and a
provincial lab carries its share of each district (all of a district's tests when it has no lab of its
own).  Tests are a flow: the projected load is the share of the day's tests, compared with the capacity
(at or over = exceeded).  "Now" is the samples the lab received on the day (``testing.selectors.lab_counts``).
A lab without RT-PCR capacity has no row.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from django.urls import reverse

from chongdich.forecast.models import RunoutKind
from chongdich.forecast.runouts.beds import code_of
from chongdich.forecast.runouts.common import Day, Place, district_path, is_province_level, province_path, runout
from chongdich.forecast.runouts.paths import both_crossings, rounded
from chongdich.testing.models import Lab
from chongdich.testing.selectors import lab_counts


def rows(ctx: Day) -> list:
    labs = list(
        Lab.objects.filter(active=True, daily_capacity__gt=0)
        .only("pk", "name", "daily_capacity", "unit_id", "unit_path", "province_code", "commune_code")
        .order_by("unit_path", "name", "pk")
    )
    if not labs:
        return []
    width = ctx.horizon
    own: dict[str, int] = defaultdict(int)
    pool: dict[str, int] = defaultdict(int)
    for lab in labs:
        if is_province_level(lab.unit_path):
            pool[lab.unit_path] += lab.daily_capacity
        else:
            own[district_path(lab.unit_path)] += lab.daily_capacity
    tests = {p.place.unit_path: (p.path("tests", "q50", width), p.path("tests", "q95", width)) for p in ctx.districts()}
    loads50, loads95, details = [], [], []
    for lab in labs:
        if is_province_level(lab.unit_path):
            served = sorted(
                d for d in tests if province_path(d) == lab.unit_path and own.get(d, 0) + pool[lab.unit_path] > 0
            )
            shares = {d: lab.daily_capacity / (own.get(d, 0) + pool[lab.unit_path]) for d in served}
            projected = [d for d in served if not np.isnan(tests[d][0]).all()]
            if projected:
                load50 = np.nansum([shares[d] * tests[d][0] for d in projected], axis=0)
                load95 = np.nansum([shares[d] * tests[d][1] for d in projected], axis=0)
            else:
                load50 = load95 = np.full(width, np.nan)
            detail = {
                "catchment": code_of(lab.unit_path),
                "shares": {code_of(d): round(shares[d], 4) for d in served},
                "projection": bool(projected),
            }
        else:
            d = district_path(lab.unit_path)
            serving = own[d] + pool.get(province_path(d), 0)
            share = lab.daily_capacity / serving
            q50, q95 = tests.get(d, (np.full(width, np.nan), np.full(width, np.nan)))
            load50, load95 = share * q50, share * q95
            detail = {
                "catchment": code_of(d),
                "share": round(share, 4),
                "serving_capacity": serving,
                "projection": d in tests,
            }
        loads50.append(load50)
        loads95.append(load95)
        details.append(detail)
    q50, q95 = np.array(loads50), np.array(loads95)
    received = lab_counts(labs, ctx.day)
    current = [received[lab.pk][0] for lab in labs]
    capacity = [lab.daily_capacity for lab in labs]
    days, early = both_crossings(current, capacity, q50, q95)
    return [
        runout(
            ctx.day,
            RunoutKind.LAB,
            Place(lab.unit_id, lab.unit_path, lab.province_code, lab.commune_code or "", lab.name),
            subject=lab.name,
            ref=f"lab:{lab.pk}",
            link=reverse("testing:lab", args=[lab.pk]),
            capacity=capacity[i],
            current=current[i],
            days=days[i],
            early=early[i],
            detail=details[i] | {"measure": "tests", "q50": rounded(q50[i]), "q95": rounded(q95[i])},
        )
        for i, lab in enumerate(labs)
    ]
