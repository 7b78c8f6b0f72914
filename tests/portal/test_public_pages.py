"""The public portal, without login: levels as a list (colour and text) and a map, a commune's level
with the measures in force and the announced change, hotlines, the declaration link only when the
form exists; cached for a minute; a plain link switches the language."""

import json
import re

import pytest
from django.core.cache import cache

from chongdich.portal.actions import do_add_hotline, do_create_announcement
from chongdich.portal.models import Announcement
from tests.portal.conftest import DAY, at

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.parametrize(
    "path", ["/public/", "/public/70/", "/public/691/", "/public/25228/", "/public/announcements/"]
)
def test_public_without_login(levels, anonymous, path):
    response = anonymous.get(path)
    assert response.status_code == 200
    assert "max-age=60" in response["Cache-Control"]
    assert "csrfmiddlewaretoken" not in response.content.decode()  # same page for everyone: cacheable


@pytest.mark.parametrize("path", ["/public/25228-01/", "/public/99999/", "/public/announcements/999/"])
def test_unknown_or_village_is_not_found(levels, anonymous, path):
    assert anonymous.get(path).status_code == 404


def test_post_is_refused(levels, anonymous):
    assert anonymous.post("/public/25228/").status_code == 405


def test_district_lists_communes_with_colour_and_text(levels, anonymous):
    html = text_of(anonymous.get("/public/691/"))
    rows = re.findall(r'<tr data-code="(\d+)" data-colour="(\w+)">', html)
    assert dict(rows) == {"25222": "green", "25228": "orange", "25229": "yellow"}
    assert "Cam · Nguy cơ cao" in html and "Vàng · Nguy cơ" in html  # the colour always with its name
    points = json.loads(
        re.search(r'<script id="portal-map-data" type="application/json">(.*?)</script>', html).group(1)
    )
    assert {p["code"]: p["colour"] for p in points} == {"25222": "green", "25228": "orange", "25229": "yellow"}
    assert "xstatic/leaflet/leaflet.js" in html


def test_home_lists_provinces(levels, anonymous):
    html = text_of(anonymous.get("/public/"))
    assert 'data-code="70" data-colour="yellow"' in html
    assert 'data-code="79" data-colour="none"' in html


def test_search_a_commune_without_diacritics(levels, anonymous):
    html = text_of(anonymous.get("/public/", {"q": "duc hanh"}))
    assert 'href="/public/25228/"' in re.search(r'id="search-results".*?</div>', html, re.S).group(0)


def test_commune_page_level_measures_and_announced_change(levels, anonymous):
    html = text_of(anonymous.get("/public/25228/"))
    assert 'id="unit-level" data-colour="orange"' in html
    assert 'id="unit-announced"' in html and "08:00 22/08/2021" in html
    assert html.count('class="list-group-item') >= 5  # the measures in force for orange, and for red
    assert 'id="measures"' in html and 'id="measures-upcoming"' in html


def test_measures_read_plainly_for_citizens(levels, anonymous):
    """A measure that stops an activity is labelled "stopped", never "not allowed" (no double negative),
    and the specification's rule codes (R-40) stay on the officers' pages."""
    html = text_of(anonymous.get("/public/25228/"))
    measures = re.search(r'id="measures".*?</ul>', html, re.S).group(0)
    assert "Tạm dừng quán bar" in measures and "Dừng hoạt động" in measures
    assert "Không được phép" not in html and "Not allowed" not in html
    assert "Chỉ thị 15/16" in html and not re.search(r"\(R-\d+", html)


def test_commune_without_level(world, anonymous):
    html = text_of(anonymous.get("/public/26734/"))
    assert 'data-colour="none"' in html and 'id="measures"' not in html


