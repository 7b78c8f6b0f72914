"""The demo's forecasts: the nightly run (``forecast.nightly.run_forecast``) replayed for the last days
of the demo, as if the system had run every night of the autumn wave.

So the demo opens with an Rt history on the forecast pages, with projections made 7 and 14 days
earlier already scored against what happened (the accuracy the pages show next to the naive forecast),
with what runs out first and with the alerts the run raised.  Each run is the production one, for every
unit of the country (most without a case: they cost nothing), replacing its day's rows: calling this
again rewrites the same days.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta

from chongdich.forecast.models import Estimate, Projection, Runout, RunStatus, Score
from chongdich.forecast.nightly import run_forecast

# Five weeks when time allows: four weeks of Rt history on the charts, the 7- and 14-day scores of three.
DAYS = 35
# Extra seconds the demo may spend filling the nights between the weekly ones (each night is a full run
# of the country; on a busy laptop one takes tens of seconds, on a quiet server a few).
BACKFILL_SECONDS = 60


def nights(today: date, days: int) -> list[date]:
    """The nights that must run, oldest first: today and one and two weeks before (today's projections
    made 7 and 14 days earlier are then scored)."""
    return sorted(today - timedelta(days=back) for back in (0, 7, 14) if back < days)


def generate_forecasts(
    today: date, days: int = DAYS, say: Callable[[str], None] = print, backfill_seconds: float = BACKFILL_SECONDS
) -> dict:
    """Run the nightly forecast for today and one and two weeks before, then for the other nights of the
    ``days`` days ending on ``today`` as far back as ``backfill_seconds`` allows (measured on the first
    runs), oldest first: a day's scores read the projections made 7 and 14 days before it."""
    started = time.perf_counter()
    first = today - timedelta(days=days - 1)
    weekly = nights(today, days)
    failed = 0
    for day in weekly:
        run = run_forecast(day)
        failed += run.status != RunStatus.DONE
        say(f"  forecast {day:%d/%m}: {run.seconds or 0:.1f} s")
    per_run = (time.perf_counter() - started) / len(weekly)
    between = [first + timedelta(days=n) for n in range(days) if first + timedelta(days=n) not in weekly]
    # the nights between, the most recent first when time runs short (the latest Rt history matters most)
    affordable = min(len(between), int(max(0.0, backfill_seconds) // max(per_run, 0.001)))
    for day in between[len(between) - affordable :]:
        run = run_forecast(day)
        failed += run.status != RunStatus.DONE
    seconds = time.perf_counter() - started
    ran = len(weekly) + affordable
    result = {
        "runs": ran,
        "failed": failed,
        "estimates": Estimate.objects.filter(day__range=(first, today), reliable=True).count(),
        "projections": Projection.objects.filter(as_of=today).count(),
        "scores": Score.objects.filter(target_day__range=(first, today)).count(),
        "runouts": Runout.objects.filter(as_of=today, days__isnull=False).count(),
        "seconds": round(seconds, 1),
    }
    say(
        f"forecasts: {ran} nightly runs between {first:%d/%m} and {today:%d/%m/%Y} in {seconds:.0f} s "
        f"({per_run:.1f} s a run; {result['estimates']:,} reliable Rt estimates, {result['scores']:,} scores, "
        f"{result['runouts']} thresholds within the horizon)"
    )
    return result
