"""A commune officer opens the commune's risk page (level and colour with its name, why, the
measures in force), is refused a weaker level with the rule's explanation, then applies a stronger
one, which is announced 48 hours ahead."""

from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.django_db(transaction=True)
DAY = date(2021, 8, 20)


@pytest.fixture
def outbreak(world, settings):
    from chongdich.risk.assess import assess_day
    from chongdich.tallies.models import DailyTally
    from chongdich.territory.models import Adjacency

    settings.CHONGDICH_TODAY = f"{DAY.isoformat()}T14:00"  # the hour pinned too
    for a, b in ((world.commune, world.other_commune), (world.other_commune, world.border_commune)):
        Adjacency.objects.create(unit=a, neighbour=b)
        Adjacency.objects.create(unit=b, neighbour=a)
    DailyTally.objects.create(
        unit=world.commune,
        unit_path=world.commune.path,
        province_code="70",
        day=DAY - timedelta(days=2),
        cases_new_community=1,
        cases_new_community_unknown_source=1,
    )
    assess_day(DAY - timedelta(days=1))
    assess_day(DAY)
    return world


@pytest.mark.parametrize("width", [360, 1366])
def test_risk_page_and_override(page, live_server, outbreak, personas, login, artifacts, console_errors, width):
    page.set_viewport_size({"width": width, "height": 800})
    login("commune")
    page.goto(f"{live_server.url}/risk/25228/")
    badge = page.locator("#risk-level [data-colour]").first
    assert badge.get_attribute("data-colour") == "orange"
    assert badge.inner_text() == "Cam · Nguy cơ cao"  # the colour always comes with its name
    assert "không rõ nguồn lây" in page.inner_text("#risk-reasons")
    assert page.locator("#risk-measures tbody tr").count() >= 5
    assert page.locator("#risk-history tbody tr").count() == 1
    page.screenshot(path=str(artifacts / f"risk-unit-{width}.png"), full_page=True)
    if width == 360:  # the page fits a phone: no horizontal scrolling of the page itself
        assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1

    page.click("#override-link")
    page.check("input[name=level][value='1']")
    page.fill("#id_reason", "Đề nghị hạ cấp để chợ hoạt động lại")
    page.click("#override-submit")
    assert "thấp hơn cấp độ đánh giá Cam" in page.inner_text("#override-form")  # refused, and why

    page.check("input[name=level][value='3']")
    page.fill("#id_reason", "Quyết định số 45/QĐ-UBND ngày 20/8/2021 của UBND xã Đức Hạnh")
    page.click("#override-submit")
    page.wait_for_url(f"{live_server.url}/risk/25228/")
    page.reload()  # the day's assessment ran when the decision was committed
    announced = page.locator("#risk-announced")
    assert announced.count() == 1 and "Đỏ" in announced.inner_text()
    assert page.locator("#risk-overrides li").count() == 1
    page.screenshot(path=str(artifacts / f"risk-unit-override-{width}.png"), full_page=True)
    assert console_errors == []


def test_risk_pages_work_without_javascript(browser, live_server, outbreak, personas):
    from tests.conftest import PASSWORD

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "viewer")
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.goto(f"{live_server.url}/risk/?unit=691")
    assert page.locator("#risk-units tbody tr").count() == 3
    page.click("#risk-units a:text('Xã Đức Hạnh')")
    assert page.locator("#risk-level").count() == 1
    page.goto(f"{live_server.url}/risk/25228/?date=2021-08-19")
    assert "19/08/2021" in page.inner_text("#risk-level")
    context.close()
