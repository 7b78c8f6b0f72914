"""The public health declaration's pages and the officers' side."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from chongdich.movement.models import Declaration

pytestmark = pytest.mark.django_db

URL = "/movement/declare/"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def form(**changes):
    base = {
        "client_id": "f-1",
        "full_name": "Nguyễn Văn An",
        "birth_year": "1990",
        "sex": "male",
        "phone": "0912 345 678",
        "cccd": "",
        "commune_query": "Xã Đức Hạnh",
        "commune_code": "25228",
        "village": "25228-01",
        "address": "12 Lê Lợi",
        "from_query": "",
        "arrived_from_commune_code": "",
        "arrived_on": "",
        "transport": "",
        "transport_detail": "",
        "consent": "on",
    }
    return {**base, **changes}


def test_the_form_opens_in_vietnamese_uncached_with_its_notice(client, world, settings):
    settings.CHONGDICH_MOVEMENT_RETENTION_DAYS = 21
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Khai báo y tế" in html and 'data-outbox="declaration"' in html
    assert "Nghị định 13/2023/NĐ-CP" in html and "21 ngày" in html
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert 'name="csrfmiddlewaretoken"' in html


def test_the_short_address_leads_to_the_form(client, world):
    response = client.get("/khai-bao/")
    assert response.status_code == 302 and response["Location"] == URL


def test_a_valid_form_gives_a_receipt_with_a_qr(client, world, tally):
    response = client.post(URL, form(symptoms=["fever"]))
    assert response.status_code == 302
    declaration = Declaration.objects.get()
    assert response["Location"] == reverse("movement:declaration_receipt", args=[declaration.receipt])
    assert declaration.unit == world.village and declaration.symptomatic and declaration.phone == "+84912345678"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and declaration.receipt in html and "<svg" in html
    assert "Trạm y tế xã sẽ liên hệ" in html or "trạm y tế" in html.lower()
    assert "Nguyễn Văn An" in html and "0912 345 678" in html


def test_a_resent_form_gives_the_same_receipt(client, world, tally):
    first = client.post(URL, form())
    second = client.post(URL, form(full_name="Trần Thị Bình"))
    assert first["Location"] == second["Location"]
    assert Declaration.objects.count() == 1


def test_bad_input_comes_back_in_vietnamese_with_what_was_typed(client, world):
    response = client.post(
        URL, form(full_name="", birth_year="1850", phone="12345", cccd="123", consent="", commune_code="")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nhập họ và tên" in html
    assert "năm sinh" in html.lower()
    assert "12345" in html and "không phải là số điện thoại" in html
    assert "Xã Đức Hạnh" in html  # the commune typed is kept (and found again)
    assert 'value="25228"' in html and "Thôn Bù Dinh" in html  # found by its name: its villages offered
    assert "lựa chọn hợp lệ" not in html
    assert Declaration.objects.count() == 0


def test_the_name_alone_finds_the_commune_without_the_script(client, world, tally):
    response = client.post(URL, form(commune_code="", village="", commune_query="duc hanh"))
    assert response.status_code == 302
    assert Declaration.objects.get().unit == world.commune


def test_several_communes_of_a_name_are_offered(client, world):
    response = client.post(URL, form(commune_code="", village="", commune_query="bu gia map"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="commune-candidates"' in html and 'value="25222"' in html


def test_a_bad_commune_code_is_refused_on_the_commune(client, world):
    response = client.post(URL, form(commune_code="99999", village=""))
    assert response.status_code == 400
    assert "commune_query_error" in response.content.decode()


def test_the_form_is_rate_limited_per_address(client, world, settings, tally):
    settings.CHONGDICH_DECLARATION_RATE_LIMIT = 2
    for n in range(2):
        assert client.post(URL, form(client_id=f"r-{n}")).status_code == 302
    response = client.post(URL, form(client_id="r-3"))
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Quá nhiều" in response.content.decode()
    other = client.post(URL, form(client_id="r-4"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_the_form_in_english(client, world):
    client.cookies["django_language"] = "en"
    html = client.get(URL).content.decode()
    assert "Health declaration" in html and "Decree 13/2023" in html


@pytest.mark.parametrize(
    "query, code",
    [
        ("duc hanh", "25228"),
        ("ĐỨC HẠNH", "25228"),
        ("phu van binh phuoc", "25229"),
        ("bu gia map", "25222"),
        ("tan dinh ho chi minh", "26734"),
    ],
)
def test_unit_search_folds_diacritics(client, world, query, code):
    results = client.get(reverse("movement:declaration_units"), {"q": query}).json()["results"]
    assert results and results[0]["code"] == code
    assert "Tỉnh" in results[0]["label"] or "Thành phố" in results[0]["label"]


def test_unit_search_finds_communes_of_a_province_and_villages_of_a_commune(client, world):
    found = {
        r["code"] for r in client.get(reverse("movement:declaration_units"), {"q": "binh phuoc"}).json()["results"]
    }
    assert found == {"25228", "25229", "25222"}
    villages = client.get(reverse("movement:declaration_units"), {"parent": "25228"}).json()["results"]
    assert [v["code"] for v in villages] == ["25228-01", "25228-02"]
    assert client.get(reverse("movement:declaration_units"), {"parent": "691"}).json()["results"] == []
    assert client.get(reverse("movement:declaration_units"), {"q": "x" * 5000}).json()["results"] == []


def test_unit_search_is_rate_limited(client, world, settings):
    settings.CHONGDICH_UNIT_SEARCH_RATE_LIMIT = 1
    assert client.get(reverse("movement:declaration_units"), {"q": "duc"}).status_code == 200
    assert client.get(reverse("movement:declaration_units"), {"q": "duc"}).status_code == 429


def test_a_receipt_needs_its_code(client, world):
    assert client.get(reverse("movement:declaration_receipt", args=["ABCDEFGHJK"])).status_code == 404
    assert client.get(reverse("movement:declaration_receipt", args=["nonsense"])).status_code == 404


def test_officers_see_their_area_only(client_of, world, tally):
    from chongdich.movement.actions.declarations import do_declare

    here = do_declare(None, {**form(), "symptoms": ["cough"]}, "o-1", "vi").record
    there = do_declare(None, {**form(full_name="Lê Văn Xa"), "commune_code": "25229", "village": ""}, "o-2", "vi")
    commune = client_of("commune")
    html = commune.get(reverse("movement:declarations")).content.decode()
    assert "Nguyễn Văn An" in html and "Lê Văn Xa" not in html
    assert commune.get(reverse("movement:declaration", args=[there.record.pk])).status_code == 404
    page = commune.get(reverse("movement:declaration", args=[here.pk]))
    assert page.status_code == 200 and here.receipt in page.content.decode()
    found = commune.get(reverse("movement:declarations"), {"q": here.receipt.lower()}).content.decode()
    assert "Nguyễn Văn An" in found
    assert "Nguyễn Văn An" in commune.get(reverse("movement:declarations"), {"q": "0912345678"}).content.decode()
    assert "Nguyễn Văn An" not in commune.get(reverse("movement:declarations"), {"symptomatic": "0"}).content.decode()
    folded = commune.get(reverse("movement:declarations"), {"q": "nguyen van an"}).content.decode()
    assert "Nguyễn Văn An" in folded  # typed without diacritics
    assert "Lê Văn Xa" not in commune.get(reverse("movement:declarations"), {"q": "le van xa"}).content.decode()


def test_the_index_figures_equal_the_list(client_of, world, tally):
    """The movement index links its declaration figures here with unit, day and symptomatic=1."""
    from chongdich.core import clock
    from chongdich.movement.actions.declarations import do_declare
    from chongdich.movement.selectors.overview import Area, figure_links, figures

    do_declare(None, {**form(), "symptoms": ["cough"]}, "i-1", "vi")
    do_declare(None, {**form(full_name="Trần Thị Bình"), "village": ""}, "i-2", "vi")
    do_declare(None, {**form(full_name="Lê Văn Xa"), "commune_code": "25229", "village": ""}, "i-3", "vi")
    district = client_of("district")
    links = figure_links(world.district, clock.today())
    shown = figures(Area(world.district, True), clock.today())
    for field, expected in (("declarations", 3), ("declarations_symptomatic", 1)):
        page = district.get(links[field])
        assert page.status_code == 200
        assert len(page.context["table"].page.object_list) == expected
        assert shown[field] == expected


def test_lookup_by_receipt(client_of, world, tally):
    from chongdich.movement.actions.declarations import do_declare

    mine = do_declare(None, form(), "l-1", "vi").record
    elsewhere = do_declare(None, {**form(), "commune_code": "25229", "village": ""}, "l-2", "vi").record
    commune = client_of("commune")
    url = reverse("movement:declaration_lookup")
    assert commune.get(url, {"receipt": mine.receipt})["Location"] == reverse("movement:declaration", args=[mine.pk])
    assert commune.get(url, {"receipt": elsewhere.receipt})["Location"] == reverse(
        "movement:declaration_receipt", args=[elsewhere.receipt]
    )
    missing = commune.get(url, {"receipt": "0000000000"})
    assert missing.status_code == 200 and "Không có tờ khai" in missing.content.decode()


def test_export_holds_the_list(client_of, world, tally):
    from chongdich.movement.actions.declarations import do_declare
    from tests.helpers import read_xlsx

    do_declare(None, {**form(), "symptoms": ["fever"]}, "e-1", "vi")
    do_declare(None, {**form(full_name="Lê Văn Xa"), "commune_code": "25229", "village": ""}, "e-2", "vi")
    response = client_of("commune").get(reverse("movement:declaration_export"))
    assert response.status_code == 200
    text = repr(read_xlsx(response.content))
    assert "Nguyễn Văn An" in text and "Lê Văn Xa" not in text and "Sốt" in text


def test_receipt_qr_is_the_code(world, tally):
    from chongdich.movement.selectors.declarations import receipt_qr

    svg = str(receipt_qr("ABCDEFGHJK"))
    assert svg.startswith("<svg") and re.search(r"<title>ABCDEFGHJK</title>", svg)
