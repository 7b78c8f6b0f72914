"""The certificate page (scoped, audited), its PDF (rendered and looked at), and the public verification
page: no login, reads no table, shows only what the code holds, never a server error."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chongdich.core.models import AuditEvent
from chongdich.vaccination import signing
from chongdich.vaccination.certificates import Certificate, DoseLine, encode
from tests.vaccination.certs_helpers import give

ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"
TODAY = "2022-03-20"


def vi(text: str) -> str:
    with translation.override("vi"):
        return translation.gettext(text)


@pytest.fixture
def vaccinated(world, make_person, settings):
    settings.CHONGDICH_TODAY = TODAY
    person = make_person(full_name="Nguyễn Thị Phương Thảo", sex="F", date_of_birth=date(1985, 3, 2))
    give(person, "AZ", date(2021, 8, 1), lot_number="NJ0123")
    give(person, "PF", date(2021, 10, 20), lot_number="FK5678")
    give(person, "PF", date(2022, 3, 1), lot_number="FL0001", number=1, kind="booster")
    return person


def _payload(response) -> str:
    return response.context["issued"].payload


def test_certificate_page_shows_the_doses_and_a_signed_qr(vaccinated, client_of):
    response = client_of("commune").get(reverse("vaccination:certificate", args=[vaccinated.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nguyễn Thị Phương Thảo" in page and "02/03/1985" in page
    assert "NJ0123" in page and "FK5678" in page and "20/10/2021" in page
    assert '<svg viewBox="0 0' in page and 'class="qr"' in page
    assert response.context["colour"].colour == "green"
    url = response.context["verify_url"]
    assert url.startswith("http://testserver/vaccination/verify/?c=CD1:")
    assert parse_qs(urlsplit(url).query)["c"][0] == _payload(response)
    event = AuditEvent.objects.filter(object_type="people.person", object_id=str(vaccinated.pk)).latest("at")
    assert event.action == "view" and event.detail["people"] == [vaccinated.pk]
    assert event.detail["kid"] == signing.signing_key().kid


def test_the_qr_code_holds_the_public_address_when_one_is_set(vaccinated, client_of):
    with override_settings(CHONGDICH_PUBLIC_URL="https://chongdich.soyte.binhphuoc.gov.vn"):
        response = client_of("commune").get(reverse("vaccination:certificate", args=[vaccinated.pk]))
    assert response.context["verify_url"].startswith("https://chongdich.soyte.binhphuoc.gov.vn/vaccination/verify/?c=")


def test_certificate_is_scoped(vaccinated, client_of, world, make_person):
    url = reverse("vaccination:certificate", args=[vaccinated.pk])
    assert client_of("other_commune").get(url).status_code == 404
    assert client_of("other_commune").get(url.replace("certificate/", "certificate.pdf")).status_code == 404
    assert client_of("viewer").get(url).status_code in (200, 403)  # by the role table
    assert client_of(None).get(url).status_code == 302
    assert client_of("commune").get(reverse("vaccination:certificate", args=[999999])).status_code == 404
    assert client_of("commune").get("/vaccination/people/99999999999999999999999/certificate/").status_code == 404


def test_no_dose_no_certificate(world, make_person, client_of, settings):
    settings.CHONGDICH_TODAY = TODAY
    person = make_person(full_name="Chưa Tiêm Mũi Nào")
    response = client_of("commune").get(reverse("vaccination:certificate", args=[person.pk]))
    assert response.status_code == 200 and 'id="no-doses"' in response.content.decode()
    assert response.context["colour"].colour == "red"
    assert client_of("commune").get(reverse("vaccination:certificate_pdf", args=[person.pk])).status_code == 404


def _render(pdf: bytes, name: str):
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    page = document[0]
    image = page.render(scale=2).to_pil()
    text = " ".join(page.get_textpage().get_text_range().split())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    image.save(ARTIFACTS / name)
    return len(document), page.get_size(), image, text


def test_certificate_pdf(vaccinated, client_of):
    response = client_of("commune").get(reverse("vaccination:certificate_pdf", args=[vaccinated.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages, (width, height), image, text = _render(response.content, "vaccination-certificate.png")
    assert pages == 1 and round(width) == 595 and round(height) == 842  # one A4 sheet
    assert "Nguyễn Thị Phương Thảo" in text and "02/03/1985" in text and "FK5678" in text
    assert vi("COVID-19 VACCINATION CERTIFICATE") in text and "COVID-19 VACCINATION CERTIFICATE" in text
    grey = image.convert("L")
    assert 0.01 < sum(n for v, n in enumerate(grey.histogram()) if v < 128) / (grey.width * grey.height) < 0.4
    assert AuditEvent.objects.filter(action="export", object_id=str(vaccinated.pk)).exists()


def test_the_pdf_qr_code_decodes_to_the_verification_address(vaccinated, client_of):
    """The code in the PDF is a real, scannable QR code (decoded from the rendered page when zbar is here)."""
    zbar = pytest.importorskip("pyzbar.pyzbar", reason="pyzbar not installed")
    response = client_of("commune").get(reverse("vaccination:certificate_pdf", args=[vaccinated.pk]))
    _pages, _size, image, _text = _render(response.content, "vaccination-certificate-qr.png")
    found = [symbol.data.decode() for symbol in zbar.decode(image)]
    assert found and "/vaccination/verify/?c=CD1:" in found[0]


# -- the public verification page -------------------------------------------------------------------
def test_verify_a_certificate_without_login(vaccinated, client_of):
    payload = _payload(client_of("commune").get(reverse("vaccination:certificate", args=[vaccinated.pk])))
    response = Client().get(reverse("vaccination:verify"), {"c": payload})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-verdict="valid"' in page and vi("Valid signature") in page
    assert "Nguyễn Thị Phương Thảo" in page and "02/03/1985" in page and "FL0001" in page
    assert "no-store" in response["Cache-Control"]


def test_the_verification_page_reads_no_table(vaccinated, client_of, django_assert_num_queries):
    payload = _payload(client_of("commune").get(reverse("vaccination:certificate", args=[vaccinated.pk])))
    anonymous = Client()
    with django_assert_num_queries(0):
        assert anonymous.get(reverse("vaccination:verify"), {"c": payload}).status_code == 200
        assert anonymous.get(reverse("vaccination:verify")).status_code == 200


def test_the_page_shows_only_what_the_code_holds(vaccinated, client_of):
    """Nothing of the registry reaches the page: not the CCCD, phone, address, nor the site of a dose."""
    payload = _payload(client_of("commune").get(reverse("vaccination:certificate", args=[vaccinated.pk])))
    page = Client().get(reverse("vaccination:verify"), {"c": payload}).content.decode()
    for secret in (vaccinated.cccd, vaccinated.phone, "Thôn 1", "Đức Hạnh"):
        assert secret not in page


def test_verdicts_in_vietnamese_and_in_english(vaccinated, client_of):
    payload = _payload(client_of("commune").get(reverse("vaccination:certificate", args=[vaccinated.pk])))
    signed, signature = payload.split(".")
    tampered = f"{signed}.{signature[:10]}{'B' if signature[10] == 'A' else 'A'}{signature[11:]}"
    page = Client().get(reverse("vaccination:verify"), {"c": tampered}).content.decode()
    assert 'data-verdict="invalid_signature"' in page and vi("Invalid signature") in page
    assert "Nguyễn Thị Phương Thảo" not in page  # an altered code's contents are not shown
    english = Client()
    english.cookies["django_language"] = "en"
    page = english.get(reverse("vaccination:verify"), {"c": "hello"}).content.decode()
    assert 'data-verdict="malformed"' in page and "Not a certificate code" in page


def test_unknown_key(world):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other = Ed25519PrivateKey.generate()
    kid = signing.kid_of(other.public_key())
    payload = encode(
        Certificate(kid, "Người Nơi Khác", "1990", (DoseLine("MO", date(2021, 9, 9)),), date(2021, 11, 1)), other
    )
    page = Client().get(reverse("vaccination:verify"), {"c": payload}).content.decode()
    assert 'data-verdict="unknown_key"' in page and kid in page and "Người Nơi Khác" in page


def test_the_whole_address_can_be_pasted(vaccinated, client_of):
    url = client_of("commune").get(reverse("vaccination:certificate", args=[vaccinated.pk])).context["verify_url"]
    page = Client().get(reverse("vaccination:verify"), {"c": url}).content.decode()
    assert 'data-verdict="valid"' in page


def test_too_long_is_a_message_not_an_error(world):
    response = Client().get(reverse("vaccination:verify"), {"c": "CD1:" + "A" * 5000})
    assert response.status_code == 200 and response.context["form"].errors and response.context["checked"] is None


def test_the_language_switch_keeps_the_code(world):
    import re

    client = Client()
    page = client.get(reverse("vaccination:verify"), {"c": "CD1:abc"}).content.decode()
    link = re.search(r'id="lang-switch"[^>]* href="([^"]+)"', page).group(1).replace("&amp;", "&")
    switched = client.get(link)
    assert switched.status_code == 302 and switched["Location"] == "/vaccination/verify/?c=CD1%3Aabc"
    assert client.get(switched["Location"]).context["form"]["c"].value() == "CD1:abc"


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(max_size=300) | st.text(alphabet="CD1:.-_=?&%/Aa0+ ", max_size=300).map(lambda s: "CD1:" + s))
def test_random_text_never_gives_a_server_error(world, text):
    client = Client(raise_request_exception=False)
    response = client.get(reverse("vaccination:verify"), {"c": text})
    assert response.status_code in (200, 400)


def test_certificates_list_finds_people_with_doses_in_the_area(vaccinated, world, make_person, client_of):
    make_person(full_name="Chưa Tiêm", cccd=None)
    far = make_person(unit=world.other_village, full_name="Nguyễn Thị Xa", cccd=None)
    give(far, "PF", date(2021, 9, 1))
    response = client_of("commune").get(reverse("vaccination:certificates"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nguyễn Thị Phương Thảo" in page and "Chưa Tiêm" not in page and "Nguyễn Thị Xa" not in page
    assert reverse("vaccination:certificate", args=[vaccinated.pk]) in page
    rows = response.context["table"].page.object_list
    assert [(row.record.doses, row.record.last_dose) for row in rows] == [(3, date(2022, 3, 1))]
    found = client_of("district").get(reverse("vaccination:certificates"), {"q": "nguyen thi"}).content.decode()
    assert "Nguyễn Thị Phương Thảo" in found and "Nguyễn Thị Xa" in found
    assert (
        "Nguyễn Thị Xa"
        not in client_of("district").get(reverse("vaccination:certificates"), {"q": "thao"}).content.decode()
    )
    event = AuditEvent.objects.filter(detail__page=vi("Vaccination certificates")).latest("at")
    assert event.detail["people"] == [vaccinated.pk]
    assert client_of("commune").get(reverse("vaccination:certificates"), {"q": "x" * 500}).status_code == 200
