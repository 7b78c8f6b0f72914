"""Generated from the URL resolver: every page without parameters, asked for page numbers no list has
(huge, negative, text, past the end), a page size no view offers, or a day no page can show (the year 1,
the year 9999), answers a normal page — never a server error."""

from __future__ import annotations

import pytest

from tests.routes import page_routes

ROUTES = page_routes()
BAD_PAGES = ["99999999999999999999", "-3", "abc", "0", "1e9", "5", "", "9223372036854775807"]


@pytest.fixture
def some_rows(world, make_person):
    """A few rows on the people list, so that past-the-end pages have a real last page."""
    for i in range(3):
        make_person(full_name=f"Người Thứ {i}", cccd=None)


def test_the_walk_finds_the_lists():
    found = {route.name for route in ROUTES}
    assert {
        "people:list",
        "surveillance:list",
        "surveillance:worklist",
        "testing:samples",
        "desk:audit",
        "care:orders",
        "testing:campaigns",
        "portal:announcements",
    } <= found


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.route or "/")
def test_no_page_number_gives_a_server_error(route, client_of, some_rows):
    client = client_of("national")
    client.raise_request_exception = False
    for page in BAD_PAGES:
        response = client.get(f"/{route.route}", {"page": page, "per_page": "99999999999999999999"})
        assert response.status_code < 500, f"/{route.route}?page={page} answered {response.status_code}"


ODD_DAYS = ["0001-01-01", "0001-01-02", "1900-01-01", "9999-12-31", "2021-02-31", "20210820"]


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.route or "/")
def test_no_day_gives_a_server_error(route, client_of, world):
    client = client_of("national")
    client.raise_request_exception = False
    for day in ODD_DAYS:
        response = client.get(f"/{route.route}", {"day": day, "date": day, "unit": world.province.code})
        assert response.status_code < 500, f"/{route.route}?day={day} answered {response.status_code}"


@pytest.mark.parametrize("path", ["/risk/70/", "/reports/70/", "/api/v1/risk/levels"])
def test_no_day_gives_a_server_error_on_a_unit_page(client_of, world, path):
    client = client_of("national")
    client.raise_request_exception = False
    for day in ODD_DAYS:
        assert client.get(path, {"date": day, "day": day, "unit": "70"}).status_code < 500, (path, day)
