"""Dashboard and map pages: access by scope, links behind the tiles, constant queries, no person table."""

import gzip
import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.dashboard.world import TODAY, assess, tally

pytestmark = [pytest.mark.django_db]

ALL = ["national", "province", "district", "commune", "other_commune", "health", "checkpoint", "community", "viewer"]
PERSON_TABLES = ("people_", "surveillance_", "care_", "testing_")


def expect(ok: set[str]) -> dict:
    return {persona: 200 if persona in ok else 404 for persona in ALL}


ACCESS = {
    "": expect(set(ALL)),  # everyone's own area (a village team: its commune)
    "?unit=691": expect({"national", "province", "district", "viewer"}),
    "?unit=25228": expect({"national", "province", "district", "viewer", "commune", "health", "community"}),
    "?unit=25229": expect({"national", "province", "district", "viewer", "other_commune"}),
    "?unit=79": expect({"national"}),
    "?unit=VN": expect({"national"}),
    "?unit=25228-01": expect(set()),  # villages have no dashboard
    "?unit=nothing": expect(set()),
}


@pytest.mark.parametrize("query", list(ACCESS))
@pytest.mark.parametrize("page", ["dashboard:index", "dashboard:map", "dashboard:map_data", "dashboard:coverage"])
def test_access_by_scope(outbreak, client_of, page, query):
    for persona, status in ACCESS[query].items():
        response = client_of(persona).get(reverse(page) + query)
        assert response.status_code == status, (persona, query, response.status_code)
    assert client_of(None).get(reverse(page) + query).status_code == 302


def test_a_village_team_sees_the_figures_of_its_commune(outbreak, client_of):
    """Tallies stop at communes: the team of Thôn 1 gets Đức Hạnh's dashboard and map, not the district's."""
    client = client_of("community")
    response = client.get(reverse("dashboard:index"))
    as_district = client_of("district").get(reverse("dashboard:index") + "?unit=25228")
    assert response.context["place"].code == "25228" and response.context["kpi"] == as_district.context["kpi"]
    assert response.context["kpi"]["active"] > 0
    assert [code for code, _label in response.context["choices"]][:1] == ["25228"]
    assert client.get(reverse("dashboard:map")).context["place"].code == "25228"
    assert client.get(reverse("dashboard:index") + "?unit=691").status_code == 404


def test_dashboard_page(outbreak, client_of):
    response = client_of("district").get(reverse("dashboard:index"))
    page = response.content.decode()
    assert response.context["place"].code == "691"
    assert response.context["kpi"]["new_today"] == 6
    for element in (
        "tile-new-today",
        "tile-new-7d",
        "tile-active",
        "tile-f1",
        "tile-tests",
        "tile-beds",
        "tile-quarantine",
        "tile-vaccination",
        "epicurve",
        "dash-gauges",
        "dash-rose",
        "dash-tasks",
        "dash-children",
        "home-q",
    ):
        assert f'id="{element}"' in page, element
    assert 'class="kpi dash-nodata"' in page  # vaccination: no data yet, not 0
    assert "Lập chốt kiểm soát" in page and "Việc của tỉnh khác" not in page
    assert page.count('class="dash-svg dash-spark"') == 3
    assert "Xã Đức Hạnh" in page and "Tân Định" not in page


def test_tiles_link_to_the_filtered_lists(outbreak, client_of):
    page = client_of("district").get(reverse("dashboard:index")).content.decode()
    assert 'href="/cases/?confirmed_from=2021-08-20&amp;confirmed_to=2021-08-20&amp;unit=691"' in page
    assert (
        'href="/cases/?detected_in=community&amp;confirmed_from=2021-08-14&amp;confirmed_to=2021-08-20&amp;unit=691"'
        in page
    )
    assert 'href="/cases/?active_on=2021-08-20&amp;treatment_place=field_hospital&amp;unit=691"' in page
    assert (
        'href="/testing/samples/?result_from=2021-08-20&amp;result_to=2021-08-20&amp;status=positive&amp;unit=691"'
        in page
    )
    assert 'href="/care/quarantine/?on=2021-08-20&amp;unit=691"' in page
    assert 'href="/care/quarantine/?on=2021-08-20&amp;place=home&amp;unit=691"' in page
    assert 'href="/care/facilities/?day=2021-08-20&amp;unit=691"' in page
    assert 'href="/risk/691/"' in page and 'href="/risk/25228/"' in page  # the unit whose level rose
    assert 'href="/risk/691/scenario/"' in page  # overdue task


