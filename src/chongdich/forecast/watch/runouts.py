"""Something runs out: a facility's beds of a type, an area's quarantine places, a lab's daily capacity,
a vaccine lot at a site, a district's scenario threshold — from the day's ``Runout`` rows.

A row counts when its median projection crosses the threshold within the province's ``alert_days``
(7 by default): ``0 < days ≤ alert_days`` is "projected" (warning), ``days == 0`` is "already there"
(danger, a more urgent notice of its own).

Key: ``runout:<threshold kind>:<subject_ref>:<soon|full>:<day>``.  Sent the day it first holds, then at
most once a week while it lasts (``base.reminded``); filling up is a new state, so "already full" is
sent even in the week a "projected full" was.  Three queries: the day's rows, the province settings,
the reminders.
"""

from __future__ import annotations

from datetime import date, timedelta

from chongdich.forecast.models import Runout, RunoutKind
from chongdich.forecast.watch import kinds
from chongdich.forecast.watch.base import Candidate, day_key, day_text, reminded, settings_by_province

KIND_OF = {
    RunoutKind.BEDS: kinds.RUNOUT_BEDS,
    RunoutKind.QUARANTINE: kinds.RUNOUT_QUARANTINE,
    RunoutKind.LAB: kinds.RUNOUT_LAB,
    RunoutKind.VACCINE: kinds.RUNOUT_VACCINE,
    RunoutKind.SCENARIO_100: kinds.RUNOUT_SCENARIO,
    RunoutKind.SCENARIO_500: kinds.RUNOUT_SCENARIO,
}


def state(days: int) -> str:
    return "full" if days <= 0 else "soon"


def prefix(row: Runout) -> str:
    return f"runout:{row.kind}:{row.subject_ref}:{state(row.days)}"


def candidates(day: date) -> list[Candidate]:
    rows = list(
        Runout.objects.filter(as_of=day, days__isnull=False, kind__in=list(KIND_OF))
        .select_related("unit")
        .order_by("days", "kind", "subject_ref")
    )
    settings_of = settings_by_province(day)
    hits = [row for row in rows if row.days <= settings_of(row.province_code).alert_days]
    if not hits:
        return []
    recent = reminded((prefix(row) for row in hits), day)
    found = []
    for row in hits:
        if prefix(row) in recent:
            continue
        on = row.on_day or day + timedelta(days=row.days)
        early = day + timedelta(days=row.days_early) if row.days_early is not None else None
        found.append(
            Candidate(
                KIND_OF[row.kind].code,
                row.unit,
                day_key(prefix(row), day),
                {
                    "subject": row.subject,
                    "on": day_text(on),
                    "earliest": day_text(early),
                    "days": row.days,
                    "current": row.current,
                    "capacity": row.capacity,
                },
                link=row.link if row.link.startswith("/") else "",
                severity="danger" if row.days <= 0 else "warning",
                day=day,
            )
        )
    return found
