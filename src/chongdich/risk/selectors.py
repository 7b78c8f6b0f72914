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
from chongdich.core.roles import Cap
from chongdich.core.scoping import in_scope, scope_for
from chongdich.core.text import fold
from chongdich.risk.configuration import deployment_config
from chongdich.risk.measures import framework_title, measures_in_force
from chongdich.risk.models import (
    NATION_CODE,
    CapacityReadiness,
    ProvinceRiskSetting,
    RiskAssessment,
    RiskOverride,
    ScenarioState,
    level_label,
)
from chongdich.risk.names import lang
from chongdich.risk.rules import ConfigError, scale, select_scenario
from chongdich.risk.scenarios import tasks_of
from chongdich.tallies.registry import area_figures
from chongdich.territory.models import AdminUnit, Level

ASSESSED = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)


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


# --- pages ---------------------------------------------------------------------------------------
# Levels are public information: the units and their levels are read by every role with
# ``units.view``; the committee's forms check ``units.edit`` on the unit in the view.


def assessed_units():
    """Units that are assessed (communes, districts, provinces), with their parent: views fetch one
    by code with ``core.access.get_in_scope_or_404``."""
    return AdminUnit.objects.select_related("parent").filter(level__in=ASSESSED)


def provinces():
    """Provinces (their settings pages), with their parent."""
    return assessed_units().filter(level=Level.PROVINCE)


def province(code: str) -> AdminUnit | None:
    return provinces().filter(code=code).first() if code else None


def default_parent(user) -> AdminUnit | None:
    """Where the overview opens: the user's area (a commune's district, to compare neighbours)."""
    scope = scope_for(user, Cap.UNITS_VIEW)
    if scope.everything or not scope.paths:
        return None
    unit = AdminUnit.objects.select_related("parent").filter(path=scope.paths[0]).first()
    while unit is not None and unit.level not in (Level.PROVINCE, Level.DISTRICT):
        unit = unit.parent
    return unit


def unit_page(user, code: str, unit: AdminUnit | None, day: date) -> dict:
    """Everything the unit page shows: the level in force with its measures (and those of a change
    announced), the history, the sub-units, and for a unit (not the nation) the committee's
    decisions, readiness and scenario."""
    level = published_level(code, day)
    config = deployment_config()
    province_code = unit.province_code if unit else None
    measures = pending_measures = None
    if level is not None:
        measures = measures_in_force(level.framework, level.level, on=day, province=province_code, config=config)
        if level.pending:
            framework, pending, _from = level.pending
            pending_measures = measures_in_force(framework, pending, on=day, province=province_code, config=config)
    can_edit = unit is not None and in_scope(user, Cap.UNITS_EDIT, unit)
    context = {
        "unit": unit,
        "code": code,
        "day": day,
        "today": clock.today(),
        "published": level,
        "row": level.row if level else None,
        "measures": measures,
        "pending_measures": pending_measures,
        "framework_title": framework_title(level.framework or level.row.framework, lang()) if level else "",
        "periods": history(code, day=day),
        "children": [item for item in published(day, parent=unit) if item.row.tier != "nation"]
        if unit is None or unit.level != Level.COMMUNE
        else [],
        "breadcrumbs": unit.ancestors() if unit else [],
        "lang": lang(),
        "can_edit": can_edit,
    }
    if unit is not None:
        context["overrides"] = list(overrides_of(unit).select_related("by")[:10])
        context["readiness"] = (
            CapacityReadiness.objects.filter(unit=unit, effective_from__lte=day).order_by("-effective_from").first()
        )
        context["scenario"] = ScenarioState.objects.filter(unit=unit).first()
        context["can_settings"] = unit.level == Level.PROVINCE and can_edit
    return context


def overrides_of(unit: AdminUnit):
    return RiskOverride.objects.filter(unit=unit)


def current_readiness(unit: AdminUnit) -> CapacityReadiness | None:
    return CapacityReadiness.objects.filter(unit=unit).order_by("-effective_from").first()


def readiness_figures(unit: AdminUnit) -> dict[str, int]:
    """Facilities open in the unit's area and those ready within 24 hours (registered by care)."""
    figures = area_figures(unit.path)
    return {"facilities": figures.get("facilities", 0), "ready_24h": figures.get("ready_24h", 0)}


def setting_versions(province_unit: AdminUnit):
    return ProvinceRiskSetting.objects.filter(province=province_unit).select_related("created_by")[:20]


def scenario_page(unit: AdminUnit) -> dict:
    """The unit's scenario (its state and the plan it selects) and its tasks and those of its area."""
    state = ScenarioState.objects.filter(unit=unit).first()
    plan = None
    if state is not None and state.scenario:
        try:
            plan = select_scenario(
                state.active_cases, on=state.updated_on, province=unit.province_code, config=deployment_config()
            )
        except ConfigError:
            plan = None
    return {"state": state, "plan": plan, "tasks": list(tasks_of(unit).select_related("unit"))}