def test_hotlines_nearest_first_then_national(levels, anonymous, personas, settings):
    do_add_hotline(personas["province"], levels.province, label="BCĐ tỉnh", number="0271 3879 115")
    do_add_hotline(personas["commune"], levels.commune, label="Trạm Y tế xã", number="0912 345 678")
    html = text_of(anonymous.get("/public/25228/"))
    block = re.search(r'<ul class="list-unstyled mb-0" id="hotlines">(.*?)</ul>', html, re.S).group(1)
    numbers = re.findall(r'href="tel:([^"]+)"', block)
    assert numbers == ["0912345678", "02713879115", settings.CHONGDICH_HOTLINE.replace(" ", "")]
    assert "0271 3879 115" not in text_of(anonymous.get("/public/79/"))  # another province's page


def test_declaration_link_only_when_the_form_exists(levels, anonymous, settings):
    assert 'id="declaration-link" href="/movement/declare/"' in text_of(anonymous.get("/public/25228/"))
    settings.ROOT_URLCONF = "tests.portal.urls_without_declarations"
    cache.clear()
    assert 'id="declaration-link"' not in text_of(anonymous.get("/public/25228/"))


def test_pages_are_cached_for_a_minute(levels, anonymous, personas):
    first = text_of(anonymous.get("/public/25228/"))
    do_create_announcement(
        personas["commune"],
        levels.commune,
        title="Phun khử khuẩn chợ Đức Hạnh",
        body="Chợ tạm đóng cửa sáng 21/8 để phun khử khuẩn.",
        publish_at=at(DAY, 7),
    )
    assert text_of(anonymous.get("/public/25228/")) == first  # the cached page
    cache.clear()
    assert "Phun khử khuẩn chợ Đức Hạnh" in text_of(anonymous.get("/public/25228/"))


def test_language_switch_by_link(levels, anonymous):
    assert '<html lang="vi">' in text_of(anonymous.get("/public/25228/"))  # cached in Vietnamese first
    response = anonymous.get("/public/language/en/", {"next": "/public/25228/"})
    assert response.status_code == 302 and response["Location"] == "/public/25228/"
    assert response.cookies["django_language"].value == "en"
    html = text_of(anonymous.get("/public/25228/"))
    assert '<html lang="en">' in html and "Orange · High risk" in html  # the English page is cached apart
    cache_vi = text_of(anonymous.get("/public/language/vi/", {"next": "https://evil.example/"}, follow=True))
    assert '<html lang="vi">' in cache_vi  # an outside address is not followed: back to the portal
    assert anonymous.get("/public/language/xx/").status_code == 404


def test_query_counts(levels, anonymous, django_assert_max_num_queries):
    for path in ("/public/", "/public/691/", "/public/25228/"):
        anonymous.get(path)
        cache.clear()
        with django_assert_max_num_queries(16):
            anonymous.get(path)
        cache.clear()
    assert Announcement.objects.count() == 1  # the automatic announcement of Đức Hạnh's change


def _found(anonymous, query: str) -> list[str]:
    html = text_of(anonymous.get("/public/", {"q": query}))
    results = re.search(r'id="search-results".*?</div>', html, re.S).group(0)
    return re.findall(r'href="/public/([^/]+)/"', results)


def test_search_ranks_whole_words_before_parts_of_words(world, anonymous):
    from tests.conftest import _unit

    # "Đức Chánh" contains "hanh" inside "chanh" and sorts before "Đức Hạnh": it must still come second.
    _unit("25999", "Xã Đức Chánh", "commune", "xa", world.district)
    _unit("25998", "Xã Đức Hạnh Tây", "commune", "xa", world.district)
    _unit("25997", "Xã Đức Hạnhh", "commune", "xa", world.district)  # only a word beginning
    assert _found(anonymous, "duc hanh")[:4] == ["25228", "25998", "25997", "25999"]


def test_search_shows_provinces_and_districts_before_communes_of_the_same_name(world, anonymous):
    from tests.conftest import _unit

    for number in range(25):  # more communes named like the province than the list shows
        _unit(f"2690{number:02d}", f"Xã Bình Phước {number + 1}", "commune", "xa", world.district)
    _unit("692", "Huyện Bình Phước", "district", "huyen", world.province)
    found = _found(anonymous, "binh phuoc")
    assert found[:2] == ["70", "692"] and len(found) == 20
