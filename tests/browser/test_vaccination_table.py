"""The vaccination table in a real browser, at phone and desk widths: find the person by citizen ID,
screen, record the dose, see them under observation and let them go (issue 10 §2)."""

import pytest

from chongdich.vaccination.models import Dose, Screening

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [360, 1366])
def test_find_screen_record_observe(page, live_server, vacc, login, artifacts, console_errors, width):
    page.set_viewport_size({"width": width, "height": 800})
    session, person = vacc["session"], vacc["person"]
    login("health")
    page.goto(f"{live_server.url}/vaccination/")
    page.screenshot(path=str(artifacts / f"vaccination-index-{width}.png"), full_page=True)
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    page.click("#open-table")
    page.fill("#id_q", person.cccd)
    page.press("#id_q", "Enter")
    page.wait_for_selector("#people-found")
    page.screenshot(path=str(artifacts / f"vaccination-table-find-{width}.png"), full_page=True)
    page.click("#people-found a")
    page.wait_for_selector("#screening-form")
    assert person.full_name in page.inner_text("#person-name")
    page.fill("#id_temperature", "36.8")
    page.fill("#id_blood_pressure", "125/80")
    page.screenshot(path=str(artifacts / f"vaccination-table-screening-{width}.png"), full_page=True)
    page.click("#screening-form button[type=submit]")
    page.wait_for_selector("#dose-form")
    assert Screening.objects.get().outcome == "eligible"
    page.check(f"input[name=lot][value='{vacc['az'].pk}']")
    page.screenshot(path=str(artifacts / f"vaccination-table-dose-{width}.png"), full_page=True)
    page.click("#dose-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    dose = Dose.objects.get()
    assert (dose.person_id, dose.number, dose.product) == (person.pk, 1, "AZ")
    page.click("#observation-link")
    page.wait_for_selector("#observation-list")
    assert person.full_name in page.inner_text("#observation-list")
    page.screenshot(path=str(artifacts / f"vaccination-observation-{width}.png"), full_page=True)
    page.click("#observation-list button[type=submit]")
    page.wait_for_selector(".alert-success")
    dose.refresh_from_db()
    assert dose.observation_done
    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    assert page.inner_text("#count-vaccinated").strip() == "1"
    page.screenshot(path=str(artifacts / f"vaccination-session-{width}.png"), full_page=True)
    page.goto(f"{live_server.url}{dose.get_absolute_url()}")
    page.screenshot(path=str(artifacts / f"vaccination-dose-{width}.png"), full_page=True)
    assert console_errors == []
