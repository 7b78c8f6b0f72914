"""The bell and the notifications list on a phone (360 px) and a laptop: the bell is in the top bar
without opening the menu, shows the unread count, opens the list; marking all read clears it."""

import pytest

from chongdich.core.roles import Role
from chongdich.notices import actions, kinds

pytestmark = [pytest.mark.django_db(transaction=True)]

KIND = kinds.Kind("test.browser", "The level of %(unit)s rose to %(level)s", roles=(Role.COMMUNE_COMMITTEE,))


@pytest.fixture
def notices(world, personas):
    kinds.register(KIND)
    for n in range(3):
        actions.publish(KIND.code, world.commune, f"browser-{n}", {"unit": world.commune.name, "level": n + 1})
    yield
    kinds.unregister(KIND.code)


@pytest.mark.parametrize("width", [360, 1366])
def test_bell_and_list(page, live_server, notices, login, artifacts, width):
    page.set_viewport_size({"width": width, "height": 800})
    login("commune")
    bell = page.locator("#notice-bell")
    assert bell.is_visible()  # in the bar itself, not behind the menu button
    assert page.locator("#notice-bell-count").inner_text() == "3"
    box = bell.bounding_box()
    assert box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(artifacts / f"notices-bell-{width}.png"))
    bell.click()
    page.wait_for_url("**/notices/?state=unread")
    assert page.locator("#notice-table tbody tr").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(artifacts / f"notices-list-{width}.png"), full_page=True)
    page.click("#notice-read-all")
    page.wait_for_load_state()
    assert page.locator("#notice-bell-count").count() == 0
    page.goto(f"{live_server.url}/notices/settings/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(artifacts / f"notices-settings-{width}.png"), full_page=True)
