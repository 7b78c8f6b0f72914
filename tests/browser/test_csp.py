"""The Content-Security-Policy in a real browser: pages that used inline script work from static files,
and a script injected into a page does not run."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_print_buttons_and_search_filters_work_without_inline_script(page, live_server, personas, make_person, login):
    person = make_person(full_name="Cao Thị Chính Sách")
    login("commune")
    page.goto(f"{live_server.url}/people/")
    assert "form-select" in page.get_attribute("#id_sex", "class")  # was added by a script in the page
    page.goto(f"{live_server.url}/people/{person.pk}/")
    page.evaluate("window.print = function () { window.printed = true; }")
    page.click("[data-print]")
    assert page.evaluate("window.printed") is True


def test_a_question_before_removing_a_role(page, live_server, world, personas, login):
    from chongdich.accounts.models import Grant

    Grant.objects.create(user=personas["health"], role="viewer", unit=world.commune)
    login("district")
    page.goto(f"{live_server.url}/accounts/users/{personas['health'].pk}/")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.locator("form[data-confirm] button").first.click()
    page.wait_for_timeout(300)
    assert questions and Grant.objects.filter(user=personas["health"]).count() == 2  # dismissed: nothing removed
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("form[data-confirm] button").first.click()
    page.wait_for_load_state()
    assert Grant.objects.filter(user=personas["health"]).count() == 1


def test_an_injected_script_does_not_run(page, live_server, personas, login, no_console_errors):
    login("commune")
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.injected = true";
        document.body.appendChild(script);
    }""")
    assert page.evaluate("window.injected") is None
    assert any("Content Security Policy" in error for error in no_console_errors)
    no_console_errors.clear()  # the refusal is the expected outcome here


def test_the_api_reference_renders_under_the_policy(page, live_server, personas, login):
    login("commune")
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=15000)  # Swagger UI drew the operations
    assert page.locator(".opblock").count() > 5