def test_links_follow_the_list_they_open(outbreak, client_of):
    """A tile's list shows what the tile counts: the case list filtered by the link has today's cases."""
    from chongdich.surveillance.filters import CaseFilter

    form = CaseFilter(
        {
            "confirmed_from": "2021-08-20",
            "confirmed_to": "2021-08-20",
            "unit": "691",
            "detected_in": "community",
            "outcome": "active",
            "treatment_place": "home",
        },
        user=None,
    )
    assert set(form.values()) == {
        "confirmed_from",
        "confirmed_to",
        "unit",
        "detected_in",
        "outcome",
        "treatment_place",
    }
    for url in (
        "/cases/?confirmed_from=2021-08-20&confirmed_to=2021-08-20&unit=691",
        "/testing/samples/?result_from=2021-08-20&result_to=2021-08-20&status=positive&unit=691",
        "/care/orders/?kind=home_quarantine&status=active&unit=691",
        "/care/facilities/?kind=concentrated_quarantine&unit=691",
    ):
        assert client_of("district").get(url).status_code == 200, url


def test_viewer_sees_figures_without_links_to_lists(outbreak, client_of):
    page = client_of("viewer").get(reverse("dashboard:index")).content.decode()
    assert 'href="/cases/' not in page and 'href="/testing/' not in page and 'href="/care/' not in page
    assert 'href="/risk/691/"' in page
    assert 'id="home-q"' not in page  # no people search for a viewer


def test_switching_down_the_tree_and_dates(outbreak, client_of):
    client = client_of("province")
    page = client.get(reverse("dashboard:index")).content.decode()
    assert '<option value="70" selected>' in page and '<option value="691">' in page
    response = client.get(reverse("dashboard:index") + "?unit=25228&day=2021-08-19&days=30")
    assert response.context["day"] == TODAY - timedelta(days=1) and response.context["window"] == 30
    assert response.context["crumbs"] == [
        ("70", "Tỉnh Bình Phước", True),
        ("691", "Huyện Bù Gia Mập", True),
        ("25228", "Xã Đức Hạnh", True),
    ]
    assert client.get(reverse("dashboard:index") + "?day=2031-01-01").context["day"] == TODAY  # no future
    assert client.get(reverse("dashboard:index") + "?day=nonsense&days=x").context["day"] == TODAY
    national = client_of("national").get(reverse("dashboard:index")).context
    assert national["place"].code == "VN" and national["kpi"]["new_today"] == 506


def test_a_user_without_an_area_gets_a_message(outbreak, client):
    from chongdich.accounts.models import User

    client.force_login(User.objects.create_user(username="new-officer", password="x-long-password-1"))
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 200 and 'id="dash-no-area"' in response.content.decode()


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def _grow(world, communes: int, days: int):
    """More communes with tallies and assessments for many days."""
    from chongdich.territory.models import AdminUnit

    for i in range(communes):
        unit = AdminUnit(
            code=f"8{i:04d}",
            name=f"Xã Mới {i}",
            level="commune",
            kind="xa",
            parent=world.district,
            lat=11.9 + i / 100,
            lon=107 + i / 100,
        )
        unit.save()
        for offset in range(days):
            tally(unit, TODAY - timedelta(days=offset), cases_new_community=1, active_home=1, treatment_occupied=1)
        for offset in range(0, days, 10):
            assess(unit, TODAY - timedelta(days=offset), offset % 4)


@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/?unit=70", "/dashboard/map/", "/dashboard/map/data.json"])
def test_queries_do_not_grow_with_communes_or_days(outbreak, client_of, url):
    client = client_of("province")
    before = _queries(client, url)
    _grow(outbreak, communes=12, days=40)
    after = _queries(client, url)
    # ~11 of them are the dashboard's; the coverage tile's: the province's vaccination settings (target,
    # intervals), the sums, the population, whether the province keeps records; the movement tile's open
    # alerts by child unit; the forecast's latest run (with a run: its estimates and earliest thresholds,
    # tests/dashboard/test_forecast_tiles.py); the top bar's unread notifications (one count)
    assert len(after) == len(before) <= 26, "\n".join(after)


