"""Figures of the command dashboard: tallies, published levels and tasks only — never a person table.

A page costs the same handful of queries whatever the number of communes or days:

    places_for(user) -> (Scope, [Place])          the user's areas (scope roots), for the switcher
    place_for(user, code) -> Place | None         a unit (or "VN", the nation) the user may open
    dashboard(place, day, window=60) -> Dashboard  tiles, curve, children, gauges, levels, tasks
    forecast_answers(user, place, day) -> Answers  "where it is getting worse", "what runs out first"

Tallies are grouped in SQL by the child unit a row falls under (the path segment after the place's
path), so one query returns the curve of the place and of every child unit; a second one returns
the stock levels before the window (levels are running sums).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Case, DateField, F, Q, Sum, Value, When
from django.db.models.functions import Greatest
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.core.models import ImportJob
from chongdich.core.roles import Cap
from chongdich.core.scoping import Scope, in_scope, scope_for
from chongdich.forecast import models as forecast
from chongdich.risk.models import NATION_CODE, RiskAssessment, Task, TaskStatus
from chongdich.risk.rules import scale
from chongdich.risk.selectors import latest_run_day, moment
from chongdich.tallies.coverage import Coverage, GroupTable, coverage_by_child, coverage_of, group_coverage
from chongdich.tallies.models import ACTIVE_FIELDS, STOCK_FIELDS, DailyTally
from chongdich.tallies.selectors import child_code as tally_child_code
from chongdich.territory.models import AdminUnit, Level

DASHBOARD_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
WINDOWS = (30, 60, 120)
DEFAULT_WINDOW = 60
TREND_DAYS = 7
SEVERITY = {"green": 0, "yellow": 1, "orange": 2, "red": 3}
BED_TYPES = (  # (bed type, label, capacity field, occupied field)
    ("treatment", _("Treatment beds"), "treatment_capacity", "treatment_occupied"),
    ("oxygen", _("Oxygen beds"), "oxygen_capacity", "oxygen_occupied"),
    ("icu", _("ICU beds"), "icu_capacity", "icu_occupied"),
    ("quarantine", _("Quarantine places"), "quarantine_capacity", "quarantine_occupied"),
)
PLACES = (  # (stock field, treatment place of the case list filter)
    ("active_hospital", "hospital"),
    ("active_field_hospital", "field_hospital"),
    ("active_treatment_area", "treatment_area"),
    ("active_concentrated", "concentrated"),
    ("active_home", "home"),
)


# -- where ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A dashboard's area: a province, district or commune, or the whole country (``unit`` None)."""

    unit: AdminUnit | None
    code: str
    name: str
    path: str  # "/" for the nation: every tally path starts with it
    tier: str  # nation, province, district, commune

    @property
    def is_nation(self) -> bool:
        return self.unit is None

    @property
    def has_children(self) -> bool:
        return self.tier != Level.COMMUNE


NATION = Place(None, NATION_CODE, str(_("Whole country")), "/", "nation")


def place_of(unit: AdminUnit) -> Place:
    return Place(unit, unit.code, unit.name, unit.path, unit.level)


def _is_commune_of_an_area(unit: AdminUnit, scope: Scope) -> bool:
    """A commune above one of the user's villages: tallies stop at communes, so a village team sees
    the figures of its commune (aggregates only; every list behind them stays scoped to the village)."""
    return unit.level == Level.COMMUNE and any(path.startswith(unit.path) for path in scope.paths)


def places_for(user) -> tuple[Scope, list[Place]]:
    """The user's areas with ``units.view``, as dashboard places (a village's is its commune)."""
    scope = scope_for(user, Cap.UNITS_VIEW)
    if scope.everything:
        return scope, [NATION]
    if not scope.paths:
        return scope, []
    units = AdminUnit.objects.filter(path__in=scope.paths).select_related("parent")
    places = {}
    for unit in units.order_by("path"):
        if unit.level not in DASHBOARD_LEVELS:
            unit = unit.parent if unit.parent is not None and unit.parent.level == Level.COMMUNE else None
        if unit is not None and unit.path not in places:
            places[unit.path] = place_of(unit)
    return scope, [places[path] for path in sorted(places)]


