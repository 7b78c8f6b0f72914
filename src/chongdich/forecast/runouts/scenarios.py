"""The district scenario switches: the days until a district's active cases reach 100 and 500 (the
thresholds at which the province's response scenarios change), by the projected active cases
(``Projection.demand["active"]``).  Active cases now are the tallies' stock (the running sum of the
active-case fields up to the day, every commune of the district), read in one grouped query."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from django.db.models import Sum
from django.urls import reverse

from chongdich.forecast.models import RunoutKind
from chongdich.forecast.runouts.common import Day, district_path, runout
from chongdich.forecast.runouts.paths import both_crossings, rounded
from chongdich.tallies.models import ACTIVE_FIELDS, DailyTally

SWITCHES = ((100, RunoutKind.SCENARIO_100), (500, RunoutKind.SCENARIO_500))


def active_by_district(day) -> dict[str, int]:
    """Active cases at the end of ``day`` per district path (sums of the communes' running sums)."""
    totals: dict[str, int] = defaultdict(int)
    rows = (
        DailyTally.objects.filter(day__lte=day)
        .values("unit_path")
        .annotate(**{f: Sum(f) for f in ACTIVE_FIELDS})
        .order_by()
    )
    for row in rows:
        if row["unit_path"].count("/") >= 3:  # a district or below
            totals[district_path(row["unit_path"])] += sum(row[f] or 0 for f in ACTIVE_FIELDS)
    return totals


def rows(ctx: Day) -> list:
    districts = sorted(ctx.districts(), key=lambda p: p.place.unit_path)
    if not districts:
        return []
    active = active_by_district(ctx.day)
    width = ctx.horizon
    current = [active.get(p.place.unit_path, 0) for p in districts]
    q50 = np.array([p.path("active", "q50", width) for p in districts]).reshape(len(districts), -1)
    q95 = np.array([p.path("active", "q95", width) for p in districts]).reshape(len(districts), -1)
    out = []
    for threshold, kind in SWITCHES:
        days, early = both_crossings(current, [threshold] * len(districts), q50, q95)
        for i, projected in enumerate(districts):
            place = projected.place
            out.append(
                runout(
                    ctx.day,
                    kind,
                    place,
                    subject=place.name,
                    ref=f"unit:{place.unit_path.strip('/')}",
                    link=reverse("territory:detail", args=[place.code]),
                    capacity=threshold,
                    current=current[i],
                    days=days[i],
                    early=early[i],
                    detail={
                        "measure": "active",
                        "projection": "active" in projected.demand,
                        "q50": rounded(q50[i]),
                        "q95": rounded(q95[i]),
                    },
                )
            )
    return out
