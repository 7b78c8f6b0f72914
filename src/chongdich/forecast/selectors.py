"""Reads of the forecast pages, exports, API and the dashboard: Rt estimates, the growth ranking, what
runs out first, a unit's projection, demand and scores.  Everything here is scoped with ``for_user``
first; the dashboard imports this module, so it imports nothing but core, territory, tallies and
``forecast.models`` (the *tallies-only* contract).

    places_for(user) -> (Scope, [Place])            the user's areas with forecast.view
    place_for(user, code) -> Place | None           a unit (or "VN") the user may open; None otherwise
    latest_estimates(user, place, day)              the estimates of the place's subtree on the last day
                                                    with estimates up to ``day``
    ranking(user, place, day, by="growth"|"rt")     the child units' estimates, worst first
    runouts(user, place, day, limit=None)           thresholds of the place, soonest first
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Avg, Case, Count, F, IntegerField, Max, Q, Value, When
from django.utils.translation import gettext_lazy as _

from chongdich.core.roles import Cap
from chongdich.core.scoping import Scope, scope_for
from chongdich.forecast.models import EDIT, VIEW, Estimate, ForecastSetting, Method, Projection, Run, Runout, Score
from chongdich.tallies.selectors import series as tally_series
from chongdich.territory.models import AdminUnit, Level

NATION_CODE = "VN"
PLACE_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
RT_DAYS = 60
OBSERVED_DAYS = 28
ACCURACY_DAYS = 28
LEADS = (7, 14)
RANKINGS = ("growth", "rt")


@dataclass(frozen=True)
class Place:
    """A forecast page's area: a province, district or commune, or the whole country (``unit`` None)."""

    unit: AdminUnit | None
    code: str
    name: str
    path: str  # "/" for the nation: every path starts with it
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


def places_for(user) -> tuple[Scope, list[Place]]:
    """The user's areas where they may read forecasts (a village's grant reads nothing: forecasts stop
    at communes)."""
    scope = scope_for(user, VIEW)
    if scope.everything:
        return scope, [NATION]
    if not scope.paths:
        return scope, []
    units = AdminUnit.objects.filter(path__in=scope.paths, level__in=PLACE_LEVELS).order_by("path")
    return scope, [place_of(unit) for unit in units]


def place_for(user, code: str, scope: Scope | None = None) -> Place | None:
    """The place of ``code`` when the user may read its forecasts (None: unknown or outside, alike)."""
    scope = scope or scope_for(user, VIEW)
    if code == NATION_CODE:
        return NATION if scope.everything else None
    unit = AdminUnit.objects.filter(code=code, level__in=PLACE_LEVELS).first()
    if unit is None or not scope.contains(unit.path):
        return None
    return place_of(unit)


def breadcrumbs(place: Place, scope: Scope) -> list[tuple[str, str]]:
    """(code, name) from the top of the user's scope down to the place (only units the user may open)."""
    crumbs = [(NATION.code, NATION.name)] if scope.everything else []
    if place.unit is not None:
        crumbs += [(u.code, u.name) for u in place.unit.ancestors() if scope.contains(u.path)]
    return crumbs


def children_of(place: Place) -> list[tuple[str, str]]:
    """(code, name) of the place's child units, by name."""
    if not place.has_children:
        return []
    units = (
        AdminUnit.objects.filter(level=Level.PROVINCE)
        if place.is_nation
        else AdminUnit.objects.filter(parent=place.unit, level__in=PLACE_LEVELS)
    )
    return list(units.order_by("folded_name").values_list("code", "name"))


def _within(queryset, place: Place):
    return queryset if place.is_nation else queryset.filter(unit_path__startswith=place.path)


# -- days -------------------------------------------------------------------------------------------


def estimate_day(user, place: Place, day: date) -> date | None:
    """The last day up to ``day`` with estimates in the place (the night's run may not have come yet)."""
    return _within(Estimate.objects.for_user(user, VIEW), place).filter(day__lte=day).aggregate(d=Max("day"))["d"]


def runout_day(user, place: Place, day: date) -> date | None:
    return _within(Runout.objects.for_user(user, VIEW), place).filter(as_of__lte=day).aggregate(d=Max("as_of"))["d"]