def place_for(user, code: str, scope: Scope | None = None) -> Place | None:
    """The place of ``code`` when the user may see it (None: not found or outside the scope, alike)."""
    scope = scope or scope_for(user, Cap.UNITS_VIEW)
    if code == NATION_CODE:
        return NATION if scope.everything else None
    unit = AdminUnit.objects.filter(code=code, level__in=DASHBOARD_LEVELS).select_related("parent").first()
    if unit is None or not (scope.contains(unit.path) or _is_commune_of_an_area(unit, scope)):
        return None
    return place_of(unit)


def breadcrumbs(place: Place, scope: Scope) -> list[tuple[str, str, bool]]:
    """(code, name, linkable) from the top of the tree down to the place; linkable when in scope."""
    crumbs = [(NATION.code, NATION.name, scope.everything)]
    if place.unit is not None:
        crumbs += [(unit.code, unit.name, scope.contains(unit.path)) for unit in place.unit.ancestors()]
    return [crumb for crumb in crumbs if crumb[2] or crumb[0] == place.code] if not scope.everything else crumbs


# -- tallies ----------------------------------------------------------------------------------------


def tallies_of(place: Place):
    return DailyTally.objects.all() if place.is_nation else DailyTally.objects.filter(unit_path__startswith=place.path)


def child_code(place: Place):
    """SQL: the code of the child unit a tally row falls under (``tallies.selectors.child_code``)."""
    return tally_child_code(place.path)


def _sums(fields) -> dict:
    return {f: Sum(f) for f in fields}


WINDOW_FLOWS = (
    "cases_new_community",
    "cases_new_community_unknown_source",
    "cases_new_isolated",
    "cases_recovered",
    "cases_died",
    "samples_taken",
    "tests_done",
    "tests_positive",
    # movement and declarations (the movement tile)
    "declarations",
    "declarations_symptomatic",
    "arrivals_watched",
    "passages",
    "checkins",
    "alerts_new",
)


def _bucket(first: date):
    """The day of a row, or the day before ``first`` for every earlier row: one group holds the
    stock levels at the start of the window (levels are running sums)."""
    return Greatest("day", Value(first - timedelta(days=1), output_field=DateField()), output_field=DateField())


def tally_series(place: Place, first: date, last: date) -> tuple[dict[date, dict], dict]:
    """One pass over the place's tallies up to ``last``: flows and stock changes of each day from
    ``first``, and the stock levels at the end of the day before ``first``."""
    before_day = first - timedelta(days=1)
    rows = (
        tallies_of(place)
        .filter(day__lte=last)
        .annotate(bucket=_bucket(first))
        .values("bucket")
        .annotate(**_sums([*WINDOW_FLOWS, *STOCK_FIELDS]))
        .order_by()
    )
    by_day = {row["bucket"]: row for row in rows}
    return by_day, by_day.pop(before_day, {})


def tally_children(place: Place, first: date, last: date) -> dict[str, dict[date, tuple[int, int]]]:
    """Per child unit and day from ``first`` (the day before ``first`` for earlier rows): new cases
    and the change in active cases — two numbers a row, so a nation of 63 provinces stays cheap."""
    new = F("cases_new_community") + F("cases_new_isolated")
    active = sum((F(f) for f in ACTIVE_FIELDS[1:]), F(ACTIVE_FIELDS[0]))
    rows = (
        tallies_of(place)
        .filter(day__lte=last)
        .annotate(child=child_code(place), bucket=_bucket(first))
        .values_list("child", "bucket")
        .annotate(new=Sum(new), active=Sum(active))
        .order_by()
    )
    result: dict[str, dict[date, tuple[int, int]]] = {}
    for child, bucket, new_cases, active_change in rows:
        result.setdefault(child or "", {})[bucket] = (new_cases or 0, active_change or 0)
    return result


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def moving_average(values: list[float], n: int = TREND_DAYS) -> list[float | None]:
    """Trailing n-day mean (None until n values exist)."""
    result: list[float | None] = []
    running = 0.0
    for i, value in enumerate(values):
        running += value
        if i >= n:
            running -= values[i - n]
        result.append(running / n if i >= n - 1 else None)
    return result


