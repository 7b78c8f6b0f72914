"""The top bar on a small laptop and a phone: never wider than the screen, even for a long name;
the user menu and the Administration menu open and work."""

import pytest

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1200, 1366])
def test_the_bar_fits_a_laptop_with_a_long_name(page, live_server, personas, login, artifacts, console_errors, width):
    personas["national"].full_name = "Nguyễn Thị Phương Thảo Nguyên Khánh"
    personas["national"].save()
    page.set_viewport_size({"width": width, "height": 700})
    login("national")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    bar = page.locator("nav.navbar-cd").bounding_box()
    assert bar["height"] < 80  # one line: no label wraps
    page.click(".nav-more:not(.nav-user) > summary")
    page.click(".nav-more-link[href='/units/']")
    page.wait_for_url("**/units/")
    page.screenshot(path=str(artifacts / f"top-bar-{width}.png"))
    page.click(".nav-user > summary")
    page.click(".nav-user button[type=submit]")
    page.wait_for_url("**/accounts/login/**")
    assert console_errors == []


def test_the_menu_on_a_phone(page, live_server, personas, login, artifacts):
    page.set_viewport_size({"width": 360, "height": 800})
    login("province")
    page.click(".navbar-toggler")
    page.wait_for_selector("#nav-main.show")  # Bootstrap's collapse animation has ended
    page.click(".nav-more:not(.nav-user) > summary")
    page.locator(".nav-more-link[href='/public/manage/']").wait_for(state="visible", timeout=5000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / "top-bar-360.png"), full_page=True)
