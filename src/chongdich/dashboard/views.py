"""Command dashboard and epidemic map of a scope (aggregates only: every role with ``units.view``).

The dashboard can serve as the home page: without ``?unit=`` it opens the user's first area.
"""

from __future__ import annotations

import json
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from chongdich.core import clock, dates
from chongdich.core.access import capability_required
from chongdich.core.roles import Cap
from chongdich.dashboard import mapdata, present, selectors
from chongdich.dashboard.links import open_alert_links, tile_links
from chongdich.risk.names import lang


def _day(request) -> date:
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return clock.today()
    return dates.shown_day(day)


def _int(request, name: str, default: int) -> int:
    try:
        return int(request.GET.get(name, default))
    except ValueError:
        return default


def _place(request):
    """(scope, the user's areas, the place asked for or the first area); 404 outside the scope."""
    scope, roots = selectors.places_for(request.user)
    code = request.GET.get("unit", "").strip()
    if code:
        place = selectors.place_for(request.user, code, scope)
        if place is None:
            raise Http404
    else:
        place = roots[0] if roots else None
    return scope, roots, place


def _choices(place, roots, crumbs, children) -> list[tuple[str, str]]:
    """Units offered by the switcher: the user's areas, the way down to this place, its children."""
    seen, result = set(), []
    for code, label in [
        *((r.code, r.name) for r in roots),
        *((c, n) for c, n, ok in crumbs if ok),
        *((code, "— " + name) for code, name in children),
    ]:
        if code not in seen:
            seen.add(code)
            result.append((code, label))
    return result


@gzip_page
@login_required
def index(request):
    scope, roots, place = _place(request)
    context = {
        "recent_imports": selectors.recent_imports(request.user),
        "place": place,
        "today": clock.today(),
    }
    if place is None:
        return render(request, "dashboard/index.html", context)
    day = _day(request)
    data = selectors.dashboard(place, day, _int(request, "days", selectors.DEFAULT_WINDOW))
    crumbs = selectors.breadcrumbs(place, scope)
    context.update(
        {
            "data": data,
            "day": day,
            "kpi": data.kpi,
            "crumbs": crumbs,
            "window": len(data.days),
            "windows": selectors.WINDOWS,
            "links": tile_links(request.user, place, day),
            "alert_links": open_alert_links(request.user, place, day, [code for code, _n, _c in data.open_alerts]),
            "lang": lang(),
            "curve": present.curve(data),
            "multiples": present.small_multiples(data),
            "gauges": present.gauges(data),
            "choices": _choices(place, roots, crumbs, [(c.code, c.name) for c in data.children]),
            "series_rows": list(zip(reversed(data.series), reversed(data.average), strict=True)),
        }
    )
    return render(request, "dashboard/index.html", context)


@gzip_page
@capability_required(Cap.UNITS_VIEW)
def coverage(request):
    """Vaccination coverage of a place and its child units, and per priority group against the target."""
    scope, roots, place = _place(request)
    if place is None:
        raise Http404
    day = _day(request)
    page = selectors.coverage_page(place, day, request.GET.get("measure", ""), lang())
    crumbs = selectors.breadcrumbs(place, scope)
    return render(
        request,
        "dashboard/coverage.html",
        {
            "page": page,
            "place": place,
            "day": day,
            "today": clock.today(),
            "crumbs": crumbs,
            "choices": _choices(place, roots, crumbs, [(row.code, row.name) for row in page.rows]),
        },
    )


def _payload_json(payload: dict) -> str:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder)


@gzip_page
@capability_required(Cap.UNITS_VIEW)
def map_view(request):
    scope, roots, place = _place(request)
    if place is None:
        raise Http404
    day = _day(request)
    payload = mapdata.map_payload(place, day, _int(request, "days", mapdata.DEFAULT_DAYS), user=request.user)
    crumbs = selectors.breadcrumbs(place, scope)
    return render(
        request,
        "dashboard/map.html",
        {
            "place": place,
            "day": day,
            "crumbs": crumbs,
            "days": len(payload["lv"]),
            "choices": _choices(place, roots, crumbs, selectors.children_of(place)),
            **present.map_page(place, payload, lang()),
        },
    )


def _json_response(payload: dict, *, max_age: int = 0) -> HttpResponse:
    response = HttpResponse(_payload_json(payload), content_type="application/json")
    response["Cache-Control"] = f"private, max-age={max_age}" if max_age else "private, no-cache"
    return response


@gzip_page
@require_GET
@capability_required(Cap.UNITS_VIEW)
def map_data(request):
    _scope, _roots, place = _place(request)
    if place is None:
        raise Http404
    return _json_response(
        mapdata.map_payload(place, _day(request), _int(request, "days", mapdata.DEFAULT_DAYS), user=request.user)
    )


@gzip_page
@require_GET
@capability_required(Cap.UNITS_VIEW)
def map_shapes(request):
    _scope, _roots, place = _place(request)
    if place is None:
        raise Http404
    return _json_response(mapdata.shapes_payload(place), max_age=3600)
