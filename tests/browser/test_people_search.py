"""A commune officer logs in, searches a person typed without diacritics and opens the record."""

import pytest

from chongdich.core.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [360, 1366])
def test_search_without_diacritics_and_open_record(
    page, live_server, world, personas, make_person, login, artifacts, console_errors, width
):
    page.set_viewport_size({"width": width, "height": 800})
    make_person(full_name="Nguyễn Văn An", birth_year=1984)
    make_person(full_name="Trần Thị Vân", sex="F", birth_year=1990)
    make_person(unit=world.other_village, full_name="Nguyễn Văn An", birth_year=1999)  # another commune's
    login("commune")
    page.fill("#home-q", "nguyen van an")
    page.keyboard.press("Enter")
    page.wait_for_selector("#people-table")
    rows = page.locator("#people-table tbody tr")
    assert rows.count() == 1  # only Đức Hạnh's Nguyễn Văn An: scope holds in the browser too
    page.screenshot(path=str(artifacts / f"people-search-{width}.png"), full_page=True)
    rows.first.locator("a").first.click()
    page.wait_for_selector("#person-name")
    assert page.inner_text("#person-name") == "Nguyễn Văn An"
    assert page.locator("text=1984").count() >= 1
    page.screenshot(path=str(artifacts / f"person-detail-{width}.png"), full_page=True)
    assert AuditEvent.objects.filter(action="view", actor=personas["commune"]).count() == 1
    assert console_errors == []


def test_live_search_with_htmx(page, live_server, world, personas, make_person, login, console_errors):
    make_person(full_name="Đặng Thị Đào", sex="F", birth_year=1960)
    make_person(full_name="Hà Văn Sơn", birth_year=1970)
    login("commune")
    page.goto(f"{live_server.url}/people/")
    assert page.locator("#people-table tbody tr").count() == 2
    page.fill("#id_q", "dang thi dao")  # typing searches after a short pause, without a page load
    page.wait_for_url("**/people/?q=dang%20thi%20dao")  # htmx pushed the URL: the search can be shared
    page.wait_for_selector("text=Hà Văn Sơn", state="detached")
    assert page.locator("#people-table tbody tr").count() == 1
    # The export button exports what is on screen, not the unfiltered list of the first page load.
    assert page.get_attribute("#export-link", "href") == "/people/export.xlsx?q=dang+thi+dao"
    assert console_errors == []


def test_pages_work_without_javascript(browser, live_server, world, personas, make_person):
    from tests.conftest import PASSWORD

    make_person(full_name="Lý Văn Khoa", birth_year=1975)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "commune")
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.goto(f"{live_server.url}/people/?q=ly+van+khoa")
    assert page.locator("#people-table tbody tr").count() == 1
    context.close()
