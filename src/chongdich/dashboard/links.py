"""Every figure of the dashboard that opens a list, and the list it opens (``FIGURES``).

The coverage tile opens the coverage page (``coverage_view``), whose first row is the tile's figures
for the place (tests/dashboard/test_coverage.py checks they agree) and whose other rows break them
down by child unit and priority group.

A figure must equal what its list shows: the rows of the list (cases, samples, people in quarantine)
or, for the bed tiles, the total the facility list shows above its cards.  Lists that count a state
("under treatment", "in quarantine", "waiting for a result") are asked for that state *on the
dashboard's day*, by dates, as the tallies count it — so the two agree for a past day too, and before
the nightly job has closed what ended.  ``tests/dashboard/test_figures_match_lists.py`` walks
``FIGURES`` over the generated demo: a figure added here is checked there without further work; the
template shows only links that come from here.

Links are offered only to users who may open the list for the whole place (so that the list shows
what the figure counts, and a viewer gets no dead links).  The lists apply their own scope
(``for_user``) whatever the query string says: a link can narrow a list, never widen it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from chongdich.core.roles import Cap
from chongdich.core.scoping import in_scope

ROWS = "rows"  # the figure is the number of rows of the list
FREE_BEDS = "free_beds"  # free treatment, oxygen and ICU beds shown by the facility list's totals
FREE_QUARANTINE = "free_quarantine"  # free quarantine places shown by the facility list's totals


class TileLinks:
    def __init__(self, user, place, day: date):
        self.place, self.day = place, day
        self._can = {
            cap: in_scope(user, cap, place.path)
            for cap in (Cap.CASES_VIEW, Cap.TESTS_VIEW, Cap.CARE_VIEW, Cap.MOVEMENT_VIEW)
        }

    def _unit(self) -> dict:
        return {} if self.place.is_nation else {"unit": self.place.code}

    def _url(self, name: str, params: dict) -> str:
        query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
        return reverse(name) + (f"?{query}" if query else "")

    def movement(self, name: str, **filters) -> str | None:
        """A movement list (declarations, passages, check-ins: the day's rows; alerts: raised on the
        day, or ``open_on`` it) for the place.  None while that page does not exist."""
        if not self._can[Cap.MOVEMENT_VIEW]:
            return None
        params = {**filters, **self._unit()}
        if "open_on" not in params:
            params["day"] = self.day.isoformat()
        try:
            return self._url(f"movement:{name}", params)
        except NoReverseMatch:
            return None

    def open_alerts(self, code: str | None = None) -> str | None:
        """Alerts open at the end of the dashboard's day (of the place, or of one child unit)."""
        if not self._can[Cap.MOVEMENT_VIEW]:
            return None
        params = {"open_on": self.day.isoformat(), **({"unit": code} if code else self._unit())}
        return self._url("movement:alerts", params)

    def _since(self, days: int) -> str:
        return (self.day - timedelta(days=days - 1)).isoformat()

    def cases(self, *, days: int | None = None, **filters) -> str | None:
        """The case list: confirmed over the last ``days`` days (up to the dashboard's day) and/or
        narrowed by outcome, detected_in, active_on (+ treatment_place), outcome dates."""
        if not self._can[Cap.CASES_VIEW]:
            return None
        params = dict(filters)
        if days:
            params["confirmed_from"], params["confirmed_to"] = self._since(days), self.day.isoformat()
        return self._url("surveillance:list", {**params, **self._unit()})

    def active_cases(self, treatment_place: str = "") -> str | None:
        """Cases under treatment at the end of the dashboard's day (by their treatment episodes)."""
        return self.cases(active_on=self.day.isoformat(), treatment_place=treatment_place)

    def samples(self, *, days: int | None = None, **filters) -> str | None:
        """Samples whose result came over the last ``days`` days (what the tests tiles count), or
        filtered otherwise (``pending_on``)."""
        if not self._can[Cap.TESTS_VIEW]:
            return None
        dates = {"result_from": self._since(days), "result_to": self.day.isoformat()} if days else {}
        return self._url("testing:samples", {**dates, **filters, **self._unit()})

    def facilities(self, **filters) -> str | None:
        if not self._can[Cap.CARE_VIEW]:
            return None
        return self._url("care:facilities", {"day": self.day.isoformat(), **filters, **self._unit()})

    def quarantine(self, place: str = "") -> str | None:
        """People in quarantine (F1) on the dashboard's day: at home, in facilities, or both."""
        if not self._can[Cap.CARE_VIEW]:
            return None
        return self._url("care:quarantine", {"on": self.day.isoformat(), "place": place, **self._unit()})


