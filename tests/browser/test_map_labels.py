"""The map with real outlines in a browser: a province's districts drawn as polygons coloured by their
level (or Rt), its communes as labelled circles inside them, and labels that never overlap — measured
in the browser at 360 and 1366 px, and again after zooming in (the placement is recomputed)."""

import math
from datetime import timedelta

import pytest

from tests.dashboard.world import TODAY, assess, tally

pytestmark = [pytest.mark.django_db(transaction=True)]

ORANGE, RED, YELLOW = "#fd7e14", "#b02a37", "#ffc107"


def square(lat, lon, half):
    ring = [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


@pytest.fixture
def crowded(outbreak, tmp_path):
    """Bình Phước with a second district (Lộc Ninh, red) and 40 more communes packed into the two
    districts, so that their names cannot all be written; the two districts' outlines loaded."""
    from chongdich.dashboard.actions import load_boundaries
    from chongdich.territory.models import AdminUnit
    from tests.dashboard.test_boundaries import feature, write

    w = outbreak
    loc_ninh = AdminUnit(code="692", name="Huyện Lộc Ninh", level="district", kind="huyen", parent=w.province)
    loc_ninh.lat, loc_ninh.lon = 11.95, 106.6
    loc_ninh.save()
    for i in range(40):
        district, lon = (w.district, 107.05) if i % 2 else (loc_ninh, 106.6)
        angle = i * 2.4
        unit = AdminUnit(
            code=f"2{5300 + i}", name=f"Xã Thử Nghiệm {i + 1}", level="commune", kind="xa", parent=district
        )
        unit.lat = round(11.95 + 0.13 * math.sin(angle) * (i % 7 + 1) / 7, 4)
        unit.lon = round(lon + 0.13 * math.cos(angle) * (i % 7 + 1) / 7, 4)
        unit.save()
        if i % 5 == 0:
            tally(unit, TODAY, cases_new_community=i % 4 + 1, active_home=i)
    for day in (TODAY - timedelta(days=1), TODAY):
        assess(loc_ninh, day, 3)
    load_boundaries(
        write(
            tmp_path,
            [
                feature({"code": "691"}, square(11.95, 107.05, 0.2)),
                feature({"code": "692"}, square(11.95, 106.6, 0.2)),
            ],
        ),
        source="Ranh giới: thử nghiệm, GPL-3.0",
    )
    return w


LABEL_BOXES = """() => Array.from(document.querySelectorAll('.map-label'))
  .filter(e => !e.hidden)
  .map(e => { const r = e.getBoundingClientRect(); return [e.textContent, r.left, r.top, r.right, r.bottom]; })"""


def overlapping(boxes):
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5 and a[2] < b[4] - 0.5 and b[2] < a[4] - 0.5:
                pairs.append((a[0], b[0]))
    return pairs


@pytest.mark.parametrize("width", [360, 1366])
def test_province_map_districts_and_labels(page, live_server, crowded, personas, login, artifacts, width):
    page.set_viewport_size({"width": width, "height": 900})
    login("province")
    page.goto(f"{live_server.url}/dashboard/map/")
    page.wait_for_selector(".map-a-691")
    assert page.locator(".map-area").count() == 2  # the province's districts, as polygons
    assert page.get_attribute(".map-a-691", "fill") == YELLOW and page.get_attribute(".map-a-692", "fill") == RED
    assert page.locator(".map-unit").count() == 43  # every commune a circle
    assert page.get_attribute(".map-u-25228", "fill") == ORANGE
    page.wait_for_timeout(300)
    boxes = page.evaluate(LABEL_BOXES)
    names = [b[0] for b in boxes]
    assert overlapping(boxes) == [], overlapping(boxes)
    assert len(boxes) >= 6, names
    assert page.locator(".map-label").count() > len(boxes)  # 45 names do not all fit: some are hidden
    assert "Đức Hạnh" in names  # the worst commune first, its name shortened ("Xã" dropped)
    assert "BÙ GIA MẬP" in [n.upper() for n in names] or "Bù Gia Mập" in names
    frame = page.locator("#map").bounding_box()
    for _text, left, top, right, bottom in boxes:  # inside the map
        assert frame["x"] - 1 <= left and right <= frame["x"] + frame["width"] + 1
        assert frame["y"] - 1 <= top and bottom <= frame["y"] + frame["height"] + 1
    assert "GPL-3.0" in page.inner_text(".leaflet-control-attribution")  # the outlines' source
    legend = page.locator("#map-legend")
    assert legend.get_attribute("open") is None if width < 576 else legend.get_attribute("open") is not None
    page.screenshot(path=str(artifacts / f"map-province-outlines-{width}.png"), full_page=True)
    # Zoomed in, the labels are laid out again: more of them fit, still none overlapping.
    page.evaluate("window.chongdichMap.setView([11.95, 107.05], 11, {animate: false})")
    page.wait_for_timeout(400)
    zoomed = page.evaluate(LABEL_BOXES)
    assert overlapping(zoomed) == [] and zoomed and zoomed != boxes
    # The legend folds and opens (a phone keeps it folded until asked).
    page.click("#map-legend > summary")
    assert (legend.get_attribute("open") is not None) == (width < 576)


def test_the_rt_layer_colours_districts_and_communes(page, live_server, crowded, personas, login, artifacts):
    from chongdich.forecast.models import Estimate

    for unit, rt, wow in ((crowded.district, 1.3, 0.3), (crowded.commune, 1.7, 1.2)):
        row = Estimate(day=TODAY, tier=unit.level, window=7, reliable=True, rt_mean=rt, rt_lo=rt - 0.2, rt_hi=rt + 0.3)
        row.growth_wow, row.cases_7d, row.cases_prev_7d = wow, 40, 30
        row.place_in(unit)
        row.save()
    page.set_viewport_size({"width": 1366, "height": 900})
    login("province")
    page.goto(f"{live_server.url}/dashboard/map/")
    page.wait_for_selector(".map-a-691")
    page.select_option("#map-layer", "rt")
    assert page.get_attribute(".map-a-691", "fill") == ORANGE  # 1.2–1.5
    assert page.get_attribute(".map-u-25228", "fill") == RED  # > 1.5
    assert page.get_attribute(".map-a-692", "fill") == "#adb5bd"  # no estimate
    assert page.locator("#map-rt-legend").is_visible() and "20/08/2021" in page.inner_text("#map-rt-legend")
    assert page.locator("#map-framework-box").is_hidden()
    page.screenshot(path=str(artifacts / "map-province-rt-1366.png"), full_page=True)
    page.select_option("#map-layer", "growth")
    assert page.get_attribute(".map-a-691", "fill") == ORANGE and page.get_attribute(".map-u-25228", "fill") == RED
    assert page.locator("#map-growth-legend").is_visible()
    page.click(".map-u-25228", force=True)
    assert "Rt 1,70" in page.inner_text("#map-card") and "+120%" in page.inner_text("#map-card")
    page.select_option("#map-layer", "")
    assert page.get_attribute(".map-a-692", "fill") == RED
