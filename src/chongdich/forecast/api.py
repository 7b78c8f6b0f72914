"""Forecasts in the JSON API (read-only), scoped like the pages: the Rt estimates of a unit's subtree on
a day, and its thresholds (what runs out first, and when).  Both lists are paged by cursor."""

# No ``from __future__ import annotations``: django-ninja reads the query parameters' types at run time.
from datetime import date

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from chongdich.core import dates
from chongdich.core.roles import Cap
from chongdich.core.scoping import has_capability
from chongdich.core.webapi.pagination import CursorPagination
from chongdich.core.webapi.schemas import field_length
from chongdich.forecast import selectors
from chongdich.forecast.models import Estimate, Runout, RunoutKind
from chongdich.territory.models import AdminUnit, Level

router = Router(tags=["forecast"])
CODE = field_length(AdminUnit, "code")


class EstimateOut(Schema):
    unit: str
    unit_name: str
    tier: Level
    day: date
    window: int
    cases_window: int
    reliable: bool  # false: too few cases in the window; the rt_* fields are then null
    rt_mean: float | None
    rt_lo: float | None  # 2.5%
    rt_hi: float | None  # 97.5%
    p_below_1: float | None
    growth_rate: float | None
    doubling_days: float | None  # negative: halving time
    cases_7d: int
    cases_prev_7d: int
    growth_wow: float | None  # 0.25 = +25% on the previous 7 days
    active: int
    config_version: str

    @staticmethod
    def resolve_unit(row: Estimate) -> str:
        return row.unit.code

    @staticmethod
    def resolve_unit_name(row: Estimate) -> str:
        return row.unit.name

    @staticmethod
    def resolve_rt_mean(row: Estimate):
        return row.rt_mean if row.reliable else None

    @staticmethod
    def resolve_rt_lo(row: Estimate):
        return row.rt_lo if row.reliable else None

    @staticmethod
    def resolve_rt_hi(row: Estimate):
        return row.rt_hi if row.reliable else None

    @staticmethod
    def resolve_p_below_1(row: Estimate):
        return row.p_below_1 if row.reliable else None


class RunoutOut(Schema):
    as_of: date
    kind: RunoutKind
    subject: str
    subject_ref: str
    unit: str
    capacity: int
    current: int
    days: int | None  # median projection: 0 = already, null = not within the horizon
    days_early: int | None  # 95% projection: the earliest it may come
    on_day: date | None
    link: str

    @staticmethod
    def resolve_unit(row: Runout) -> str:
        return row.unit.code


def _place(request, unit: str | None):
    if not has_capability(request.user, Cap.FORECAST_VIEW):
        raise HttpError(403, _("Your roles do not allow viewing forecasts."))
    scope, roots = selectors.places_for(request.user)
    if unit:
        place = selectors.place_for(request.user, unit, scope)
        if place is None:
            raise Http404
        return place
    if not roots:
        raise Http404
    return roots[0]


@router.get("/forecast/estimates", response=list[EstimateOut], operation_id="chongdich_api_forecast_estimates")
@paginate(CursorPagination)
def estimates(
    request,
    unit: str | None = Query(None, max_length=CODE, description="Unit code (default: your first area); VN: the nation"),
    date: date | None = None,  # noqa: B008
    tier: Level | None = None,
):
    """The Rt estimates of the unit and every unit below it, on the last day with estimates up to
    ``date`` (default today), by unit path.  ``rt_*`` are null when the window held too few cases."""
    place = _place(request, unit)
    rows = selectors.latest_estimates(request.user, place, dates.shown_day(date))
    if tier:
        rows = rows.filter(tier=tier)
    return rows.order_by("unit_path", "pk")


@router.get("/forecast/runouts", response=list[RunoutOut], operation_id="chongdich_api_forecast_runouts")
@paginate(CursorPagination)
def runouts(
    request,
    unit: str | None = Query(None, max_length=CODE, description="Unit code (default: your first area); VN: the nation"),
    date: date | None = None,  # noqa: B008
    kind: RunoutKind | None = None,
):
    """The thresholds of the unit's subtree (district scenarios, beds per facility and type, quarantine
    places, labs, vaccine lots) on the last day computed up to ``date``, by kind and subject; sort by
    ``days`` on your side (null: not within the horizon)."""
    place = _place(request, unit)
    rows = selectors.runouts(request.user, place, dates.shown_day(date))
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("kind", "subject_ref", "pk")
