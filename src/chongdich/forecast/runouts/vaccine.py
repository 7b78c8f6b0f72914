"""Vaccine stock by lot at each site: the stock page's lines (``vaccination.selectors.stock.stock_lines``:
what came in and went out, the doses given, the doses given in the last seven days), and from them the
day each lot runs out at the rate of the last seven days.

``days`` is the stock page's "days left" (doses on hand × 7 ÷ doses given in the last 7 days, whole
days), so the two pages agree; ``days_early`` is the same at the fastest plausible pace (the upper 95%
bound of that rate, a Poisson count of the seven days); both null beyond the horizon or without any dose
given in the last seven days (no pace: the lot is not being used).  ``capacity`` is the doses on hand,
``current`` the doses given in the last seven days.  A lot that expires before it is used up says so
in ``detail`` (``expires_first``, the doses left on the expiry day at the median pace).  Lines with
nothing on hand, lots already expired (the stock page flags them) and inactive sites have no row.
"""

from __future__ import annotations

from django.urls import reverse

from chongdich.forecast.models import RunoutKind
from chongdich.forecast.runouts.common import Day, Place, runout
from chongdich.forecast.runouts.paths import NEVER, lasts, rate_upper, rounded, stock_path
from chongdich.vaccination.models import Site
from chongdich.vaccination.selectors.stock import RATE_DAYS, days_left, stock_lines


def rows(ctx: Day) -> list:
    horizon = ctx.horizon
    out = []
    for line in stock_lines(Site.objects.filter(active=True), today=ctx.day):
        on_hand = line.on_hand
        if on_hand <= 0 or line.lot.expires_on < ctx.day:
            continue
        rate = line.given_recent / RATE_DAYS
        fast = rate_upper(line.given_recent, RATE_DAYS)
        left = days_left(on_hand, line.given_recent)
        early = lasts(on_hand, fast)
        days = NEVER if left is None or left > horizon else left
        early = NEVER if early is None or early > horizon else early
        if days != NEVER and (early == NEVER or early > days):
            early = days
        to_expiry = (line.lot.expires_on - ctx.day).days
        expires_first = left is None or to_expiry < left
        site, lot = line.site, line.lot
        out.append(
            runout(
                ctx.day,
                RunoutKind.VACCINE,
                Place(site.unit_id, site.unit_path, site.province_code, site.commune_code or "", site.name),
                subject=f"{site.name} · {line.product_name} {lot.number}",
                ref=f"lot:{lot.pk}@site:{site.pk}",
                link=reverse("vaccination:site", args=[site.pk]),
                capacity=on_hand,
                current=line.given_recent,
                days=days,
                early=early,
                detail={
                    "measure": "doses",
                    "product": line.product,
                    "lot": lot.number,
                    "on_hand": on_hand,
                    "given_7d": line.given_recent,
                    "rate_per_day": round(rate, 2),
                    "rate_fast": round(fast, 2),
                    "days_left": left,
                    "expires_on": lot.expires_on.isoformat(),
                    "expires_first": expires_first,
                    "left_at_expiry": max(int(round(on_hand - rate * to_expiry)), 0) if expires_first else 0,
                    "q50": rounded(stock_path(on_hand, rate, horizon)),
                    "q95": rounded(stock_path(on_hand, fast, horizon)),
                },
            )
        )
    return out
