"""Rt above 1 with confidence, per commune and district.

The night's ``Estimate`` of a unit counts when it is reliable (enough cases in the window), its mean is
above 1 and P(Rt < 1) ≤ 1 − ``alert_probability`` (the province's setting, 0.95 by default): Rt is above 1
with at least that probability.

Key: ``rt:<unit code>:<day>``.  A unit is sent the day the condition first holds, and again on a later
day only when no notice of it is keyed on the six days before (``base.reminded``): at most once a week
while it lasts, so a leader is reminded weekly, never daily, and a condition that flickers on and off is
not sent each time it comes back.  Three queries: the day's estimates, the province settings, the
reminders.
"""

from __future__ import annotations

from datetime import date

from django.urls import NoReverseMatch, reverse

from chongdich.forecast.models import Estimate
from chongdich.forecast.watch import kinds
from chongdich.forecast.watch.base import Candidate, day_key, reminded, settings_by_province, units_by_id
from chongdich.territory.models import Level

TIERS = (Level.COMMUNE, Level.DISTRICT)
EPSILON = 1e-9  # 1 − 0.95 is 0.050000000000000044 in floating point


def unit_link(code: str) -> str:
    """The unit's forecast page (the risk page of the unit until the forecast pages are there)."""
    try:
        return reverse("forecast:unit", args=[code])
    except NoReverseMatch:
        return reverse("risk:unit", args=[code])


def prefix(code: str) -> str:
    return f"rt:{code}"


def confident(p_below_1: float | None, alert_probability: float) -> bool:
    return p_below_1 is not None and p_below_1 <= 1.0 - alert_probability + EPSILON


def candidates(day: date) -> list[Candidate]:
    rows = list(
        Estimate.objects.filter(
            day=day, tier__in=TIERS, reliable=True, rt_mean__gt=1.0, p_below_1__isnull=False
        ).values_list("unit_id", "unit__code", "unit__name", "province_code", "rt_mean", "rt_lo", "rt_hi", "p_below_1")
    )
    settings_of = settings_by_province(day)
    hits = [row for row in rows if confident(row[7], settings_of(row[3]).alert_probability)]
    if not hits:
        return []
    recent = reminded((prefix(row[1]) for row in hits), day)
    hits = [row for row in hits if prefix(row[1]) not in recent]
    units = units_by_id(row[0] for row in hits)
    return [
        Candidate(
            kinds.RT_ABOVE_ONE.code,
            units[unit_id],
            day_key(prefix(code), day),
            {
                "unit": name,
                "rt": f"{rt:.2f}",
                "lo": f"{lo:.2f}" if lo is not None else "…",
                "hi": f"{hi:.2f}" if hi is not None else "…",
                "probability": round((1.0 - p_below_1) * 100),
            },
            link=unit_link(code),
            day=day,
        )
        for unit_id, code, name, _province, rt, lo, hi, p_below_1 in hits
        if unit_id in units
    ]
