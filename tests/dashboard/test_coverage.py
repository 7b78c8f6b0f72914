"""Vaccination coverage on the dashboard: the tile, the coverage page (≥ 95% target view) and the map
layer read the vaccination tallies; the page's first row is the tile's figures and the children add
up to it; "no data yet" only where the province keeps no record."""

from __future__ import annotations

import dataclasses
import gzip
import json
from datetime import timedelta
from fractions import Fraction

import pytest
from django.urls import reverse

from chongdich.tallies.coverage import coverage_of
from chongdich.tallies.registry import coverage_parameters
from chongdich.vaccination.selectors.coverage import coverage_parameters as catalogue_parameters
from tests.dashboard.world import TODAY
from tests.helpers import add_doses

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def vaccinated(outbreak):
    """Đức Hạnh (6,500 adults): 5,336 first doses of adults (82.1%; 96 of them to health workers of
    G01, 100 enrolled, and 40 to people 65+ of G07, 50 enrolled), 3,900 full (60%), 650 boosters.
    Phú Văn: 10 first doses (no age bands: its coverage share is unknown)."""
    world, start = outbreak, TODAY - timedelta(days=90)
    add_doses(world.commune, start, 3000, age_band="18_49")
    add_doses(world.commune, start, 1400, age_band="50_64")
    add_doses(world.commune, start, 800, age_band="65_plus")
    add_doses(world.commune, start + timedelta(days=28), 3900, number=2, completes_primary=True)
    add_doses(world.commune, TODAY - timedelta(days=3), 650, kind="booster", product="PF")
    add_doses(world.commune, start, 96, priority_group="G01", age_band="18_49")
    add_doses(world.commune, start, 40, priority_group="G07", high_risk=True, age_band="65_plus")
    add_doses(world.commune, start, 100, field="enrolled", priority_group="G01")
    add_doses(world.commune, start, 50, field="enrolled", priority_group="G07", high_risk=True)
    add_doses(world.other_commune, start, 10, age_band="18_49")
    return world


def test_the_catalogue_gives_the_target_and_the_intervals():
    params = coverage_parameters(TODAY, "70")
    assert params.target_pct == Fraction(95)
    assert params.intervals["PF"] == 21 and params.intervals["MO"] == 28
    assert "AZ" in params.intervals and "JJ" not in params.intervals  # one dose: no interval
    assert params.groups["G01"][0]  # the group's Vietnamese name
    assert catalogue_parameters(TODAY, "70") == params


def test_coverage_figures(vaccinated):
    coverage = coverage_of("25228", vaccinated.commune.path, TODAY)
    assert coverage.known
    assert (coverage.dose1_18plus, coverage.full_18plus, coverage.booster_18plus) == (5336, 3900, 650)
    assert coverage.population.adults == 6500 and coverage.population.high_risk == 800
    assert coverage.dose1_pct == pytest.approx(100 * 5336 / 6500)
    assert coverage.full_pct == pytest.approx(60)
    # dropout: every first dose is older than AstraZeneca's interval; 3,900 completed of 5,336
    assert coverage.dropout_pct == pytest.approx(100 * (5336 - 3900) / 5336)
    unknown = coverage_of("26734", vaccinated.far_commune.path, TODAY)
    assert not unknown.known and unknown.dose1_pct is None  # no record in Hồ Chí Minh City: unknown, not 0


def test_dropout_counts_only_first_doses_past_their_interval(world, settings):
    settings.CHONGDICH_TODAY = f"{TODAY.isoformat()}T12:00"
    add_doses(world.commune, TODAY - timedelta(days=30), 10, product="PF")  # Pfizer, 21 days: due
    add_doses(world.commune, TODAY - timedelta(days=10), 10, product="PF")  # not due yet
    add_doses(world.commune, TODAY - timedelta(days=5), 4, product="PF", number=2, completes_primary=True)
    add_doses(world.commune, TODAY - timedelta(days=5), 3, product="JJ", completes_primary=True)  # one dose
    coverage = coverage_of("25228", world.commune.path, TODAY)
    assert coverage.dose1 == 23 and coverage.dose1_due == 10 and coverage.completed == 4
    assert coverage.dropout_pct == pytest.approx(60)


