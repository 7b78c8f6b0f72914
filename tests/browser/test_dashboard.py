"""The command dashboard in a browser: phone and laptop widths, screenshots, no console errors,
readable and switchable with JavaScript off."""

from datetime import timedelta

import pytest

from tests.conftest import PASSWORD
from tests.dashboard.world import TODAY

pytestmark = [pytest.mark.django_db(transaction=True)]


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", [360, 1366])
def test_dashboard_of_a_district(page, live_server, outbreak, personas, login, artifacts, console_errors, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 900})
    login("district")
    page.goto(f"{live_server.url}/dashboard/")
    assert page.inner_text("#dash-title") == "Huyện Bù Gia Mập"
    assert page.inner_text("#tile-new-today .kpi").strip() == "6"
    assert page.inner_text("#tile-active .kpi").strip() == "68"
    assert page.locator("#epicurve svg rect").count() > 20
    assert page.locator("#tile-vaccination .dash-nodata").is_visible()
    assert page.locator("#dash-children .dash-spark").count() == 3
    assert page.locator("#dash-rose li").count() == 1 and "Đức Hạnh" in page.inner_text("#dash-rose")
    assert page.locator("#gauge-treatment").get_attribute("data-state") == "filling"
    assert _no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts / f"dashboard-district-{width}.png"), full_page=True)
    # A tile opens the list behind it, already filtered.
    page.click("#tile-new-today .kpi a")
    page.wait_for_url("**/cases/?confirmed_from=2021-08-20&confirmed_to=2021-08-20&unit=691")
    page.go_back()
    # Down the tree: a child unit's dashboard.
    page.click("#dash-children >> text=Xã Đức Hạnh")
    page.wait_for_selector("#dash-title:has-text('Xã Đức Hạnh')")
    assert page.inner_text("#tile-active .kpi").strip() == "65"
    assert page.locator("#dash-crumbs a").count() == 1  # back up to the district (the province is outside the scope)
    page.screenshot(path=str(artifacts / f"dashboard-commune-{width}.png"), full_page=True)
    assert console_errors == []


@pytest.mark.parametrize("width", [360, 1366])
def test_dashboard_of_the_whole_country_and_a_viewer(
    page, live_server, outbreak, personas, login, artifacts, console_errors, width
):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 900})
    login("national")
    page.goto(f"{live_server.url}/dashboard/")
    assert page.inner_text("#tile-new-today .kpi").strip() == "506"
    assert _no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts / f"dashboard-nation-{width}.png"), full_page=True)
    page.context.clear_cookies()
    login("viewer")
    page.goto(f"{live_server.url}/dashboard/")
    assert page.locator("#dash-tiles a[href^='/cases/']").count() == 0  # aggregates only
    page.screenshot(path=str(artifacts / f"dashboard-viewer-{width}.png"), full_page=True)
    assert console_errors == []


def test_dashboard_without_javascript(browser, live_server, outbreak, personas):  # noqa: F811
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "province")
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.goto(f"{live_server.url}/dashboard/")
    assert page.inner_text("#dash-title") == "Tỉnh Bình Phước"
    page.select_option("#dash-unit", "691")
    page.fill("#dash-day", (TODAY - timedelta(days=1)).isoformat())
    page.click("#dash-switch button[type=submit]")
    page.wait_for_selector("#dash-title:has-text('Huyện Bù Gia Mập')")
    assert "19/08/2021" in page.inner_text("main")
    page.click("#dash-curve-table >> xpath=ancestor::details/summary")
    assert page.locator("#dash-curve-table tbody tr").count() == 60
    context.close()
