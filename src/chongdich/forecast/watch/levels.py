"""A commune's, district's or province's level rises.

Each assessment row carries the unit's publication state (``risk.models.LEVEL_STATE_FIELDS``): the
level in force and an announced change still to come.  The level a unit is *heading to* after a day's
assessment is the announced one when there is one, else the one in force.  A rise is a day whose
heading level is more severe (by colour: 2686 numbers its levels 0–3, NQ 128 1–4) than the one of the
unit's previous assessment day — a higher level announced, or, without a notice period, put in force at
once.  A fall, the same level and a unit's very first level send nothing.

Key: the announcement (unit, framework, level, the moment it takes effect), so the notice is sent once
however often the day is assessed again or fired; a rise cancelled and announced again later is a new
announcement, and a new notice.  Two queries (the day's rows, the previous day's).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.urls import reverse

from chongdich.forecast.watch import kinds
from chongdich.forecast.watch.base import Candidate, moment_text, units_by_id
from chongdich.risk.models import RiskAssessment, Tier
from chongdich.risk.rules.levels import COLOURS, scale

TIERS = (Tier.COMMUNE, Tier.DISTRICT, Tier.PROVINCE)
FIELDS = (
    "in_force_framework",
    "in_force_level",
    "in_force_since",
    "pending_framework",
    "pending_level",
    "pending_from",
)


def heading(in_fw, in_level, in_since, p_fw, p_level, p_from) -> tuple[str, int, int, datetime | None] | None:
    """(framework, level, severity rank 0–3, effective from) of the level the unit is heading to."""
    framework, level, since = (p_fw, p_level, p_from) if p_level is not None else (in_fw, in_level, in_since)
    if level is None or not framework:
        return None
    try:
        levels = scale(framework)
    except ValueError:
        return None
    if not levels.valid(level):
        return None
    return framework, level, level - levels.lowest, since


def previous_day(day: date) -> date | None:
    return RiskAssessment.objects.filter(day__lt=day).order_by("-day").values_list("day", flat=True).first()


def key(code: str, framework: str, level: int, since: datetime | None, day: date) -> str:
    start = since.astimezone(UTC).strftime("%Y%m%dT%H%M%S") if since else day.isoformat()
    return f"level:{code}:{framework}:{level}:{start}"


def candidates(day: date) -> list[Candidate]:
    before = previous_day(day)
    if before is None:
        return []
    today_rows = list(
        RiskAssessment.objects.filter(day=day, unit__isnull=False, tier__in=TIERS).values_list(
            "unit_id", "code", "name", *FIELDS
        )
    )
    if not today_rows:
        return []
    previous = {
        code: heading(*state)
        for code, *state in RiskAssessment.objects.filter(day=before, unit__isnull=False, tier__in=TIERS).values_list(
            "code", *FIELDS
        )
    }
    rises = []
    for unit_id, code, name, *state in today_rows:
        now, then = heading(*state), previous.get(code)
        if now is None or then is None or now[2] <= then[2]:
            continue
        rises.append((unit_id, code, name, then, now))
    units = units_by_id(unit_id for unit_id, *_rest in rises)
    found = []
    for unit_id, code, name, then, now in rises:
        unit = units.get(unit_id)
        if unit is None:
            continue
        framework, level, rank, since = now
        found.append(
            Candidate(
                kinds.LEVEL_RISE.code,
                unit,
                key(code, framework, level, since, day),
                {
                    "unit": name,
                    "old": {"msgid": COLOURS[then[2]]},
                    "new": {"msgid": COLOURS[rank]},
                    "start": moment_text(since),
                    "framework": framework,
                    "old_level": then[1],
                    "new_level": level,
                },
                link=reverse("risk:unit", args=[code]),
                severity="danger" if rank == len(COLOURS) - 1 else "warning",
                day=day,
            )
        )
    return found
