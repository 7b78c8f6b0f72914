"""The public portal in a browser, without login: the district's level map (circles coloured by level
with a legend) and list, a commune's level with measures and the announced change, at 360 and 1366
px with screenshots and no console errors; the level list and the language link without JavaScript."""

from datetime import date, datetime, time, timedelta

import pytest

pytestmark = pytest.mark.django_db(transaction=True)
DAY = date(2021, 8, 20)


def at(day, hour=8):
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def published(world, settings, personas):
    from django.core.cache import cache

    from chongdich.portal.actions import do_add_hotline, do_create_announcement
    from chongdich.risk.models import RiskAssessment

    settings.CHONGDICH_TODAY = f"{DAY.isoformat()}T14:00"  # the hour pinned too
    cache.clear()

    def publish(unit, level, pending=None):
        since = at(DAY - timedelta(days=5))
        RiskAssessment.objects.create(
            unit=unit,
            code=unit.code,
            name=unit.name,
            tier=unit.level,
            unit_path=unit.path,
            province_code=unit.province_code,
            day=DAY,
            framework="2686",
            rule_version="test",
            computed_level=pending or level,
            applied_level=pending or level,
            announced_at=at(DAY),
            effective_from=at(DAY + timedelta(days=2)) if pending else since,
            in_force_framework="2686",
            in_force_level=level,
            in_force_since=since,
            pending_framework="2686" if pending else "",
            pending_level=pending,
            pending_from=at(DAY + timedelta(days=2)) if pending else None,
        )

    publish(world.commune, 2, pending=3)
    publish(world.other_commune, 1)
    publish(world.border_commune, 0)
    publish(world.district, 2)
    publish(world.province, 1)
    do_create_announcement(
        personas["district"],
        world.district,
        kind="measure",
        title="Tạm dừng chợ phiên",
        body="Từ 21/8 tạm dừng hoạt động các chợ phiên trên địa bàn huyện.",
        publish_at=at(DAY, 7),
    )
    do_add_hotline(personas["district"], world.district, label="Ban Chỉ đạo huyện", number="0271 3879 115")
    yield world
    cache.clear()


@pytest.mark.parametrize("width", [360, 1366])
def test_levels_map_and_commune_page(page, live_server, published, artifacts, console_errors, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/public/")
    assert page.locator("#level-list tbody tr").count() == 2
    page.screenshot(path=str(artifacts / f"portal-home-{width}.png"), full_page=True)

    page.goto(f"{live_server.url}/public/691/")
    page.wait_for_selector("#portal-map .leaflet-overlay-pane path")
    circles = page.locator("#portal-map .leaflet-overlay-pane path")
    assert circles.count() == 3
    fills = sorted(circles.nth(i).get_attribute("fill") for i in range(3))
    assert fills == ["#146c43", "#fd7e14", "#ffc107"]
    assert page.locator("#map-legend").is_visible()
    rows = page.locator("#level-list tbody tr")
    assert rows.count() == 3 and "Cam · Nguy cơ cao" in page.inner_text("#level-list")
    page.screenshot(path=str(artifacts / f"portal-district-{width}.png"), full_page=True)

    page.click("#level-list a:text('Xã Đức Hạnh')")
    page.wait_for_selector("#unit-level")
    assert page.get_attribute("#unit-level", "data-colour") == "orange"
    assert "22/08/2021" in page.inner_text("#unit-announced")
    assert page.locator("#measures li").count() >= 5
    assert "Tạm dừng chợ phiên" in page.inner_text("#announcements")
    assert "0271 3879 115" in page.inner_text("#hotlines")
    assert page.get_attribute("#declaration-link", "href") == "/movement/declare/"  # the public health declaration
    page.screenshot(path=str(artifacts / f"portal-commune-{width}.png"), full_page=True)
    if width == 360:
        assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
    assert console_errors == []


def test_level_list_and_language_without_javascript(browser, live_server, published, artifacts):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/public/")
    page.fill("#id_q", "duc hanh")
    page.click("#unit-search button")
    page.click("#search-results a:text('Xã Đức Hạnh')")
    page.wait_for_selector("#unit-level")
    page.click("#level-list a:text('Xã Phú Văn')")
    assert page.get_attribute("#unit-level", "data-colour") == "yellow"
    page.goto(f"{live_server.url}/public/691/")
    assert page.locator("#level-list tbody tr").count() == 3
    assert (
        page.locator("#portal-map .leaflet-overlay-pane").count() == 0
    )  # no map without JavaScript; the list is there
    assert not page.locator("#portal-map").is_visible()
    page.click("#lang-switch")
    assert page.get_attribute("html", "lang") == "en"
    assert "Orange · High risk" in page.inner_text("#level-list")
    page.screenshot(path=str(artifacts / "portal-district-nojs-en-360.png"), full_page=True)
    context.close()
