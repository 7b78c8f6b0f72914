"""The vaccination stock in the browser: a commune officer receives doses at the site's page and the
stock page shows them; screenshots of the stock page and the AEFI form at 360 and 1366 px."""

from datetime import timedelta

import pytest

from chongdich.vaccination.actions import stock as actions
from chongdich.vaccination.actions.aefi import do_report_aefi
from chongdich.vaccination.models import StockMovement
from tests.vaccination.stock_fixtures import TODAY, give, stock_world_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_receive_then_the_stock_page_shows_it(page, live_server, login, stock_world, artifacts):
    w = stock_world
    login("commune")
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}{w.site.get_absolute_url()}")
    page.click("#stock-actions >> text=Nhập vắc xin")
    page.select_option("#id_lot", str(w.lot.pk))
    page.fill("#id_doses", "120")
    page.fill("#id_day", (TODAY - timedelta(days=1)).isoformat())
    page.fill("#id_note", "Đợt phân bổ 12")
    page.click("#movement-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}{w.site.get_absolute_url()}")
    assert "ABV5300" in page.inner_text("#movements-table")
    page.goto(f"{live_server.url}/vaccination/stock/")
    row = page.locator("#stock-table tbody tr", has_text="ABV5300")
    assert "120" in row.inner_text()
    assert "120" in page.inner_text("#stock-totals")
    assert StockMovement.objects.filter(site=w.site).count() == 1


def test_screenshots(page, live_server, login, stock_world, personas, artifacts):
    w, district = stock_world, personas["district"]
    for site, lot, doses in (
        (w.store, w.lot, 2000),
        (w.store, w.lot2, 600),
        (w.site, w.lot, 300),
        (w.other_site, w.lot2, 120),
    ):
        actions.do_receive(district, site, lot=lot, doses=doses, day=TODAY - timedelta(days=9))
    actions.do_transfer(district, w.store, destination=w.site, lot=w.lot2, doses=60, day=TODAY - timedelta(days=8))
    give(w.site, w.lot, w.person, TODAY - timedelta(days=2), 40)
    give(w.site, w.lot2, w.person, TODAY - timedelta(days=1), 12)
    actions.do_discard(district, w.site, lot=w.lot, doses=4, day=TODAY - timedelta(days=1), opened=True)
    dose = give(w.site, w.lot, w.person, TODAY - timedelta(days=1))[0]
    report, _ = do_report_aefi(
        personas["commune"],
        dose,
        data={
            "onset_at": dose.given_at + timedelta(minutes=20),
            "manifestation": "Khó thở, tụt huyết áp, nổi mẩn toàn thân",
            "severity": "serious",
            "treatment": "Adrenalin tiêm bắp, chuyển Trung tâm Y tế huyện",
            "outcome": "recovering",
            "reporter": "Y sĩ Trần Thị Lan",
            "causality": "pending",
        },
    )
    login("district")
    for width in (360, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/vaccination/stock/")
        page.screenshot(path=str(artifacts / f"vaccination-stock-{width}.png"), full_page=True)
        page.goto(f"{live_server.url}/vaccination/aefi/new/?dose={dose.pk}")
        page.screenshot(path=str(artifacts / f"vaccination-aefi-form-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        assert not overflow, f"the AEFI form is wider than {width} px"
        page.goto(f"{live_server.url}{w.site.get_absolute_url()}")
        page.screenshot(path=str(artifacts / f"vaccination-site-{width}.png"), full_page=True)
        page.goto(f"{live_server.url}{report.get_absolute_url()}")
        assert page.locator("#aefi-inbox-badge").inner_text() == "1"
        page.screenshot(path=str(artifacts / f"vaccination-aefi-{width}.png"), full_page=True)
    page.click("#aefi-acknowledge")
    assert page.locator("#aefi-acknowledged").is_visible()
    assert page.locator("#aefi-inbox-badge").count() == 0