# -- the dashboard ------------------------------------------------------------------------------------


# Days until full below which a gauge alarms: a week is the time to open beds or a facility (red);
# three weeks leaves time to plan (amber); beyond that the trend is shown without alarm.
FULL_SOON_DAYS = 7
FULL_WITHIN_WEEKS_DAYS = 21


@dataclass
class Gauge:
    bed_type: str
    label: str
    capacity: int
    occupied: int
    net_per_day: float  # average daily change of occupied places over the last 7 days

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.occupied)

    @property
    def percent(self) -> int | None:
        return round(100 * self.occupied / self.capacity) if self.capacity > 0 else None

    @property
    def state(self) -> str:
        """none (no places), full, filling (days_until_full), not_filling."""
        if self.capacity <= 0 and self.occupied <= 0:
            return "none"
        if self.occupied >= self.capacity:
            return "full"
        return "filling" if self.net_per_day > 0 else "not_filling"

    @property
    def urgency(self) -> str:
        """How alarming the capacity is: "critical" (full, or full within a week), "warning" (within
        a few weeks), "calm" otherwise.  Colours follow it, not the mere fact of filling."""
        if self.state == "full":
            return "critical"
        days = self.days_until_full
        if days is None:
            return "calm"
        if days <= FULL_SOON_DAYS:
            return "critical"
        return "warning" if days <= FULL_WITHIN_WEEKS_DAYS else "calm"

    @property
    def days_until_full(self) -> int | None:
        """Days until no place is free if occupancy keeps growing as over the last 7 days."""
        if self.state != "filling":
            return None
        return int(self.free // self.net_per_day)


@dataclass
class LevelRow:
    code: str
    name: str
    tier: str
    framework: str
    level: int | None
    colour: str | None
    before_framework: str = ""
    before_level: int | None = None


@dataclass
class Child:
    code: str
    name: str
    level: LevelRow | None
    new_by_day: list[int]  # community + isolated, over the window
    new_today: int
    new_7d: int
    active: int


@dataclass
class Dashboard:
    place: Place
    day: date
    days: list[date]  # the window shown (oldest first)
    series: list[dict]  # per day of the window: flows of the day and stock levels at its end
    kpi: dict
    active_by_place: list[tuple[str, str, str, int]]  # (field, label, treatment place, count)
    gauges: list[Gauge]
    children: list[Child]
    level: LevelRow | None
    rose_today: list[LevelRow]
    overdue_tasks: list[Task]
    overdue_count: int
    average: list[float | None] = field(default_factory=list)  # 7-day mean of new cases, per day of the window
    coverage: Coverage | None = None  # vaccination coverage at the end of the day (tallies)
    open_alerts: list[tuple[str, str, int]] = field(default_factory=list)  # (code, name, open) per child unit

    @property
    def has_data(self) -> bool:
        return any(any(row[f] for f in (*WINDOW_FLOWS, *STOCK_FIELDS)) for row in self.series)


def _level_at(row: tuple, at: datetime) -> tuple[str, int | None]:
    _code, _name, _tier, _day, in_fw, in_level, p_fw, p_level, p_from = row
    if p_from is not None and p_from <= at:
        return p_fw, p_level
    return in_fw, in_level


def _colour(framework: str, level: int | None) -> str | None:
    return None if level is None or not framework else scale(framework).colour(level)


LEVEL_COLUMNS = (
    "code",
    "name",
    "tier",
    "day",
    "in_force_framework",
    "in_force_level",
    "pending_framework",
    "pending_level",
    "pending_from",
)


def levels_today(place: Place, codes: list[str], day: date) -> tuple[dict[str, LevelRow], list[LevelRow]]:
    """Levels in force at ``day`` of ``codes`` (the place and its children), and the units under the
    place whose level rose since the end of the day before.  Only units whose level came into force
    after that moment are compared, so the whole country costs what a district does (≤ 5 queries)."""
    run_today, run_before = latest_run_day(day), latest_run_day(day - timedelta(days=1))
    if run_today is None:
        return {}, []
    _day, now = moment(day)
    _before, end_before = moment(day - timedelta(days=1))
    levels: dict[str, LevelRow] = {}
    for row in RiskAssessment.objects.filter(day=run_today, code__in=codes).values_list(*LEVEL_COLUMNS):
        framework, level = _level_at(row, now)
        levels[row[0]] = LevelRow(row[0], row[1], row[2], framework, level, _colour(framework, level))
    if run_before is None:
        return levels, []
    changed = RiskAssessment.objects.filter(day=run_today).filter(
        Q(pending_from__gt=end_before, pending_from__lte=now) | Q(in_force_since__gt=end_before)
    )
    if not place.is_nation:
        changed = changed.filter(unit_path__startswith=place.path)
    candidates = {row[0]: row for row in changed.values_list(*LEVEL_COLUMNS)}
    if not candidates:
        return levels, []
    before = {
        row[0]: row
        for row in RiskAssessment.objects.filter(day=run_before, code__in=list(candidates)).values_list(*LEVEL_COLUMNS)
    }
    rose: list[LevelRow] = []
    for code, row in candidates.items():
        if code not in before:
            continue
        framework, level = _level_at(row, now)
        was_framework, was_level = _level_at(before[code], end_before)
        colour, was = _colour(framework, level), _colour(was_framework, was_level)
        if colour and was and SEVERITY[colour] > SEVERITY[was]:
            rose.append(LevelRow(code, row[1], row[2], framework, level, colour, was_framework, was_level))
    tier_rank = {"nation": 0, "province": 1, "district": 2, "commune": 3}
    rose.sort(key=lambda r: (-SEVERITY[r.colour or "green"], tier_rank.get(r.tier, 4), r.name))
    return levels, rose


def overdue_tasks(place: Place, limit: int = 10) -> tuple[list[Task], int]:
    tasks = Task.objects.filter(status=TaskStatus.OPEN, deadline__lt=clock.now())
    if not place.is_nation:
        tasks = tasks.filter(unit_path__startswith=place.path)
    first = list(tasks.select_related("unit").order_by("deadline", "pk")[: limit + 1])
    count = len(first) if len(first) <= limit else tasks.count()
    return first[:limit], count


def children_of(place: Place) -> list[tuple[str, str]]:
    """(code, name) of the units one level down (none for a commune: tallies stop there)."""
    if not place.has_children:
        return []
    units = (
        AdminUnit.objects.filter(parent__isnull=True)
        if place.is_nation
        else AdminUnit.objects.filter(parent=place.unit)
    )
    return list(units.filter(level__in=DASHBOARD_LEVELS).order_by("path").values_list("code", "name"))


def dashboard(place: Place, day: date | None = None, window: int = DEFAULT_WINDOW) -> Dashboard:
    day = day or clock.today()
    window = window if window in WINDOWS else DEFAULT_WINDOW
    first_shown = day - timedelta(days=window - 1)
    first = first_shown - timedelta(days=TREND_DAYS - 1)  # the 7-day mean and trend need a week before
    all_days = days_between(first, day)
    by_day, before = tally_series(place, first, day)
    levels = {f: before.get(f) or 0 for f in STOCK_FIELDS}
    series = []
    for d in all_days:
        row = by_day.get(d, {})
        for f in STOCK_FIELDS:
            levels[f] += row.get(f) or 0
        series.append(
            {
                "day": d,
                **{f: row.get(f) or 0 for f in WINDOW_FLOWS},
                **levels,
                "active": sum(levels[f] for f in ACTIVE_FIELDS),
            }
        )
    new = [r["cases_new_community"] + r["cases_new_isolated"] for r in series]
    average = moving_average(new)
    today, week_ago = series[-1], series[-1 - TREND_DAYS]
    last7 = series[-TREND_DAYS:]
    prev7 = series[-2 * TREND_DAYS : -TREND_DAYS]

    def total(rows, *fields):
        return sum(r[f] for r in rows for f in fields)

    tests_7d, positive_7d = total(last7, "tests_done"), total(last7, "tests_positive")
    kpi = {
        "new_today": new[-1],
        "new_today_community": today["cases_new_community"],
        "new_today_isolated": today["cases_new_isolated"],
        "new_7d": total(last7, "cases_new_community", "cases_new_isolated"),
        "new_7d_community": total(last7, "cases_new_community"),
        "new_7d_isolated": total(last7, "cases_new_isolated"),
        "new_7d_unknown_source": total(last7, "cases_new_community_unknown_source"),
        "new_prev_7d": total(prev7, "cases_new_community", "cases_new_isolated") if len(prev7) == TREND_DAYS else None,
        "active": sum(today[f] for f in ACTIVE_FIELDS),
        "active_week_ago": sum(week_ago[f] for f in ACTIVE_FIELDS),
        "f1_home": today["f1_home_quarantine"],
        "f1_facility": today["f1_facility_quarantine"],
        "f1": today["f1_home_quarantine"] + today["f1_facility_quarantine"],
        "tests_today": today["tests_done"],
        "positive_today": today["tests_positive"],
        "positivity_today": (100 * today["tests_positive"] / today["tests_done"]) if today["tests_done"] else None,
        "tests_7d": tests_7d,
        "positive_7d": positive_7d,
        "positivity_7d": (100 * positive_7d / tests_7d) if tests_7d else None,
        "samples_taken_today": today["samples_taken"],
        "samples_pending": today["samples_pending"],
        "deaths_today": today["cases_died"],
        "deaths_7d": total(last7, "cases_died"),
        "recovered_7d": total(last7, "cases_recovered"),
        "vaccination": None,  # first-dose coverage of adults, below; None: no record ("no data yet"), never 0
        **{f: today[f] for f, _place in PLACES},  # under treatment, by place
        # movement and declarations of the day, and the alerts open at its end
        "movement_declarations": today["declarations"],
        "movement_symptomatic": today["declarations_symptomatic"],
        "movement_arrivals": today["arrivals_watched"],
        "movement_passages": today["passages"],
        "movement_checkins": today["checkins"],
        "alerts_new": today["alerts_new"],
        "alerts_open": today["alerts_open"],
    }
    gauges = [
        Gauge(bed, str(label), today[cap], today[occ], (today[occ] - week_ago[occ]) / TREND_DAYS)
        for bed, label, cap, occ in BED_TYPES
    ]
    kpi["free_beds"] = sum(g.free for g in gauges if g.bed_type != "quarantine")
    kpi["bed_capacity"] = sum(g.capacity for g in gauges if g.bed_type != "quarantine")
    kpi["free_quarantine"] = gauges[-1].free
    kpi["quarantine_capacity"] = gauges[-1].capacity
    active_by_place = [(f, str(STOCK_FIELDS[f]), place_value, today[f]) for f, place_value in PLACES]

    child_units = children_of(place)
    levels_now, rose = levels_today(place, [place.code, *(code for code, _name in child_units)], day)
    by_child = tally_children(place, first, day) if child_units else {}
    children = []
    shown = window
    for code, name in child_units:
        rows = by_child.get(code, {})
        per_day = [rows.get(d, (0, 0))[0] for d in all_days]
        active = sum(change for _new, change in rows.values())  # the change before the window included
        children.append(
            Child(code, name, levels_now.get(code), per_day[-shown:], per_day[-1], sum(per_day[-TREND_DAYS:]), active)
        )
    children.sort(key=lambda c: (-c.new_7d, -c.active))  # worst first; tree order among equals (stable sort)
    tasks, task_count = overdue_tasks(place)
    coverage = coverage_of(place.code, place.path, day, dropout=False)  # the tile shows no dropout
    kpi["vaccination"] = coverage.dose1_pct
    return Dashboard(
        place=place,
        day=day,
        days=all_days[-shown:],
        series=series[-shown:],
        kpi=kpi,
        active_by_place=active_by_place,
        gauges=gauges,
        children=children,
        level=levels_now.get(place.code),
        rose_today=rose,
        overdue_tasks=tasks,
        overdue_count=task_count,
        average=average[-shown:],
        coverage=coverage,
        open_alerts=open_alerts_by_child(place, child_units, day) if child_units else [],
    )


def open_alerts_by_child(place: Place, child_units: list[tuple[str, str]], day: date) -> list[tuple[str, str, int]]:
    """Alerts to the communes open at the end of ``day`` per child unit (the ``alerts_open`` stock),
    most first; units without one are left out."""
    rows = dict(
        tallies_of(place)
        .filter(day__lte=day)
        .annotate(child=child_code(place))
        .values_list("child")
        .annotate(open=Sum("alerts_open"))
        .order_by()
        .values_list("child", "open")
    )
    result = [(code, name, rows.get(code) or 0) for code, name in child_units]
    return sorted((row for row in result if row[2]), key=lambda row: -row[2])


# -- vaccination coverage against the target -------------------------------------------------------------

COVERAGE_MEASURES = ("dose1", "full")


def child_paths(place: Place) -> list[tuple[str, str, str]]:
    """(code, name, path) of the units one level down (the dashboard's children)."""
    if not place.has_children:
        return []
    units = (
        AdminUnit.objects.filter(parent__isnull=True)
        if place.is_nation
        else AdminUnit.objects.filter(parent=place.unit)
    )
    return list(units.filter(level__in=DASHBOARD_LEVELS).order_by("path").values_list("code", "name", "path"))


@dataclass
class GroupView:
    """A cell of the target view: people of the group counted (first dose or full series, by the
    page's measure) over the people enrolled in it, and whether it reaches the target."""

    code: str
    enrolled: int
    count: int
    pct: float | None
    met: bool | None


@dataclass
class CoverageRow:
    code: str
    name: str
    coverage: Coverage
    groups: dict  # group code → tallies.coverage.GroupCell
    cells: list[GroupView] = field(default_factory=list)  # the shown groups, in order


@dataclass
class CoveragePage:
    place: Place
    day: date
    measure: str  # dose1 | full: what the group cells compare with the target
    total: CoverageRow  # the place (the dashboard tile's figures)
    rows: list[CoverageRow]  # its children
    table: GroupTable
    groups: list[tuple[str, str]] = field(default_factory=list)  # (code, name) of groups with figures

    @property
    def target_pct(self):
        return self.table.target_pct


def coverage_page(place: Place, day: date, measure: str = "dose1", language: str = "vi") -> CoveragePage:
    """The ≥ 95% target view: coverage of the place and of each child unit (first dose, full series,
    booster, dropout), and per child × priority group against the target.  The place's row is
    ``coverage_of`` — the dashboard tile's figures."""
    measure = measure if measure in COVERAGE_MEASURES else "dose1"
    children = child_paths(place)
    paths = {code: path for code, _name, path in children}
    by_child = coverage_by_child(place.path, paths, day) if children else {}
    table = group_coverage(place.code, place.path, paths, day)
    total = CoverageRow(
        place.code, place.name, coverage_of(place.code, place.path, day), table.cells.get(place.code, {})
    )
    rows = [CoverageRow(code, name, by_child[code], table.cells.get(code, {})) for code, name, _path in children]
    shown = [(code, names[1] if language == "en" else names[0]) for code, names in table.groups if code in total.groups]
    for row in (total, *rows):
        for code, _name in shown:
            cell = row.groups.get(code)
            if cell is None:
                row.cells.append(GroupView(code, 0, 0, None, None))
                continue
            row.cells.append(
                GroupView(code, cell.enrolled, getattr(cell, measure), cell.pct(measure), table.met(cell, measure))
            )
    return CoveragePage(place, day, measure, total, rows, table, shown)


# -- the two morning questions (the nightly forecast's rows) ----------------------------------------------

ANSWER_ROWS = 5
# When the nightly forecast runs (local time; ``forecast.tasks.NIGHTLY_AT``, which the dashboard may not
# import — tallies-only contract): shown while no run has finished yet.
FORECAST_NIGHTLY_AT = time(2, 0)


@dataclass
class Growth:
    """A unit's week-over-week growth and Rt, as of the forecast's day (an ``Estimate`` row)."""

    code: str
    name: str
    cases_7d: int
    cases_prev_7d: int
    growth_wow: float | None  # 0.25 = +25%; None: no case the week before
    reliable: bool
    rt: float | None
    rt_lo: float | None
    rt_hi: float | None

    @property
    def trend(self) -> str:
        """up, down or flat: the arrow."""
        if self.cases_7d > self.cases_prev_7d:
            return "up"
        return "down" if self.cases_7d < self.cases_prev_7d else "flat"

    @property
    def growth_pct(self) -> int | None:
        return None if self.growth_wow is None else round(100 * self.growth_wow)


def growth_order(row: Growth) -> tuple:
    """The forecast ranking's order (``forecast.selectors.ranking(by="growth")``): fastest week-over-week
    growth first, units without a previous week last, then by the week's cases."""
    return (row.growth_wow is None, -(row.growth_wow or 0), -row.cases_7d)


@dataclass
class Answers:
    """What the top of the dashboard shows: the growth of the place's child units and the earliest
    thresholds under the place, from the latest finished forecast run up to the dashboard's day."""

    as_of: date | None  # the forecast's day (None: no run has finished yet)
    place: Growth | None  # the place itself (None for the nation, or no estimate)
    worsening: list[Growth]  # the ranking's first child units that grow (growth_wow > 0), at most ANSWER_ROWS
    children: int  # child units with an estimate (what the full ranking lists)
    runouts: list  # the earliest Runout rows within the horizon (at most ANSWER_ROWS)
    runout_count: int  # thresholds crossed within the horizon, in all
    pending: object = None  # a run queued or running for a later day (forecast.models.Run)
    nightly_at: time = FORECAST_NIGHTLY_AT


def _growth(row: dict) -> Growth:
    return Growth(
        row["code"],
        row["name"],
        row["cases_7d"],
        row["cases_prev_7d"],
        row["growth_wow"],
        row["reliable"],
        row["rt_mean"],
        row["rt_lo"],
        row["rt_hi"],
    )


def forecast_answers(user, place: Place, day: date, limit: int = ANSWER_ROWS) -> Answers | None:
    """The two morning questions for ``place`` as of the latest finished run on or before ``day``.
    None when the user may not see forecasts of the whole place (the section is then left out).
    Four queries at most, whatever the number of units."""
    if not in_scope(user, forecast.VIEW, place.path):  # the nation's "/": national users only
        return None
    # One query: the latest finished run up to the day, else the latest queued or running one.
    run = (
        forecast.Run.objects.filter(day__lte=day)
        .exclude(status=forecast.RunStatus.FAILED)
        .annotate(finished=Case(When(status=forecast.RunStatus.DONE, then=1), default=0))
        .order_by("-finished", "-day", "-queued_at")
        .first()
    )
    if run is None or run.status != forecast.RunStatus.DONE:
        return Answers(None, None, [], 0, [], 0, run)
    latest = run.day
    estimates = forecast.Estimate.objects.for_user(user, forecast.VIEW).filter(day=latest)
    if place.is_nation:
        estimates = estimates.filter(unit__parent__isnull=True)
    else:
        estimates = estimates.filter(Q(unit=place.unit) | Q(unit__parent=place.unit))
    rows = estimates.values(
        "unit_id",
        "rt_mean",
        "rt_lo",
        "rt_hi",
        "reliable",
        "cases_7d",
        "cases_prev_7d",
        "growth_wow",
        code=F("unit__code"),
        name=F("unit__name"),
    ).order_by("unit__folded_name", "pk")
    own, children = None, []
    for row in rows:
        if place.unit is not None and row["unit_id"] == place.unit.pk:
            own = _growth(row)
        else:
            children.append(_growth(row))
    # the first rows of the forecast page's ranking that grow (what its "growing" count counts)
    worsening = sorted((row for row in children if (row.growth_wow or 0) > 0), key=growth_order)[:limit]
    thresholds = forecast.Runout.objects.for_user(user, forecast.VIEW).filter(as_of=latest, days__isnull=False)
    if not place.is_nation:
        thresholds = thresholds.filter(unit_path__startswith=place.path)
    first = list(thresholds.order_by("days", "days_early", "kind", "subject")[: limit + 1])
    count = len(first) if len(first) <= limit else thresholds.count()
    return Answers(latest, own, worsening, len(children), first[:limit], count)


def recent_imports(user, limit: int = 5):
    """The user's latest file imports (the home page's shortcut back to them)."""
    return ImportJob.objects.filter(created_by=user).order_by("-created_at")[:limit]
