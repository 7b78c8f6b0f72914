"""Certificates in a browser at 360 and 1366 px (screenshots, nothing wider than the screen, no console
error): the certificate page with its QR code and colour; the public verification page opened from the
code's address, a pasted code checked, the language switched without losing it."""

from datetime import date

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def vaccinated(world, personas, make_person, settings):
    from tests.vaccination.certs_helpers import give

    settings.CHONGDICH_TODAY = "2021-11-15"
    person = make_person(full_name="Nguyễn Thị Phương Thảo", sex="F", date_of_birth=date(1985, 3, 2))
    give(person, "AZ", date(2021, 8, 1), lot_number="NJ0123")
    give(person, "PF", date(2021, 10, 20), lot_number="FK5678")
    return person


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", [360, 1366])
def test_certificate_and_verification(page, live_server, login, vaccinated, artifacts, width):
    page.set_viewport_size({"width": width, "height": 900})
    login("commune")
    page.goto(f"{live_server.url}/vaccination/certificates/?q=thao")
    assert page.locator("#certificates-table tbody tr").count() == 1 and _fits(page)
    page.screenshot(path=str(artifacts / f"vaccination-certificates-{width}.png"), full_page=True)
    page.click("#certificates-table a:text('Nguyễn Thị Phương Thảo')")
    page.wait_for_url(f"{live_server.url}/vaccination/people/{vaccinated.pk}/certificate/")
    assert page.locator("#certificate svg.qr").is_visible()
    assert page.inner_text("#cert-name") == "Nguyễn Thị Phương Thảo"
    assert page.locator("#cert-doses tbody tr").count() == 2
    assert page.get_attribute("#colour-badge", "data-colour") == "green"  # series completed 26 days ago
    assert _fits(page)
    page.screenshot(path=str(artifacts / f"vaccination-certificate-{width}.png"), full_page=True)
    payload = page.text_content("#cert-payload").strip()  # inside a closed <details>: not rendered

    anonymous = page.context.browser.new_context(viewport={"width": width, "height": 900})
    public = anonymous.new_page()
    public.goto(f"{live_server.url}/vaccination/verify/?c={payload}")
    assert public.get_attribute("#verdict", "data-verdict") == "valid"
    assert public.inner_text("#verified-name") == "Nguyễn Thị Phương Thảo"
    assert public.inner_text("#verified-dob") == "02/03/1985"
    assert public.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    public.screenshot(path=str(artifacts / f"vaccination-verify-valid-{width}.png"), full_page=True)

    public.goto(f"{live_server.url}/vaccination/verify/")
    public.fill("#id_c", payload[:-3] + ("AAA" if not payload.endswith("AAA") else "BBB"))
    public.click("#verify-form button[type=submit]")
    assert public.get_attribute("#verdict", "data-verdict") == "invalid_signature"
    assert public.locator("#contents").count() == 0
    public.click("#lang-switch")
    assert public.get_attribute("#verdict", "data-verdict") == "invalid_signature"
    assert "Invalid signature" in public.inner_text("#verdict")
    public.screenshot(path=str(artifacts / f"vaccination-verify-invalid-en-{width}.png"), full_page=True)
    anonymous.close()
