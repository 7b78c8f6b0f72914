"""The movement pages in the browser at 360 and 1366 px (screenshots in var/test-artifacts): the index,
the alert list, an arrival alert with its plan and one-click order, the report form; and the top bar
with the new "Movement" item still on one line at 1200 and 1366 px."""

from datetime import date

import pytest

from tests.movement.alerts_world import checkpoint, declaration, passage, save_declarations, save_passages

pytestmark = [pytest.mark.django_db(transaction=True)]
DAY = date(2021, 8, 10)


@pytest.fixture
def movement_alerts(world, settings):
    settings.CHONGDICH_TODAY = "2021-08-12T10:00"
    save_declarations(
        [
            declaration(world.village, DAY, watched=True, origin="26734", full_name="Võ Thị Hoa", birth_year=1988),
            declaration(world.commune, date(2021, 8, 12), symptoms=["fever", "cough"], full_name="Đỗ Văn Em"),
        ]
    )
    save_passages([passage(checkpoint(world.border_commune), date(2021, 8, 12), watched=True, destination="25228")])
    from chongdich.movement.models import Alert

    return Alert.objects.get(full_name="Võ Thị Hoa")


@pytest.mark.parametrize("width", [360, 1366])
def test_movement_pages(page, live_server, movement_alerts, personas, login, artifacts, width):
    page.set_viewport_size({"width": width, "height": 900})
    login("commune")
    for name, path in (
        ("index", "/movement/"),
        ("alerts", "/movement/alerts/"),
        ("alert", movement_alerts.get_absolute_url()),
        ("report", "/movement/alerts/report/"),
    ):
        page.goto(f"{live_server.url}{path}")
        page.screenshot(path=str(artifacts / f"movement-{name}-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (name, overflow)
    page.goto(f"{live_server.url}{movement_alerts.get_absolute_url()}")
    assert page.locator("#alert-plan").is_visible() and page.locator("#order-submit").is_visible()


@pytest.mark.parametrize("width", [1200, 1366])
def test_top_bar_fits_with_movement(page, live_server, world, personas, login, artifacts, width):
    page.set_viewport_size({"width": width, "height": 700})
    login("national")  # every item of the bar
    page.goto(f"{live_server.url}/movement/")
    page.screenshot(path=str(artifacts / f"movement-topbar-{width}.png"))
    tops = page.evaluate(
        "Array.from(document.querySelectorAll('.navbar .nav-link')).map(e => Math.round(e.getBoundingClientRect().top))"
    )
    assert len(set(tops)) == 1, tops  # one line
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1


@pytest.mark.parametrize("width", [360, 1366])
def test_dashboard_movement_tile(page, live_server, movement_alerts, personas, login, artifacts, width):
    page.set_viewport_size({"width": width, "height": 900})
    login("district")
    page.goto(f"{live_server.url}/dashboard/?unit=691&day=2021-08-12")
    page.locator("#tile-movement").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"movement-dashboard-{width}.png"), full_page=True)
    assert page.locator("#tile-movement .kpi").inner_text().strip() == "3"
    assert page.locator("#dash-open-alerts li").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
