"""The reads behind the forecast pages and the dashboard: scope first, worst first, soonest first,
counts that equal the lists, and the day fallback when the night's run has not come yet."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chongdich.forecast import selectors
from chongdich.forecast.models import Method
from tests.forecast import pages_data
from tests.forecast.pages_data import D


@pytest.fixture
def data(world):
    return pages_data.build(world)


def _place(user, code):
    return selectors.place_for(user, code)


def test_places_follow_the_forecast_scope(personas, world):
    _scope, roots = selectors.places_for(personas["district"])
    assert [p.code for p in roots] == ["691"]
    assert selectors.place_for(personas["district"], "79") is None
    assert selectors.place_for(personas["district"], "VN") is None
    assert selectors.place_for(personas["national"], "VN").is_nation
    assert selectors.places_for(personas["community"])[1] == []  # no forecast.view


def test_ranking_by_growth_and_by_rt(personas, data):
    user = personas["district"]
    place = _place(user, "691")
    by_growth = [e.unit.code for e in selectors.ranking(user, place, D)]
    assert by_growth == ["25222", "25228", "25229"]
    by_rt = [e.unit.code for e in selectors.ranking(user, place, D, by="rt")]
    assert by_rt == ["25228", "25229", "25222"]
    counts = selectors.ranking_counts(user, place, D)
    assert counts == {"units": 3, "growing": 2, "rt_above": 0, "unreliable": 1}
    assert counts["units"] == len(by_growth)


def test_latest_day_is_used_when_the_run_is_missing(personas, data):
    user = personas["district"]
    place = _place(user, "691")
    later = D + timedelta(days=3)
    assert selectors.estimate_day(user, place, later) == D
    assert selectors.latest_estimates(user, place, later).count() == 4  # the district and its communes
    assert selectors.latest_estimates(user, place, D - timedelta(days=400)).count() == 0


def test_runouts_soonest_first_and_limited(personas, data):
    user = personas["district"]
    place = _place(user, "691")
    rows = list(selectors.runouts(user, place, D))
    assert [(r.days, r.days_early) for r in rows] == [(0, 0), (5, 3), (9, 6), (None, 20)]
    assert len(selectors.runouts(user, place, D, limit=2)) == 2
    assert selectors.runout_counts(user, place, D) == {"total": 4, "now": 1, "soon": 3}
    # The national admin's nation-wide list includes the far province; nobody else's does.
    nation = selectors.runouts(personas["national"], selectors.NATION, D)
    assert nation.count() == 5 and nation.first().subject == "Cách ly Đức Hạnh"


def test_a_unit_page_reads(personas, data, world):
    user = personas["commune"]
    place = _place(user, "25228")
    assert len(selectors.rt_series(user, place, D)) == 60
    assert selectors.projection(user, place, D).method == Method.RENEWAL
    assert selectors.projection(user, place, D, Method.NAIVE).method == Method.NAIVE
    assert selectors.projection(user, place, D - timedelta(days=1)) is None
    accuracy = selectors.accuracy(user, place, D)
    assert list(accuracy) == [7, 14] and list(accuracy[7]) == ["renewal", "naive"]
    assert selectors.verdict(accuracy[7]["renewal"], accuracy[7]["naive"]) == "better"
    assert selectors.verdict(accuracy[7]["naive"], accuracy[7]["renewal"]) == "worse"
    empty = selectors.accuracy(user, place, D - timedelta(days=200))
    assert selectors.verdict(empty[7]["renewal"], empty[7]["naive"]) == "unknown"
    assert selectors.imported_choice(place) == "imported"


def test_observed_counts_quarantine_cases_only_when_local(world, tally):
    tally(world.commune, D, cases_new_community=5, cases_new_isolated=3)
    place = selectors.place_of(world.commune)
    assert selectors.observed(place, D, D, "imported") == [(D, 5)]
    assert selectors.observed(place, D, D, "local") == [(D, 8)]
