"""The epidemic map in a browser: circles coloured by level with text labels, the day slider, the
framework filter, the unit card, boundaries once loaded, the whole country; the table without JavaScript."""

import pytest

from tests.conftest import PASSWORD
from tests.dashboard.world import TODAY

pytestmark = [pytest.mark.django_db(transaction=True)]

ORANGE, GREEN, NONE, OTHER = "#fd7e14", "#146c43", "#adb5bd", "#f1f3f5"


def fill(page, code: str) -> str:
    return page.get_attribute(f".map-u-{code}", "fill")


@pytest.mark.parametrize("width", [360, 1366])
def test_map_of_a_district(page, live_server, outbreak, personas, login, artifacts, console_errors, width):  # noqa: F811
    from chongdich.risk.models import RiskAssessment

    # Bù Gia Mập commune is assessed under another framework today (NQ 128 / QĐ 4800, level 2).
    RiskAssessment.objects.filter(code="25222", day=TODAY).update(
        framework="4800", in_force_framework="4800", in_force_level=2
    )
    page.set_viewport_size({"width": width, "height": 900})
    login("district")
    page.goto(f"{live_server.url}/dashboard/map/")
    page.wait_for_selector(".map-u-25228")
    assert page.locator(".map-unit").count() == 3
    assert fill(page, "25228") == ORANGE and fill(page, "25229") == GREEN
    labels = page.locator(".map-label").all_inner_texts()
    assert "Đức Hạnh · Cam" in labels  # colour with its name, never alone (few units: the value is written)
    page.screenshot(path=str(artifacts / f"map-district-{width}.png"), full_page=True)
    # The slider replays the levels: 60 days ago nothing was assessed yet; yesterday Đức Hạnh was yellow.
    page.eval_on_selector("#map-slider", "s => { s.value = 0; s.dispatchEvent(new Event('input')); }")
    assert fill(page, "25228") == NONE and page.inner_text("#map-slider-day") == "22/06/2021"
    page.eval_on_selector("#map-slider", "s => { s.value = 58; s.dispatchEvent(new Event('input')); }")
    assert fill(page, "25228") == "#ffc107" and page.inner_text("#map-slider-day") == "19/08/2021"
    page.eval_on_selector("#map-slider", "s => { s.value = 59; s.dispatchEvent(new Event('input')); }")
    # The framework filter greys out the levels of another framework.
    assert page.locator("#map-framework option").count() == 3  # all, 2686, 4800
    page.select_option("#map-framework", "2686")
    assert fill(page, "25222") == OTHER and fill(page, "25228") == ORANGE
    page.select_option("#map-framework", "")
    # Click: the unit card, with links to its dashboard and risk page.
    page.click(".map-u-25228", force=True)
    card = page.locator("#map-card")
    card.wait_for(state="visible")
    assert "Xã Đức Hạnh" in card.inner_text() and "65" in card.inner_text()
    assert card.locator("a[href='/dashboard/?unit=25228']").count() == 1
    page.screenshot(path=str(artifacts / f"map-district-card-{width}.png"), full_page=True)
    page.click("#map-play")
    page.wait_for_timeout(800)
    page.click("#map-play")
    assert console_errors == []


def test_map_with_boundaries(page, live_server, outbreak, personas, login, artifacts, console_errors, tmp_path):  # noqa: F811
    from chongdich.dashboard.actions import load_boundaries
    from tests.dashboard.test_boundaries import circle, feature, write

    load_boundaries(
        write(
            tmp_path,
            [
                feature({"code": u.code}, circle(u.lat, u.lon, radius=0.03, points=60))
                for u in (outbreak.commune, outbreak.other_commune, outbreak.border_commune)
            ],
        )
    )
    page.set_viewport_size({"width": 1366, "height": 900})
    login("district")
    page.goto(f"{live_server.url}/dashboard/map/")
    page.wait_for_selector(".map-s-25228")
    assert page.locator(".map-shape").count() == 3
    assert page.get_attribute(".map-s-25228", "fill") == ORANGE
    assert page.get_attribute(".map-u-25228", "fill") == "#1d2939"  # circles now show cases only
    page.screenshot(path=str(artifacts / "map-boundaries-1366.png"), full_page=True)
    assert console_errors == []


@pytest.mark.parametrize("width", [360, 1366])
def test_map_of_the_whole_country_loads_communes_when_zoomed_in(
    page,
    live_server,
    outbreak,
    personas,
    login,
    artifacts,  # noqa: F811
    console_errors,
    width,
):
    page.set_viewport_size({"width": width, "height": 900})
    login("national")
    page.goto(f"{live_server.url}/dashboard/map/")
    page.wait_for_selector(".map-u-70")
    assert page.locator(".map-unit").count() == 2  # provinces, not communes
    page.screenshot(path=str(artifacts / f"map-nation-{width}.png"), full_page=True)
    with page.expect_response(lambda r: "/dashboard/map/data.json?unit=70" in r.url):
        page.evaluate("window.chongdichMap.setView([11.9, 107.05], 10)")
    page.wait_for_selector(".map-u-25228")
    assert page.locator(".map-u-70").count() == 0  # the province's circle gave way to its communes
    page.screenshot(path=str(artifacts / f"map-nation-zoomed-{width}.png"), full_page=True)
    page.evaluate("window.chongdichMap.setZoom(6)")
    page.wait_for_selector(".map-u-70")
    assert console_errors == []


def test_map_without_javascript_shows_the_table(browser, live_server, outbreak, personas):  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "district")
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.goto(f"{live_server.url}/dashboard/map/")
    rows = page.locator("#map-table tbody tr")
    assert rows.count() == 3 and "Xã Đức Hạnh" in rows.first.inner_text()
    assert page.locator("#map-controls").is_hidden()
    page.select_option("#map-unit", "25229")
    page.click("#map-form button[type=submit]")
    page.wait_for_selector("#map-title:has-text('Xã Phú Văn')")
    context.close()


def test_the_coverage_layer(page, live_server, outbreak, personas, login, console_errors):  # noqa: F811
    """'Colour by' coverage: Đức Hạnh (5,200 of 6,500 adults with a first dose, 80%) turns yellow,
    Phú Văn (no age bands: unknown) grey; the card gives both shares; back to the levels."""
    from datetime import timedelta

    from tests.helpers import add_doses

    add_doses(outbreak.commune, TODAY - timedelta(days=40), 5200, age_band="18_49")
    add_doses(outbreak.commune, TODAY - timedelta(days=10), 2000, number=2, completes_primary=True)
    login("district")
    page.goto(f"{live_server.url}/dashboard/map/")
    page.wait_for_selector(".map-u-25228")
    assert fill(page, "25228") == ORANGE  # the level
    page.select_option("#map-layer", "dose1")
    assert fill(page, "25228") == "#ffc107" and fill(page, "25229") == NONE
    page.select_option("#map-layer", "full")
    assert fill(page, "25228") == "#b02a37"  # 2,000 / 6,500 = 30.8%
    page.click(".map-u-25228", force=True)
    card = page.locator("#map-card")
    card.wait_for(state="visible")
    assert "80" in card.inner_text() and "30,8" in card.inner_text()
    page.select_option("#map-layer", "")
    assert fill(page, "25228") == ORANGE
    assert console_errors == []
