"""The filtered list behind each dashboard tile, offered only to users who may open it for the
whole place (so that the list shows what the tile counts, and a viewer gets no dead links).

The lists apply their own scope (``for_user``) whatever the query string says: a link can narrow a
list, never widen it.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from django.urls import reverse

from chongdich.core.roles import Cap
from chongdich.core.scoping import scope_for


class TileLinks:
    def __init__(self, user, place, day: date):
        self.place, self.day = place, day
        self._can = {
            cap: scope_for(user, cap).contains(place.path) for cap in (Cap.CASES_VIEW, Cap.TESTS_VIEW, Cap.CARE_VIEW)
        }

    def _unit(self) -> dict:
        return {} if self.place.is_nation else {"unit": self.place.code}

    def _url(self, name: str, params: dict) -> str:
        query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
        return reverse(name) + (f"?{query}" if query else "")

    def cases(self, *, days: int | None = None, **filters) -> str | None:
        """The case list: confirmed over the last ``days`` days (up to the dashboard's day) and/or
        narrowed by outcome, detected_in, treatment_place."""
        if not self._can[Cap.CASES_VIEW]:
            return None
        params = dict(filters)
        if days:
            params["confirmed_from"] = (self.day - timedelta(days=days - 1)).isoformat()
            params["confirmed_to"] = self.day.isoformat()
        return self._url("surveillance:list", {**params, **self._unit()})

    def samples(self, *, days: int = 1, **filters) -> str | None:
        """Samples whose result came over the last ``days`` days: what the tests tiles count."""
        if not self._can[Cap.TESTS_VIEW]:
            return None
        params = {
            "result_from": (self.day - timedelta(days=days - 1)).isoformat(),
            "result_to": self.day.isoformat(),
            **filters,
        }
        return self._url("testing:samples", {**params, **self._unit()})

    def facilities(self, **filters) -> str | None:
        return self._url("care:facilities", {**filters, **self._unit()}) if self._can[Cap.CARE_VIEW] else None

    def orders(self, **filters) -> str | None:
        return self._url("care:orders", {**filters, **self._unit()}) if self._can[Cap.CARE_VIEW] else None

    def stays(self) -> str | None:
        return self._url("care:today", self._unit()) if self._can[Cap.CARE_VIEW] else None


def risk_unit(code: str) -> str:
    return reverse("risk:unit", args=[code])


def risk_scenario(code: str) -> str:
    return reverse("risk:scenario", args=[code])


def tile_links(user, place, day: date) -> dict[str, str | None]:
    """Every tile's link by name (None: the user may not open that list for the whole place)."""
    links = TileLinks(user, place, day)
    result = {
        "new_today": links.cases(days=1),
        "new_today_community": links.cases(days=1, detected_in="community"),
        "new_7d": links.cases(days=7),
        "new_7d_community": links.cases(days=7, detected_in="community"),
        "active": links.cases(outcome="active"),
        "deaths": links.cases(outcome="died"),
        "f1_home": links.orders(kind="home_quarantine", status="active"),
        "f1_facility": links.facilities(kind="concentrated_quarantine"),
        "tests_today": links.samples(days=1),
        "positive_today": links.samples(days=1, status="positive"),
        "tests_7d": links.samples(days=7),
        "pending": (reverse("testing:pending") if links._can[Cap.TESTS_VIEW] else None),
        "beds": links.facilities(),
        "quarantine_places": links.facilities(kind="concentrated_quarantine"),
        "risk": risk_unit(place.code),
    }
    for field, treatment_place in (("active_hospital", "hospital"), ("active_field_hospital", "field_hospital"),
                                   ("active_treatment_area", "treatment_area"), ("active_concentrated", "concentrated"),
                                   ("active_home", "home")):  # fmt: skip
        result[field] = links.cases(outcome="active", treatment_place=treatment_place)
    return result
