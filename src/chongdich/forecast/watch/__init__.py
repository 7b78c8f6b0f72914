"""The watch: rules that turn what the forecasts and the other apps found into notices that reach people.

    fire(day) -> int             # every rule for the day (the nightly run, after the runouts); idempotent
    fire_often(now=None) -> int  # the other apps' alerts only (every 15 minutes: forecast.tasks.watch_often)
    fire_levels(day) -> int      # the level rises only (after each risk assessment: risk.signals.day_assessed)

Daily rules read the day's stored rows (assessments, estimates, runouts); the frequent ones read the
current state of other apps' records (open alerts, overdue trips and tasks, unacknowledged serious
reactions).  Each rule returns candidate notices with a stable key (``docs/forecast/alerts.md`` lists
them): a key already published is skipped, so a re-run — or two runs at once — publishes nothing new.
A rule that fails is logged and the others still run; what it missed is published by the next run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from chongdich.core import clock
from chongdich.forecast.watch import aefi, arrivals, care, levels, response, rt, runouts, trips
from chongdich.forecast.watch.base import Candidate, log, publish_new

# name -> candidates(day)
DAILY: dict[str, Callable[[date], list[Candidate]]] = {
    "levels": levels.candidates,
    "rt": rt.candidates,
    "runouts": runouts.candidates,
}
# name -> candidates(now)
OFTEN: dict[str, Callable[[datetime], list[Candidate]]] = {
    "trips": trips.candidates,
    "movement": arrivals.candidates,
    "aefi": aefi.candidates,
    "tasks": response.candidates,
    "care": care.candidates,
}


def _run(name: str, make: Callable[[], list[Candidate]], report: dict) -> None:
    try:
        report[name] = publish_new(make())
    except Exception as error:  # one rule's failure must not silence the others; the next run retries
        log.exception("watch rule %s failed", name)
        report.setdefault("errors", {})[name] = f"{type(error).__name__}: {error}"[:300]


def fire_report(day: date | None = None, *, often: bool = True) -> dict:
    """Run the daily rules for ``day`` (default today), and the frequent ones as of now when ``often``;
    ``{rule: notices created, …, "errors": {rule: message}}`` (no "errors" when every rule ran)."""
    day = day or clock.today()
    report: dict = {}
    for name, make in DAILY.items():
        _run(name, lambda make=make: make(day), report)
    if often:
        now = clock.now()
        for name, make in OFTEN.items():
            _run(name, lambda make=make: make(now), report)
    return report


def often_report(now: datetime | None = None) -> dict:
    now = now or clock.now()
    report: dict = {}
    for name, make in OFTEN.items():
        _run(name, lambda make=make: make(now), report)
    return report


def created(report: dict) -> int:
    return sum(value for name, value in report.items() if name != "errors")


def fire(day: date | None = None) -> int:
    """Every rule for ``day``: the notices created (0 on a re-run)."""
    return created(fire_report(day))


def fire_often(now: datetime | None = None) -> int:
    """The other apps' alerts as of ``now``: the notices created."""
    return created(often_report(now))


def fire_levels(day: date) -> int:
    report: dict = {}
    _run("levels", lambda: levels.candidates(day), report)
    return created(report)


def on_day_assessed(sender, day, **kwargs) -> None:
    """``risk.signals.day_assessed``: level rises are sent as soon as the day's levels are stored."""
    fire_levels(day)