@pytest.mark.parametrize(
    "url", ["/dashboard/", "/dashboard/map/", "/dashboard/map/data.json", "/dashboard/map/shapes.json"]
)
def test_no_person_level_table_is_read(outbreak, client_of, url):
    for persona in ("national", "district", "viewer"):
        for sql in _queries(client_of(persona), url):
            tables = re.findall(r'(?:FROM|JOIN)\s+"([^"]+)"', sql)
            assert tables or "SAVEPOINT" in sql or sql.startswith(("UPDATE", "INSERT")), sql
            assert not [t for t in tables if t.startswith(PERSON_TABLES)], sql


def test_map_page(outbreak, client_of):
    response = client_of("district").get(reverse("dashboard:map"))
    page = response.content.decode()
    config = response.context["config"]
    assert [u[0] for u in config["payload"]["u"]] == ["25222", "25228", "25229"]
    assert config["tileUrl"] == "" and not config["nation"]
    assert 'id="map-config"' in page and "xstatic/leaflet/leaflet.js" in page and "dashboard/map.js" in page
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page  # no CDN, no tiles
    assert 'id="map-table"' in page and page.count("<tr>") == 4  # the same figures without JavaScript
    assert [fw for fw, _title in response.context["frameworks"]] == ["2686"]


def test_map_tile_url_setting(outbreak, client_of, settings):
    settings.DASHBOARD_TILE_URL = "http://tiles.local/{z}/{x}/{y}.png"
    assert (
        client_of("district").get(reverse("dashboard:map")).context["config"]["tileUrl"] == settings.DASHBOARD_TILE_URL
    )


def test_national_map_shows_provinces(outbreak, client_of):
    config = client_of("national").get(reverse("dashboard:map")).context["config"]
    assert config["nation"] and config["payload"]["tier"] == "province"
    assert [u[0] for u in config["payload"]["u"]] == ["70", "79"]


def test_map_data_json_is_compact_and_gzipped(outbreak, client_of):
    client = client_of("district")
    response = client.get(reverse("dashboard:map_data") + "?unit=25228&days=2")
    assert response["Content-Type"] == "application/json" and "private" in response["Cache-Control"]
    assert json.loads(response.content) == {
        "v": 2,
        "tier": "commune",
        "unit": "25228",
        "day": "2021-08-20",
        "start": "2021-08-19",
        "u": [["25228", "Xã Đức Hạnh", 11.8748, 107.0421, 65, 19, None]],
        "lv": ["1", "2"],
        "cv": [[None, None]],  # no vaccination recorded in the province: coverage unknown
        "d": [],  # a commune's map outlines no district
        "dlv": [],
        "rt": {"day": None, "u": [None], "d": []},  # no estimate yet (the district committee may see them)
        "shapes": 0,
    }
    big = client.get(reverse("dashboard:map_data") + "?days=120", HTTP_ACCEPT_ENCODING="gzip")
    assert big["Content-Encoding"] == "gzip" and len(json.loads(gzip.decompress(big.content))["lv"]) == 120


def test_map_shapes(outbreak, client_of, tmp_path):
    from chongdich.dashboard.actions import load_boundaries
    from tests.dashboard.test_boundaries import circle, feature, write

    load_boundaries(
        write(
            tmp_path,
            [feature({"code": "25228"}, circle(11.8748, 107.0421)), feature({"code": "26734"}, circle(10.79, 106.69))],
        )
    )
    data = json.loads(client_of("district").get(reverse("dashboard:map_shapes")).content)
    assert list(data["s"]) == ["25228"]
    assert list(json.loads(client_of("national").get(reverse("dashboard:map_shapes") + "?unit=79").content)["s"]) == [
        "26734"
    ]
    assert (
        json.loads(client_of("national").get(reverse("dashboard:map_shapes")).content)["s"] == {}
    )  # no province outline loaded
    assert client_of("district").get(reverse("dashboard:map_shapes") + "?unit=79").status_code == 404
