"""Reading published levels.  Levels are public information (reference data like the units):
any role with ``units.view`` may read them everywhere.

For other apps (dashboard, map, reports)::

    levels_on(day=None, *, at=None, tier=None) -> {unit_id: UnitLevel(level, colour)}   # in force
    published(day=None, *, parent=None) -> list[PublishedLevel]     # a unit's sub-units (or provinces)
    published_level(code, day=None) -> PublishedLevel | None
    history(code, *, days=180) -> list[Period]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.utils import timezone

from chongdich.core import clock
from chongdich.core.text import fold
from chongdich.risk.models import NATION_CODE, RiskAssessment, level_label
from chongdich.risk.rules import scale


class UnitLevel(NamedTuple):
    level: int | None
    colour: str | None


def colour_of(framework: str, level: int | None) -> str | None:
    return None if level is None or not framework else scale(framework).colour(level)


def moment(day: date | None = None) -> tuple[date, datetime]:
    """(day, time) at which levels are read: now for today, the end of a past day."""
    today = clock.today()
    day = day or today
    if day >= today:
        return day, clock.now()
    return day, timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def latest_run_day(on: date) -> date | None:
    return RiskAssessment.objects.filter(day__lte=on).order_by("-day").values_list("day", flat=True).first()


def levels_on(day: date | None = None, *, at: datetime | None = None, tier: str | None = None) -> dict[int, UnitLevel]:
    """Level in force (after the notice period) of every assessed unit on ``day`` (default today):
    ``{unit_id: UnitLevel(level, colour)}``; level and colour are None when the unit has no level
    yet.  The nation (no unit id) is left out.  Two queries."""
    day, default_at = moment(day)
    at = at or default_at
    run = latest_run_day(day)
    if run is None:
        return {}
    rows = RiskAssessment.objects.filter(day=run, unit__isnull=False)
    if tier:
        rows = rows.filter(tier=tier)
    result = {}
    for unit_id, in_fw, in_level, p_fw, p_level, p_from in rows.values_list(
        "unit_id", "in_force_framework", "in_force_level", "pending_framework", "pending_level", "pending_from"
    ):
        framework, level = (p_fw, p_level) if p_from is not None and p_from <= at else (in_fw, in_level)
        result[unit_id] = UnitLevel(level, colour_of(framework, level))
    return result


@dataclass
class PublishedLevel:
    """One unit's assessment row read at a moment: the level in force then, the level assessed, and
    a change announced but not yet in force."""

    row: RiskAssessment
    at: datetime
    framework: str  # of the level in force
    level: int | None
    since: datetime | None
    pending: tuple[str, int, datetime] | None  # (framework, level, from)

    @property
    def colour(self) -> str | None:
        return colour_of(self.framework, self.level)

    @property
    def code(self) -> str:
        return self.row.code

    def label(self, lang: str = "vi") -> str:
        return level_label(self.framework, self.level, lang)

    def name(self, lang: str = "vi") -> str | None:
        if self.level is None:
            return None
        levels = scale(self.framework)
        return levels.name_en(self.level) if lang == "en" else levels.name_vi(self.level)

    def reasons(self, lang: str = "vi") -> list[str]:
        key = "en" if lang == "en" else "vi"
        return [f"{reason['rule']}: {reason[key]}" for reason in self.row.reasons]


def read(row: RiskAssessment, at: datetime) -> PublishedLevel:
    framework, level = row.level_at(at)
    return PublishedLevel(row, at, framework, level, row.since_at(at), row.pending_at(at))


def published_level(code: str, day: date | None = None) -> PublishedLevel | None:
    """The unit's latest assessment up to ``day`` (default today), read at that moment."""
    day, at = moment(day)
    row = RiskAssessment.objects.filter(code=code, day__lte=day).order_by("-day").first()
    return None if row is None else read(row, at)


def published(day: date | None = None, *, parent=None) -> list[PublishedLevel]:
    """The sub-units of ``parent`` (an AdminUnit; None: the nation and the provinces) from the
    latest run up to ``day``, by name (without diacritics, so Đ comes with D)."""
    day, at = moment(day)
    run = latest_run_day(day)
    if run is None:
        return []
    rows = RiskAssessment.objects.filter(day=run)
    if parent is None:
        rows = rows.filter(tier__in=["province", "nation"])
    else:
        rows = rows.filter(unit__parent=parent)
    items = [read(row, at) for row in rows]
    items.sort(key=lambda item: (TIER_RANK.get(item.row.tier, 0), fold(item.row.name)))
    return items


TIER_RANK = {"nation": 0, "province": 1, "district": 2, "commune": 3}
SEVERITY = {"red": 0, "orange": 1, "yellow": 2, "green": 3}


def by_severity(items: list[PublishedLevel]) -> list[PublishedLevel]:
    """Highest level in force first (units without a level last), then by name."""
    return sorted(
        items,
        key=lambda item: (TIER_RANK.get(item.row.tier, 0), SEVERITY.get(item.colour or "", 4), fold(item.row.name)),
    )


@dataclass
class Period:
    """A level a unit was (or will be) under, with its announcement and its dates."""

    framework: str
    level: int
    announced_at: datetime
    effective_from: datetime
    effective_to: datetime | None
    first_day: date
    last_day: date
    computed_level: int | None

    @property
    def colour(self) -> str:
        return scale(self.framework).colour(self.level)

    announced_only: bool = False  # announced, not in force yet at the moment read

    @property
    def cancelled(self) -> bool:
        return self.effective_to is not None and self.effective_to <= self.effective_from

    def label(self, lang: str = "vi") -> str:
        return level_label(self.framework, self.level, lang)


def history(code: str, *, days: int = 180, day: date | None = None) -> list[Period]:
    """Level periods of a unit (by code; the nation is "VN"), newest first, from its assessments
    of the last ``days`` days."""
    day, at = moment(day)
    rows = RiskAssessment.objects.filter(code=code, day__lte=day).order_by("day")
    if days:
        rows = rows.filter(day__gt=day - timedelta(days=days))
    periods: list[Period] = []
    current: dict[tuple, Period] = {}
    for framework, level, computed, announced, start, end, on in rows.exclude(applied_level=None).values_list(
        "framework", "applied_level", "computed_level", "announced_at", "effective_from", "effective_to", "day"
    ):
        key = (framework, level, start)
        period = current.get(key)
        if period is None:
            period = Period(framework, level, announced, start, end, on, on, computed)
            current[key] = period
            periods.append(period)
        else:
            period.last_day, period.effective_to = on, end
    for period in periods:
        period.announced_only = not period.cancelled and period.effective_from > at
    return list(reversed(periods))


def nation_level(day: date | None = None) -> PublishedLevel | None:
    return published_level(NATION_CODE, day)


def computed_level_on(unit, framework: str, day: date) -> int | None:
    """The assessed level of ``unit`` under ``framework`` on ``day`` (its latest assessment up to then)."""
    return (
        RiskAssessment.objects.filter(code=unit.code, framework=framework, day__lte=day)
        .order_by("-day")
        .values_list("computed_level", flat=True)
        .first()
    )
