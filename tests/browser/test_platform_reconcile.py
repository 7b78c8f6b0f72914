"""The reconciliation work list in a browser: phone and laptop widths, screenshots, no console errors, a
record resolved with one click."""

from __future__ import annotations

import pytest

from chongdich.vaccination.models import Dose
from tests.conftest import valid_cccd
from tests.helpers import run_job
from tests.vaccination.test_platform_import import KIND, csv_of, line

pytestmark = [pytest.mark.django_db(transaction=True)]


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.fixture
def work_list(world, personas, make_person, settings):
    settings.CHONGDICH_TODAY = "2021-12-01T10:00"
    bình = make_person(full_name="Trần Thị Bình", sex="F", birth_year=1980)
    an = make_person(full_name="Nguyễn Văn An", birth_year=1962)
    rows = [
        line(bình, name="Trần Thị Bích"),  # the CCCD's person has another name
        line(an, number=2, product="Pfizer-BioNTech"),  # no dose 1 in the registry
        line(cccd=valid_cccd("M", 1991), name="Điểu Văn Lâm", dob="12/04/1991", phone="0987654321"),
        line(cccd="", name="Lê Thị Hoa", dob="01/01/1975", phone="", product="CoronaVac"),
        line(cccd="", name="Phạm Quốc Huy", dob="03/03/2001", phone="0912000111", day="02/10/2021"),
    ]
    job = run_job(personas["commune"], KIND, world.commune, "nen-tang.csv", csv_of(rows))
    assert job.summary["reconcile"] == 5, job.summary
    return bình


@pytest.mark.parametrize("width", [360, 1366])
def test_the_work_list_and_one_click(page, live_server, work_list, login, artifacts, console_errors, width):
    page.set_viewport_size({"width": width, "height": 900})
    login("commune")
    page.goto(f"{live_server.url}/vaccination/reconcile/")
    assert page.locator("#reconcile-table tbody tr").count() == 5
    assert _no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts / f"reconcile-list-{width}.png"), full_page=True)
    page.click("a[data-problem='identity']")
    assert page.locator("#reconcile-table tbody tr").count() == 1
    page.click("#reconcile-table tbody tr a")
    assert "Trần Thị Bình" in page.inner_text("main") and _no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts / f"reconcile-record-{width}.png"), full_page=True)
    page.click("text=Gắn và ghi nhận mũi tiêm")
    page.wait_for_selector(".alert-success")
    assert Dose.objects.get().person == work_list
    assert console_errors == []
