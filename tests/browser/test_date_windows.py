"""A mistyped year on the case form, in a real browser: the date picker knows the range (min/max), and
the page says why under the field and keeps what was typed."""

import pytest

from chongdich.surveillance.models import Case

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [360, 1366])
def test_case_form_mistyped_year(
    page, live_server, world, personas, make_person, login, artifacts, console_errors, width
):
    page.set_viewport_size({"width": width, "height": 900})
    person = make_person(full_name="Trần Văn Gõ", cccd=None)
    login("health")
    page.goto(f"{live_server.url}/cases/new/?person={person.pk}")
    page.fill("#id_confirmed_on", "2012-06-01")
    assert page.eval_on_selector("#id_confirmed_on", "e => e.validity.rangeUnderflow")  # the picker's min
    page.check("input[name=source_known][value='0']")
    page.click("form.card [type=submit]")  # the form is novalidate: the server answers
    page.wait_for_selector(".invalid-feedback, .errorlist, .text-danger")
    assert "trước khi dịch xuất hiện ở Việt Nam (23/01/2020)" in page.content()
    assert page.input_value("#id_confirmed_on") == "2012-06-01"  # what was typed is kept
    page.screenshot(path=str(artifacts / f"case-form-mistyped-year-{width}.png"), full_page=True)
    assert not Case.objects.exists() and console_errors == []


@pytest.mark.parametrize("width", [360, 1366])
def test_refused_character_page(page, live_server, world, personas, login, artifacts, no_console_errors, width):
    page.set_viewport_size({"width": width, "height": 700})
    login("commune")
    response = page.goto(f"{live_server.url}/people/?q=nguyen%00van")
    assert response.status == 400 and "Yêu cầu bị từ chối" in page.content()
    no_console_errors[:] = [e for e in no_console_errors if "status of 400" not in e]  # the 400 itself, expected
    page.screenshot(path=str(artifacts / f"refused-character-{width}.png"), full_page=True)
