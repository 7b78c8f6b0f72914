"""One page-number rule for every list: anything typed gives a page, past the end the last one."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chongdich.core.pagination import MAX_PAGE, SafeLazyPaginator, SafePaginator, page_number

ROWS = list(range(23))  # 3 pages of 10


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, 1),
        ("", 1),
        ("1", 1),
        ("2", 2),
        (" 3 ", 3),
        ("0", 1),
        ("-1", 1),
        ("abc", 1),
        ("1e9", 1),
        ("2.5", 1),
        ("٣", 1),  # an Arabic-Indic digit: isdigit() but not a page number
        ("99999999999999999999", MAX_PAGE),
        (str(MAX_PAGE + 1), MAX_PAGE),
        (7, 7),
        (-7, 1),
        (True, 1),
    ],
)
def test_page_number_table(raw, expected):
    assert page_number(raw) == expected


@given(st.one_of(st.text(), st.integers(), st.none()))
def test_page_number_is_always_a_valid_page(raw):
    assert 1 <= page_number(raw) <= MAX_PAGE


@pytest.mark.parametrize("paginator_class", [SafePaginator, SafeLazyPaginator])
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("99999999999999999999", 3),
        ("4", 3),
        ("-1", 1),
        ("abc", 1),
        (None, 1),
        ("2", 2),
        ("3", 3),
    ],
)
def test_any_page_number_gives_a_page(paginator_class, raw, expected):
    page = paginator_class(ROWS, 10).get_page(raw)
    assert page.number == expected and list(page.object_list) == ROWS[(expected - 1) * 10 : expected * 10]


def test_page_size_is_bounded():
    assert SafePaginator(ROWS, 10**20).per_page == 500 and SafeLazyPaginator(ROWS, 0).per_page == 1


@pytest.mark.django_db
def test_lazy_past_the_end_of_a_queryset_opens_the_last_page(world, make_person):
    from chongdich.people.models import Person

    for i in range(5):
        make_person(full_name=f"Người {i}", cccd=None)
    page = SafeLazyPaginator(Person.objects.order_by("pk"), 2).get_page("99999999999999999999")
    assert page.number == 3 and len(page.object_list) == 1 and not page.has_next()


def test_people_list_past_the_end_shows_the_last_page(client_of, make_person):
    for i in range(3):
        make_person(full_name=f"Người Thứ {i}", cccd=None)
    response = client_of("commune").get("/people/", {"page": "99999999999999999999"})
    assert response.status_code == 200 and len(response.context["table"].page.object_list) == 3