# -- where is it getting worse ------------------------------------------------------------------------


def latest_estimates(user, place: Place, day: date):
    """The estimates of every unit in the place (itself included) on the last estimated day up to ``day``."""
    found = estimate_day(user, place, day)
    qs = _within(Estimate.objects.for_user(user, VIEW), place)
    return qs.filter(day=found).select_related("unit") if found else qs.none()


def place_estimate(user, place: Place, day: date) -> Estimate | None:
    """The place's own estimate (None for the nation: no row is kept for it)."""
    if place.is_nation:
        return None
    return latest_estimates(user, place, day).filter(unit=place.unit).first()


def ranking(user, place: Place, day: date, by: str = "growth"):
    """The child units' estimates, worst first: by week-over-week growth (units without a previous week
    last), or by Rt (reliable estimates first, by their mean; the rest by growth).  Ties: more cases
    first, then by name."""
    qs = latest_estimates(user, place, day)
    qs = qs.filter(tier=Level.PROVINCE) if place.is_nation else qs.filter(unit__parent=place.unit)
    if by == "rt":
        return qs.annotate(
            sure=Case(When(reliable=True, then=Value(0)), default=Value(1), output_field=IntegerField())
        ).order_by(
            "sure",
            F("rt_mean").desc(nulls_last=True),
            F("growth_wow").desc(nulls_last=True),
            "-cases_7d",
            "unit__folded_name",
            "pk",
        )
    return qs.order_by(F("growth_wow").desc(nulls_last=True), "-cases_7d", "unit__folded_name", "pk")


def ranking_counts(user, place: Place, day: date) -> dict[str, int]:
    """How many child units grow, have Rt above 1 with 95% confidence, and have too few cases: each the
    count of the ranking's rows that show it."""
    figures = ranking(user, place, day).aggregate(
        units=Count("pk"),
        growing=Count("pk", filter=Q(growth_wow__gt=0)),
        rt_above=Count("pk", filter=Q(reliable=True, rt_lo__gt=1)),
        unreliable=Count("pk", filter=Q(reliable=False)),
    )
    return figures


# -- what runs out first ------------------------------------------------------------------------------


def runouts(user, place: Place, day: date, limit: int | None = None):
    """The thresholds of the place on the last day computed up to ``day``, soonest first (days, then the
    earliest it may come; not within the horizon last)."""
    found = runout_day(user, place, day)
    qs = _within(Runout.objects.for_user(user, VIEW), place)
    qs = (
        qs.filter(as_of=found)
        .select_related("unit")
        .order_by(F("days").asc(nulls_last=True), F("days_early").asc(nulls_last=True), "kind", "subject", "pk")
        if found
        else qs.none()
    )
    return qs[:limit] if limit else qs


def runout_counts(user, place: Place, day: date, within: int = 14) -> dict[str, int]:
    qs = runouts(user, place, day)
    return qs.aggregate(
        total=Count("pk"),
        now=Count("pk", filter=Q(days=0)),
        soon=Count("pk", filter=Q(days_early__isnull=False, days_early__lte=within)),
    )


# -- a unit ---------------------------------------------------------------------------------------------


def rt_series(user, place: Place, day: date, days: int = RT_DAYS) -> list[Estimate]:
    """The unit's estimates of the ``days`` days up to ``day`` (oldest first)."""
    if place.is_nation:
        return []
    return list(
        Estimate.objects.for_user(user, VIEW)
        .filter(unit=place.unit, day__gt=day - timedelta(days=days), day__lte=day)
        .order_by("day")
    )


def projection(user, place: Place, day: date, method: str = Method.RENEWAL) -> Projection | None:
    """The unit's latest projection made up to ``day`` by ``method``."""
    if place.is_nation:
        return None
    return (
        Projection.objects.for_user(user, VIEW)
        .filter(unit=place.unit, method=method, as_of__lte=day)
        .order_by("-as_of")
        .first()
    )


