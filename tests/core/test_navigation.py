"""The main bar shows what a role may open; setting-up pages sit under one menu that opens without JavaScript."""

import re

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db


def _bar(html: str) -> tuple[list[str], list[str]]:
    """(links of the bar, links under "Administration")."""
    nav = html.split('id="nav-main"', 1)[1].split("</nav>", 1)[0]
    menu = nav.split('class="nav-more"', 1)[1].split("</details>", 1)[0] if 'class="nav-more"' in nav else ""
    return re.findall(r'class="nav-link[^"]*" href="([^"]+)"', nav), re.findall(r'href="([^"]+)"', menu)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_a_province_committee_sees_the_daily_pages_and_the_setting_up_menu(client_of):
    response = client_of("province").get("/")
    assert response.status_code == 200
    bar, menu = _bar(response.content.decode())
    assert bar[:2] == ["/", "/dashboard/map/"] and "/cases/" in bar and "/reports/" in bar
    assert "/units/" in menu and "/public/manage/" in menu and "/units/" not in bar
    assert "<summary" in response.content.decode()  # a <details> menu: no script needed to open it


def test_a_viewer_gets_no_menu_for_pages_it_cannot_open(client_of):
    bar, menu = _bar(client_of("viewer").get("/").content.decode())
    assert (
        "/cases/" not in bar
        and "/audit/" not in menu
        and "/accounts/users/" not in menu
        and "/public/manage/" not in menu
    )


def test_the_open_page_of_the_menu_is_marked(client_of):
    html = client_of("province").get("/units/").content.decode()
    assert re.search(r'<summary class="nav-link active">', html)
    assert re.search(r'class="nav-more-link active" href="/units/" aria-current="page"', html)
