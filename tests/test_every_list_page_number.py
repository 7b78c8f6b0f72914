"""Generated from the URL resolver: every page without parameters, asked for page numbers no list
has (huge, negative, text, past the end) and a page size no view offers, answers a normal page —
never a server error."""

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
    assert {"people:list", "surveillance:list", "surveillance:worklist", "testing:samples", "core:audit",
            "care:orders", "testing:campaigns", "portal:announcements"} <= found  # fmt: skip


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.route or "/")
def test_no_page_number_gives_a_server_error(route, client_of, some_rows):
    client = client_of("national")
    client.raise_request_exception = False
    for page in BAD_PAGES:
        response = client.get(f"/{route.route}", {"page": page, "per_page": "99999999999999999999"})
        assert response.status_code < 500, f"/{route.route}?page={page} answered {response.status_code}"
