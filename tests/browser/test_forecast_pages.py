"""The forecast overview and a unit's page in a browser, at 360 and 1366 px, on rows computed by the
forecast rules from Bình Phước's real 2021 series: readable, no horizontal scroll, no console error,
the ranking toggles, the charts drawn; screenshots in var/test-artifacts/."""

import pytest

from tests.forecast import pages_data

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def real(world, tally):
    day = pages_data.build_real(world, tally)
    if day is None:
        pytest.skip("the real 2021 series (../shared/data/vn-covid-2021) is not on this machine")
    return day


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", [360, 1366])
def test_forecast_overview_and_unit_page(page, live_server, real, personas, login, artifacts, console_errors, width):
    page.set_viewport_size({"width": width, "height": 900})
    login("district")
    day = real.isoformat()
    page.goto(f"{live_server.url}/forecast/?day={day}")
    assert "Huyện Bù Gia Mập" in page.inner_text("#fc-title")
    assert page.locator("#ranking-table tbody tr").count() == 3
    assert int(page.inner_text("#fc-ranking-count")) == 3
    assert page.locator("#runout-table tbody tr").count() == int(page.inner_text("#fc-runout-count")) == 6
    assert _no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts / f"forecast-overview-{width}.png"), full_page=True)
    page.click("#fc-by-rt")
    page.wait_for_url("**by=rt#ranking")
    assert page.locator("#fc-by-rt.active").count() == 1
    page.click("#ranking-table >> text=Xã Đức Hạnh")
    page.wait_for_selector("#fc-title:has-text('Xã Đức Hạnh')")
    assert page.locator("#rt-chart svg polygon").count() >= 1
    assert page.locator("#fan-chart svg .fc-band-90").count() == 1
    assert page.locator("#fc-fan-table tbody tr").count() == 28
    assert page.locator("#fc-accuracy-7 tbody tr").count() == 5  # error, 50%, 90%, WIS, days scored
    assert page.locator("#fc-accuracy-7 thead th").count() == 3  # renewal next to naive
    assert page.inner_text("#fc-accuracy-7 tbody tr:last-child td:first-of-type").strip() == "28"
    assert _no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts / f"forecast-unit-{width}.png"), full_page=True)
    assert console_errors == []