def test_the_tile_shows_coverage_and_links_to_the_coverage_page(vaccinated, client_of):
    response = client_of("district").get(reverse("dashboard:index") + "?unit=25228")
    page = response.content.decode()
    assert response.context["kpi"]["vaccination"] == pytest.approx(100 * 5336 / 6500)
    assert (
        "82,1%" in page and "dash-nodata" not in page.split('id="tile-vaccination"')[1].split("</div></div></div>")[0]
    )
    assert reverse("dashboard:coverage") + "?unit=25228&amp;day=2021-08-20" in page


def test_the_tile_says_no_data_where_the_province_keeps_no_record(vaccinated, client_of):
    page = client_of("national").get(reverse("dashboard:index") + "?unit=79").content.decode()
    tile = page.split('id="tile-vaccination"')[1].split("</div></div></div>")[0]
    assert "dash-nodata" in tile and "chưa có số liệu" in tile


def test_the_coverage_page_agrees_with_the_tile_and_adds_up(vaccinated, client_of):
    client = client_of("province")
    response = client.get(reverse("dashboard:coverage") + "?unit=691")
    assert response.status_code == 200
    page = response.context["page"]
    dashboard = client.get(reverse("dashboard:index") + "?unit=691").context["data"]
    # The first row is the tile's figures (the tile reads no dropout: its first doses past due are 0).
    assert dataclasses.replace(page.total.coverage, dose1_due=0) == dashboard.coverage
    assert dashboard.coverage.dropout_pct is None
    for name in ("dose1", "dose1_18plus", "full", "full_18plus", "booster", "booster_18plus", "completed"):
        assert getattr(page.total.coverage, name) == sum(getattr(row.coverage, name) for row in page.rows), name
    rows = {row.code: row for row in page.rows}
    assert rows["25229"].coverage.dose1_18plus == 10 and rows["25229"].coverage.dose1_pct is None  # no age bands
    assert [code for code, _name in page.groups] == ["G01", "G07"]
    ducs = {cell.code: cell for cell in rows["25228"].cells}
    assert (ducs["G01"].count, ducs["G01"].enrolled, ducs["G01"].met) == (96, 100, True)  # 96% ≥ 95%
    assert (ducs["G07"].count, ducs["G07"].enrolled, ducs["G07"].met) == (40, 50, False)
    html = response.content.decode()
    assert "96,0%" in html and "96/100" in html and "cov-green" in html and "cov-red" in html
    full = client.get(reverse("dashboard:coverage") + "?unit=691&measure=full").context["page"]
    assert full.measure == "full" and {cell.code: cell.count for cell in full.rows[0].cells} == {"G01": 0, "G07": 0}
    assert client.get(reverse("dashboard:coverage") + "?unit=691&measure=bogus").context["page"].measure == "dose1"


def test_the_coverage_page_of_a_province_without_records(outbreak, client_of):
    response = client_of("national").get(reverse("dashboard:coverage") + "?unit=79")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="coverage-unknown"' in html and "coverage-tiles" not in html


def test_the_coverage_page_of_a_commune_and_odd_days(vaccinated, client_of):
    client = client_of("commune")
    for query in ("", "?unit=25228", "?unit=25228&day=1900-01-01", "?unit=25228&day=garbage", "?day=2999-01-01"):
        assert client.get(reverse("dashboard:coverage") + query).status_code == 200, query
    assert client.get(reverse("dashboard:coverage") + "?unit=691").status_code == 404


def test_the_map_payload_carries_coverage(vaccinated, client_of):
    response = client_of("province").get(reverse("dashboard:map_data") + "?unit=70")
    body = response.content
    payload = json.loads(gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body)
    cv = dict(zip((u[0] for u in payload["u"]), payload["cv"], strict=True))
    assert cv["25228"] == [round(100 * 5336 / 6500, 1), 60.0]
    assert cv["25229"] == [None, None]  # no age bands
    nation = client_of("national").get(reverse("dashboard:map_data") + "?unit=VN")
    body = nation.content
    payload = json.loads(gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body)
    cv = dict(zip((u[0] for u in payload["u"]), payload["cv"], strict=True))
    assert cv["79"] == [None, None]  # no record in the province
    map_page = client_of("province").get(reverse("dashboard:map") + "?unit=70").content.decode()
    assert 'id="map-layer"' in map_page and "82,1%" in map_page
