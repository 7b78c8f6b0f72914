"""Risk levels over the API: the engine on a JSON list of units (the CLI's schema and output,
docs/risk/cli.md), and the levels published by the daily assessment."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Schema, Status
from ninja.errors import HttpError

from chongdich.core import clock, dates
from chongdich.core.roles import Cap
from chongdich.core.scoping import has_capability
from chongdich.core.versioning import NoRuleInForce
from chongdich.core.webapi.schemas import ErrorOut, field_length
from chongdich.risk import selectors
from chongdich.risk.configuration import deployment_config
from chongdich.risk.models import NATION_CODE
from chongdich.risk.rules import ConfigError, InputError, NoFrameworkInForce, assess_units, parse_units
from chongdich.territory.models import AdminUnit

# Every operation names its operation_id: the ids it had under chongdich/api/, which clients generate code from.
router = Router(tags=["risk"])
CODE = field_length(AdminUnit, "code")
MAX_UNITS = 20_000


def _require_units(request):
    if not has_capability(request.user, Cap.UNITS_VIEW):
        raise HttpError(403, _("Your roles do not allow viewing administrative units."))


@router.post(
    "/risk/assess", response={200: list[dict[str, Any]], 422: ErrorOut}, operation_id="chongdich_api_risk_assess"
)
def assess(
    request,
    units: list[dict[str, Any]] = Body(...),  # noqa: B008 - ninja declares the body in the signature
    as_of: date | None = None,  # noqa: B008 - ninja's style
    framework: str | None = Query(None, max_length=8),
    lang: str = Query("vi", max_length=4),
    province: str | None = Query(None, max_length=CODE),
    details: bool = False,
):
    """Assess the units of the body (the JSON list of ``chongdich risk assess --input``) and return the
    CLI's output.  Nothing is stored.  Rules: the national defaults plus this deployment's province
    settings.  ``framework`` defaults to the one in force on ``as_of`` (default today)."""
    _require_units(request)
    if lang not in ("vi", "en", "both"):
        return Status(422, {"detail": _("lang must be vi, en or both."), "errors": {"lang": [lang]}})
    if framework not in (None, "2686", "4800", "218"):
        return Status(422, {"detail": _("framework must be 2686, 4800 or 218."), "errors": {"framework": [framework]}})
    if len(units) > MAX_UNITS:
        return Status(422, {"detail": _("At most %(n)s units per request.") % {"n": MAX_UNITS}, "errors": None})
    try:
        parsed = parse_units(units)
        results = assess_units(
            parsed, as_of=as_of or clock.today(), framework=framework, config=deployment_config(), province=province
        )
    except InputError as error:
        pick = "en" if lang == "en" else "vi"
        errors: dict[str, list[str]] = {}
        for problem in error.problems:
            errors.setdefault(f"{problem.unit}.{problem.field}", []).append(problem.vi if pick == "vi" else problem.en)
        return Status(
            422, {"detail": _("Invalid input: %(n)s problem(s).") % {"n": len(error.problems)}, "errors": errors}
        )
    except NoFrameworkInForce as error:
        return Status(422, {"detail": error.vi if lang == "vi" else str(error), "errors": None})
    except (ConfigError, NoRuleInForce) as error:
        return Status(422, {"detail": str(error), "errors": None})
    return [result.to_dict(lang, details) for result in results]


class LevelOut(Schema):
    code: str
    name: str
    tier: str
    parent: str | None
    day: date
    framework: str
    rule_version: str
    level: int | None  # in force at the moment read
    colour: str | None
    level_name: str | None
    in_force_since: datetime | None
    announced_level: int | None  # an announced change not yet in force
    announced_colour: str | None
    announced_from: datetime | None
    computed_level: int | None  # of the day's assessment
    applied_level: int | None
    announced_at: datetime
    effective_from: datetime | None
    effective_to: datetime | None
    reasons: list[str]
    missing: list[str]
    method: str


def _out(item: selectors.PublishedLevel, lang: str, parent: str | None) -> dict[str, Any]:
    row = item.row
    pending = item.pending
    return {
        "code": row.code,
        "name": row.name,
        "tier": row.tier,
        "parent": parent,
        "day": row.day,
        "framework": item.framework or row.framework,
        "rule_version": row.rule_version,
        "level": item.level,
        "colour": item.colour,
        "level_name": item.name(lang),
        "in_force_since": item.since,
        "announced_level": pending[1] if pending else None,
        "announced_colour": selectors.colour_of(pending[0], pending[1]) if pending else None,
        "announced_from": pending[2] if pending else None,
        "computed_level": row.computed_level,
        "applied_level": row.applied_level,
        "announced_at": row.announced_at,
        "effective_from": row.effective_from,
        "effective_to": row.effective_to,
        "reasons": item.reasons(lang),
        "missing": row.missing,
        "method": row.method,
    }


@router.get("/risk/levels", response=list[LevelOut], operation_id="chongdich_api_risk_levels")
def levels(
    request,
    unit: str | None = Query(None, max_length=CODE),
    date: date | None = None,
    lang: str = Query("vi", max_length=4),
):
    """Published levels on ``date`` (default today): the unit and its sub-units, or without ``unit``
    the nation and the provinces.  ``level`` is the level in force (after the notice period) at the
    end of that day, or now for today; ``announced_*`` a change announced but not yet in force."""
    _require_units(request)
    lang = "en" if lang == "en" else "vi"
    day = dates.shown_day(date)
    if unit and unit != NATION_CODE:
        found = (
            AdminUnit.objects.select_related("parent")
            .filter(code=unit, level__in=["province", "district", "commune"])
            .first()
        )
        if found is None:
            raise Http404
        own = selectors.published_level(found.code, day)
        rows = [_out(own, lang, found.parent.code if found.parent_id else NATION_CODE)] if own else []
        rows += [_out(item, lang, found.code) for item in selectors.published(day, parent=found)]
        return rows
    return [_out(item, lang, None if item.row.tier == "nation" else NATION_CODE) for item in selectors.published(day)]