def imported_choice(place: Place) -> str:
    """How the province counts cases found in quarantine ("imported" by default, or "local")."""
    if place.is_nation:
        return "imported"
    setting = ForecastSetting.objects.filter(province_code=place.unit.province_code, unit__level=Level.PROVINCE).first()
    return (setting.overrides or {}).get("imported", "imported") if setting else "imported"


def observed(place: Place, first: date, last: date, imported: str = "imported") -> list[tuple[date, int]]:
    """Daily new cases of the place from the tallies, as the projection counts them: community cases,
    plus those found in quarantine when the province counts them as local."""
    fields = ["cases_new_community", "cases_new_isolated"]
    rows = tally_series(place.path, first, last, fields)
    out = []
    day = first
    while day <= last:
        row = rows.get(day, {})
        value = row.get("cases_new_community", 0) or 0
        if imported == "local":
            value += row.get("cases_new_isolated", 0) or 0
        out.append((day, int(value)))
        day += timedelta(days=1)
    return out


@dataclass(frozen=True)
class Accuracy:
    lead: int
    method: str
    scored: int
    mae: float | None
    in_50: float | None  # share, 0–1
    in_90: float | None
    wis: float | None

    @property
    def method_label(self) -> str:
        return Method(self.method).label


def accuracy(user, place: Place, day: date, days: int = ACCURACY_DAYS) -> dict[int, dict[str, Accuracy]]:
    """Scores of the ``days`` target days up to ``day``, per lead (7, 14) and method: mean absolute
    error, share inside the 50% and 90% intervals, mean WIS, number of days scored."""
    result: dict[int, dict[str, Accuracy]] = {lead: {} for lead in LEADS}
    if place.is_nation:
        return result
    rows = (
        Score.objects.for_user(user, VIEW)
        .filter(unit=place.unit, target_day__gt=day - timedelta(days=days), target_day__lte=day, lead__in=LEADS)
        .values("lead", "method")
        .annotate(
            scored=Count("pk"),
            mae=Avg("abs_error"),
            in_50=Avg(Case(When(in_50=True, then=Value(1.0)), default=Value(0.0))),
            in_90=Avg(Case(When(in_90=True, then=Value(1.0)), default=Value(0.0))),
            wis=Avg("wis"),
        )
    )
    for row in rows:
        result[row["lead"]][row["method"]] = Accuracy(
            row["lead"], row["method"], row["scored"], row["mae"], row["in_50"], row["in_90"], row["wis"]
        )
    return {
        lead: {
            method: result[lead].get(method) or Accuracy(lead, method, 0, None, None, None, None)
            for method in (Method.RENEWAL, Method.NAIVE)
        }
        for lead in LEADS
    }


def verdict(renewal: Accuracy, naive: Accuracy) -> str:
    """ "better" when the renewal model's mean WIS is lower than the naive forecast's over the same
    days (at least 7 scored), "worse" when not lower, "unknown" without enough scores."""
    if renewal.scored < 7 or naive.scored < 7 or renewal.wis is None or naive.wis is None:
        return "unknown"
    return "better" if renewal.wis < naive.wis else "worse"


def unit_runouts(user, place: Place, day: date):
    """The thresholds of the unit's subtree (the unit page shows the soonest)."""
    return runouts(user, place, day)


# -- settings and runs ------------------------------------------------------------------------------------


def provinces_to_set(user) -> list[AdminUnit]:
    """The provinces whose forecast settings the user may change."""
    scope = scope_for(user, EDIT)
    qs = AdminUnit.objects.filter(level=Level.PROVINCE)
    if not scope.everything:
        qs = qs.filter(path__in=scope.paths)
    return list(qs.order_by("folded_name"))


def setting_of(province: AdminUnit) -> ForecastSetting | None:
    return ForecastSetting.objects.filter(unit=province).first()


def setting_history(setting: ForecastSetting | None, limit: int = 20) -> list:
    if setting is None:
        return []
    return list(setting.history.select_related("history_user").order_by("-history_date")[:limit])


def runs():
    """Every run, newest first (runs cover the whole tree: their figures are counts of rows, no data)."""
    return Run.objects.select_related("started_by").order_by("-queued_at", "-pk")


def can_edit(user) -> bool:
    return not scope_for(user, Cap.FORECAST_EDIT).empty
