"""The map's outlines and layers: a province's districts (with their levels, sums, Rt and growth) around
its communes, the district's own outline on a district map, the nightly estimates of the day, scope."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse

from chongdich.dashboard import mapdata
from chongdich.dashboard.actions import load_boundaries
from chongdich.dashboard.selectors import NATION, place_of
from chongdich.territory.models import AdminUnit
from tests.dashboard.test_boundaries import circle, feature, write
from tests.dashboard.world import TODAY, assess, tally

pytestmark = pytest.mark.django_db

SOURCE = "Ranh giới: thử nghiệm, GPL-3.0"


@pytest.fixture
def province(outbreak, tmp_path):
    """A second district of Bình Phước (Lộc Ninh, one commune with cases, red), and the outlines of the
    province's two districts and of Hồ Chí Minh City's district, loaded from a small GeoJSON file."""
    w = outbreak
    loc_ninh = AdminUnit(code="692", name="Huyện Lộc Ninh", level="district", kind="huyen", parent=w.province)
    loc_ninh.lat, loc_ninh.lon = 11.85, 106.6
    loc_ninh.save()
    loc_thanh = AdminUnit(code="25270", name="Xã Lộc Thạnh", level="commune", kind="xa", parent=loc_ninh)
    loc_thanh.lat, loc_thanh.lon = 11.9, 106.55
    loc_thanh.save()
    tally(loc_thanh, TODAY, cases_new_community=4, active_home=6)
    for day in (TODAY - timedelta(days=1), TODAY):
        assess(loc_ninh, day, 3)
        assess(loc_thanh, day, 3)
    path = write(
        tmp_path,
        [
            feature({"code": "691", "province": "70"}, circle(11.95, 107.05, radius=0.15, points=80)),
            feature({"code": "692", "province": "70"}, circle(11.85, 106.6, radius=0.15, points=80)),
            feature({"code": "760", "province": "79"}, circle(10.78, 106.7, radius=0.03, points=40)),
        ],
        name="districts.geojson",
    )
    result = load_boundaries(path, source=SOURCE, within="70")
    assert result.loaded == 2  # Hồ Chí Minh City's district left out by --within
    w.loc_ninh, w.loc_thanh = loc_ninh, loc_thanh
    return w


def test_province_payload_with_district_outlines(province):
    payload = mapdata.map_payload(place_of(province.province), TODAY, days=2)
    assert [u[0] for u in payload["u"]] == ["25222", "25228", "25229", "25270"]
    assert [u[6] for u in payload["u"]] == [0, 0, 0, 1]  # each commune inside its district
    assert payload["d"] == [
        ["691", "Huyện Bù Gia Mập", 12.04, 107.05, 68, 22],
        ["692", "Huyện Lộc Ninh", 11.85, 106.6, 6, 4],
    ]
    # The districts' figures are the sums of their communes' (every figure equals what is behind it).
    for i, area in enumerate(payload["d"]):
        inside = [u for u in payload["u"] if u[6] == i]
        assert area[4] == sum(u[4] for u in inside) and area[5] == sum(u[5] for u in inside)
    assert payload["dlv"] == ["13", "13"]  # Bù Gia Mập yellow, Lộc Ninh red
    assert payload["shapes"] == 2
    shapes = mapdata.shapes_payload(place_of(province.province))
    assert sorted(shapes["s"]) == ["691", "692"] and shapes["src"] == [SOURCE]
    assert "760" not in json.dumps(shapes) and "26734" not in json.dumps(payload)


def test_district_map_outlines_the_district_only(province):
    place = place_of(province.district)
    payload = mapdata.map_payload(place, TODAY, days=1)
    assert [d[0] for d in payload["d"]] == ["691"] and payload["dlv"] == ["1"]
    assert "25270" not in json.dumps(payload)  # Lộc Ninh's commune is not in the district
    assert list(mapdata.shapes_payload(place)["s"]) == ["691"]


def test_commune_and_nation_maps_have_no_areas(province, tmp_path):
    load_boundaries(write(tmp_path, [feature({"code": "70"}, circle(11.8, 106.9, radius=0.5, points=60))]))
    commune = mapdata.map_payload(place_of(province.commune), TODAY, days=1)
    assert commune["d"] == [] and [u[6] for u in commune["u"]] == [None]
    assert mapdata.shapes_payload(place_of(province.commune))["s"] == {}
    nation = mapdata.map_payload(NATION, TODAY, days=1)
    assert nation["d"] == [] and nation["shapes"] == 1
    assert list(mapdata.shapes_payload(NATION)["s"]) == ["70"]  # provinces only, not the districts


def estimate(unit, day=TODAY, **fields):
    from chongdich.forecast.models import Estimate

    values = {
        "tier": unit.level,
        "window": 7,
        "cases_window": 30,
        "reliable": True,
        "rt_mean": 1.234,
        "rt_lo": 0.91,
        "rt_hi": 1.6,
        "growth_wow": 0.5,
        "cases_7d": 30,
        "cases_prev_7d": 20,
    }
    values.update(fields)
    row = Estimate(day=day, **values)
    row.place_in(unit)
    row.save()
    return row


def test_the_rt_layer_equals_the_estimate_rows(province, personas):
    district = estimate(province.district, rt_mean=1.3456, rt_lo=1.1, rt_hi=1.62, growth_wow=0.25)
    estimate(province.loc_ninh, rt_mean=0.7, rt_lo=0.5, rt_hi=0.95, growth_wow=-0.4, cases_7d=12, cases_prev_7d=20)
    estimate(province.commune, rt_mean=1.8, rt_lo=1.2, rt_hi=2.5, growth_wow=1.5)
    estimate(province.other_commune, reliable=False, rt_mean=3.0, growth_wow=None, cases_7d=2, cases_prev_7d=0)
    estimate(province.commune, day=TODAY - timedelta(days=1), rt_mean=9.0)  # another day: not read
    payload = mapdata.map_payload(place_of(province.province), TODAY, days=1, user=personas["province"])
    rt = payload["rt"]
    assert rt["day"] == "2021-08-20"
    assert rt["d"] == [[1.35, 1.1, 1.62, 0.25, 30], [0.7, 0.5, 0.95, -0.4, 12]]
    codes = [u[0] for u in payload["u"]]
    by_code = dict(zip(codes, rt["u"], strict=True))
    assert by_code == {
        "25222": None,  # no estimate
        "25228": [1.8, 1.2, 2.5, 1.5, 30],
        "25229": [None, None, None, None, 2],  # too few cases: no Rt shown; no case the week before
        "25270": None,
    }
    assert round(district.rt_mean, 2) == rt["d"][0][0]


def test_the_rt_layer_reads_the_latest_estimates_of_the_week(province, personas):
    estimate(province.district, day=TODAY - timedelta(days=2), rt_mean=1.1)
    payload = mapdata.map_payload(place_of(province.district), TODAY, days=1, user=personas["district"])
    assert payload["rt"]["day"] == "2021-08-18" and payload["rt"]["d"] == [[1.1, 0.91, 1.6, 0.5, 30]]
    estimate(province.district, day=TODAY - timedelta(days=8), rt_mean=1.1)
    later = mapdata.map_payload(
        place_of(province.district), TODAY + timedelta(days=6), days=1, user=personas["district"]
    )
    assert later["rt"]["day"] is None and later["rt"]["d"] == [None]


def test_rt_needs_forecast_view(province, personas):
    estimate(province.border_commune)
    checkpoint = mapdata.map_payload(place_of(province.border_commune), TODAY, days=1, user=personas["checkpoint"])
    assert "rt" not in checkpoint  # a checkpoint officer sees units and levels, not forecasts
    commune = mapdata.map_payload(place_of(province.border_commune), TODAY, days=1, user=personas["district"])
    assert commune["rt"]["u"] == [[1.23, 0.91, 1.6, 0.5, 30]]


def test_a_commune_officer_sees_only_his_commune(province, client_of):
    estimate(province.commune)
    estimate(province.district, rt_mean=2.0)
    estimate(province.other_commune, rt_mean=0.5)
    client = client_of("commune")
    data = json.loads(client.get(reverse("dashboard:map_data")).content)
    assert [u[0] for u in data["u"]] == ["25228"] and data["d"] == [] and data["rt"]["d"] == []
    assert data["rt"]["u"] == [[1.23, 0.91, 1.6, 0.5, 30]]
    text = json.dumps(data)
    assert "25229" not in text and "691" not in text and "2.0" not in text
    assert json.loads(client.get(reverse("dashboard:map_shapes")).content)["s"] == {}
    for other in ("691", "70", "25229", "692"):
        assert client.get(reverse("dashboard:map_data") + f"?unit={other}").status_code == 404
        assert client.get(reverse("dashboard:map") + f"?unit={other}").status_code == 404
        assert client.get(reverse("dashboard:map_shapes") + f"?unit={other}").status_code == 404


def test_the_map_page_offers_the_rt_layers(province, client_of):
    page = client_of("province").get(reverse("dashboard:map")).content.decode()
    assert 'value="rt"' in page and 'value="growth"' in page and 'id="map-rt-legend"' in page
    assert "0,8 – 1,0" in page or "0.8 – 1.0" in page  # the Rt bands in the legend
    checkpoint = client_of("checkpoint").get(reverse("dashboard:map")).content.decode()
    assert 'value="rt"' not in checkpoint and 'id="map-legend"' in checkpoint
