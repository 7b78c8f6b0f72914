"""The movement index: today's figures of the user's area from the tallies (each with the list that
equals it) and the open alerts to act on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from chongdich.core.scoping import in_scope, scope_for
from chongdich.movement.models import VIEW
from chongdich.tallies.selectors import levels_on
from chongdich.territory.models import AdminUnit, Level

FIGURE_FIELDS = (
    "declarations",
    "declarations_symptomatic",
    "arrivals_watched",
    "passages",
    "checkins",
    "alerts_new",
    "alerts_open",
)

# The list each figure opens, with the parameters that make the list equal the figure (the unit and
# the day are added).  A page another part of the app has not added yet gives no link.
LISTS: dict[str, tuple[str, dict[str, str]] | None] = {
    "declarations": ("movement:declarations", {}),
    "declarations_symptomatic": ("movement:declarations", {"symptomatic": "1"}),
    "arrivals_watched": None,  # declarations and inbound passages together: no single list
    "passages": ("movement:passages", {}),
    "checkins": ("movement:checkins", {}),
    "alerts_new": ("movement:alerts", {}),
    "alerts_open": ("movement:alerts", {"open_on": ""}),
}


def list_url(name: str, params: dict) -> str | None:
    try:
        url = reverse(name)
    except NoReverseMatch:
        return None
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return url + (f"?{query}" if query else "")


def figure_links(unit: AdminUnit | None, day: date, *, linked: bool = True) -> dict[str, str | None]:
    """Each figure's list for ``unit`` (None: the whole country) on ``day``."""
    links: dict[str, str | None] = {}
    for field in FIGURE_FIELDS:
        target = LISTS.get(field)
        if target is None or not linked:
            links[field] = None
            continue
        name, extra = target
        params = {"unit": unit.code if unit is not None else ""}
        if field == "alerts_open":
            params["open_on"] = day.isoformat()
        else:
            params["day"] = day.isoformat()
        params.update({k: v for k, v in extra.items() if v})
        links[field] = list_url(name, params)
    return links


@dataclass(frozen=True)
class Area:
    unit: AdminUnit | None  # None: the whole country
    linked: bool  # the lists show the same rows as the figures (not for a village team: tallies are per commune)

    @property
    def path(self) -> str:
        return self.unit.path if self.unit is not None else ""

    @property
    def name(self) -> str:
        return self.unit.name if self.unit is not None else ""


def area_of(user, code: str = "") -> Area | None:
    """The area whose figures the page shows: the unit asked for when the user may see it, else the
    user's own (the highest of their grants); a village team reads its commune's figures."""
    scope = scope_for(user, VIEW)
    if scope.empty:
        return None
    if code:
        unit = AdminUnit.objects.filter(code=code).select_related("parent").first()
        if unit is not None and in_scope(user, VIEW, unit) and unit.level != Level.VILLAGE:
            return Area(unit, True)
    if scope.everything:
        return Area(None, True)
    paths = sorted(scope.paths, key=len)
    code = paths[0].strip("/").split("/")[-1]
    unit = AdminUnit.objects.filter(code=code).select_related("parent").first()
    if unit is not None and unit.level == Level.VILLAGE:
        return Area(unit.parent, False)
    return Area(unit, True)


def figures(area: Area, day: date) -> dict[str, int]:
    return levels_on(area.path, day, FIGURE_FIELDS)
