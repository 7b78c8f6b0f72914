"""A district officer opens the day's report (figures, each commune's line), adds comments, sends it;
at 360 and 1366 px with screenshots and no console errors.  Without JavaScript the report opens from
the pick form and a draft is saved with plain forms."""

from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.django_db(transaction=True)
DAY = date(2021, 8, 20)


@pytest.fixture
def district_data(world, settings):
    from chongdich.risk.assess import assess_day
    from chongdich.tallies.models import DailyTally
    from chongdich.territory.models import Adjacency

    settings.CHONGDICH_TODAY = f"{DAY.isoformat()}T14:00"  # the hour pinned too
    for a, b in ((world.commune, world.other_commune), (world.other_commune, world.border_commune)):
        Adjacency.objects.create(unit=a, neighbour=b)
        Adjacency.objects.create(unit=b, neighbour=a)

    def tally(unit, day, **fields):
        DailyTally.objects.create(unit=unit, unit_path=unit.path, province_code=unit.province_code, day=day, **fields)

    tally(
        world.commune,
        DAY - timedelta(days=3),
        cases_new_community=2,
        cases_new_community_unknown_source=1,
        active_home=2,
        f1_home_quarantine=5,
        samples_taken=10,
        tests_done=8,
        tests_positive=2,
        samples_pending=2,
        quarantine_capacity=50,
        quarantine_occupied=5,
        treatment_capacity=20,
    )
    tally(
        world.commune,
        DAY,
        cases_new_community=1,
        cases_new_isolated=2,
        active_hospital=3,
        cases_recovered=1,
        active_home=-1,
        f1_facility_quarantine=4,
        samples_taken=6,
        tests_done=5,
        tests_positive=3,
        samples_pending=1,
    )
    tally(world.other_commune, DAY - timedelta(days=1), cases_new_community=4, active_concentrated=4)
    assess_day(DAY - timedelta(days=1))
    assess_day(DAY)
    return world


@pytest.mark.parametrize("width", [360, 1366])
def test_district_report_send(page, live_server, district_data, personas, login, artifacts, console_errors, width):
    from chongdich.reports.models import DailyReport

    page.set_viewport_size({"width": width, "height": 900})
    login("district")
    page.goto(f"{live_server.url}/reports/")
    page.screenshot(path=str(artifacts / f"reports-index-{width}.png"), full_page=True)
    page.click("#own-report")
    page.wait_for_selector("#report-children")
    assert page.locator("#report-children tbody tr").count() == 3
    assert page.locator("#report-f0 tbody tr").first.locator("td").nth(2).inner_text() == "9"
    assert page.locator("#section-arrivals .not-recorded").count() == 1  # never shown as zero
    page.fill("#id_comments", "Kiểm soát tốt các ổ dịch; đề nghị tỉnh hỗ trợ test nhanh.")
    page.fill("#id_signer", "Nguyễn Văn Trưởng")
    page.click("#report-send")
    page.wait_for_selector("#report-status[data-status='sent']")
    assert "Kiểm soát tốt" in page.inner_text("#report-comments")
    page.screenshot(path=str(artifacts / f"report-district-{width}.png"), full_page=True)
    if width == 360:
        assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
    pdf = page.request.get(f"{live_server.url}/reports/691/2021-08-20/report.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:4] == b"%PDF"
    xlsx = page.request.get(f"{live_server.url}/reports/691/2021-08-20/report.xlsx")
    assert xlsx.ok and xlsx.body()[:2] == b"PK"
    assert DailyReport.objects.get().status == "sent"
    assert console_errors == []


def test_report_works_without_javascript(browser, live_server, district_data, personas, artifacts):
    from chongdich.reports.models import DailyReport
    from tests.conftest import PASSWORD

    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "commune")
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.goto(f"{live_server.url}/reports/")
    page.fill("#id_unit", "25228")
    page.fill("#id_date", "2021-08-20")
    page.click("#report-open")
    page.wait_for_url(f"{live_server.url}/reports/25228/2021-08-20/")
    assert page.locator("#report-f0 tbody tr").count() >= 10
    page.fill("#id_comments", "Dự thảo không cần JavaScript")
    page.click("#report-save")
    page.wait_for_selector("#report-status[data-status='draft']")
    assert DailyReport.objects.get().comments == "Dự thảo không cần JavaScript"
    page.screenshot(path=str(artifacts / "report-commune-nojs-360.png"), full_page=True)
    context.close()