@dataclass(frozen=True)
class Figure:
    """A number on the dashboard (``value`` of the KPI dict) and the list that shows it (``link``)."""

    key: str
    value: Callable[[dict], int]
    link: Callable[[TileLinks], str | None]
    measure: str = ROWS


def _kpi(name: str) -> Callable[[dict], int]:
    return lambda kpi: kpi[name]


TREATMENT_PLACES = (
    ("active_hospital", "hospital"),
    ("active_field_hospital", "field_hospital"),
    ("active_treatment_area", "treatment_area"),
    ("active_concentrated", "concentrated"),
    ("active_home", "home"),
)

FIGURES: tuple[Figure, ...] = (
    Figure("new_today", _kpi("new_today"), lambda links: links.cases(days=1)),
    Figure(
        "new_today_community", _kpi("new_today_community"), lambda links: links.cases(days=1, detected_in="community")
    ),
    Figure("new_7d", _kpi("new_7d"), lambda links: links.cases(days=7)),
    Figure("new_7d_community", _kpi("new_7d_community"), lambda links: links.cases(days=7, detected_in="community")),
    Figure("active", _kpi("active"), lambda links: links.active_cases()),
    Figure(
        "deaths",
        _kpi("deaths_7d"),
        lambda links: links.cases(outcome="died", outcome_from=links._since(7), outcome_to=links.day.isoformat()),
    ),
    Figure("f1", _kpi("f1"), lambda links: links.quarantine()),
    Figure("f1_home", _kpi("f1_home"), lambda links: links.quarantine("home")),
    Figure("f1_facility", _kpi("f1_facility"), lambda links: links.quarantine("facility")),
    Figure("tests_today", _kpi("tests_today"), lambda links: links.samples(days=1, tested="1")),
    Figure("positive_today", _kpi("positive_today"), lambda links: links.samples(days=1, status="positive")),
    Figure("pending", _kpi("samples_pending"), lambda links: links.samples(pending_on=links.day.isoformat())),
    Figure("beds", _kpi("free_beds"), lambda links: links.facilities(), FREE_BEDS),
    Figure("quarantine_places", _kpi("free_quarantine"), lambda links: links.facilities(), FREE_QUARANTINE),
    *(
        Figure(field, _kpi(field), lambda links, place=place: links.active_cases(place))
        for field, place in TREATMENT_PLACES
    ),
    # the movement tile: lists of the movement app with the place's unit and the day
    Figure("movement_declarations", _kpi("movement_declarations"), lambda links: links.movement("declarations")),
    Figure(
        "movement_symptomatic",
        _kpi("movement_symptomatic"),
        lambda links: links.movement("declarations", symptomatic="1"),
    ),
    Figure("movement_passages", _kpi("movement_passages"), lambda links: links.movement("passages")),
    Figure("movement_checkins", _kpi("movement_checkins"), lambda links: links.movement("checkins")),
    Figure("alerts_new", _kpi("alerts_new"), lambda links: links.movement("alerts")),
    Figure("alerts_open", _kpi("alerts_open"), lambda links: links.open_alerts()),
)


def risk_unit(code: str) -> str:
    return reverse("risk:unit", args=[code])


def risk_scenario(code: str) -> str:
    return reverse("risk:scenario", args=[code])


def tile_links(user, place, day: date) -> dict[str, str | None]:
    """Every figure's link by key (None: the user may not open that list for the whole place), and the
    place's risk page."""
    links = TileLinks(user, place, day)
    return {
        **{figure.key: figure.link(links) for figure in FIGURES},
        "risk": risk_unit(place.code),
        "coverage": coverage_view(place, day),
    }


def open_alert_links(user, place, day: date, codes) -> dict[str, str | None]:
    """The alert list of each child unit, open at the end of the day (the "open alerts by unit" card)."""
    links = TileLinks(user, place, day)
    return {code: links.open_alerts(code) for code in codes}


def forecast_overview(code: str, day: date, anchor: str = "") -> str:
    """The forecast overview of a unit (its ranking of child units by growth and Rt, what runs out
    first): the page behind the dashboard's first two cards."""
    query = urlencode({"unit": code, "day": day.isoformat()})
    return f"{reverse('forecast:overview')}?{query}" + (f"#{anchor}" if anchor else "")


def forecast_unit(code: str, day: date) -> str:
    """A unit's forecast page (its Rt over time, its projection)."""
    return f"{reverse('forecast:unit', args=[code])}?{urlencode({'day': day.isoformat()})}"


def coverage_view(place, day: date) -> str:
    """The vaccination coverage page of the place (the tile's figures and where they come from)."""
    return reverse("dashboard:coverage") + "?" + urlencode({"unit": place.code, "day": day.isoformat()})
