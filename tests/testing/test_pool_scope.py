"""A pooled sample's page lists the members and re-tests of the user's area only (issue 8 §1): a pool
taken by the district may hold people of several communes."""

from datetime import date

import pytest
from django.urls import reverse

from chongdich.testing.actions import do_record_result, do_register_pool

D = date(2022, 3, 1)


@pytest.fixture
def pool(world, personas, make_person):
    here = [make_person(full_name=f"Người Đức Hạnh {i}", cccd=None) for i in range(2)]
    there = [make_person(unit=world.other_village, full_name=f"Người Phú Văn {i}", cccd=None) for i in range(2)]
    pool, _ = do_register_pool(
        personas["district"], members=[*here, *there], reason="screening", taken_on=D, unit=world.commune
    )
    do_record_result(personas["district"], pool, status="positive", ct=None, result_on=D)  # opens one re-test each
    return pool


def test_pool_page_shows_only_members_and_retests_of_the_users_area(client_of, pool):
    page = client_of("commune").get(reverse("testing:sample", args=[pool.pk])).content.decode()
    assert "Người Đức Hạnh 0" in page and "Người Đức Hạnh 1" in page
    assert "Người Phú Văn" not in page
    assert page.count(f"{pool.code}-") == 2  # the two re-tests of Đức Hạnh's members, not Phú Văn's


def test_pool_page_shows_everyone_to_the_district(client_of, pool):
    page = client_of("district").get(reverse("testing:sample", args=[pool.pk])).content.decode()
    assert "Người Đức Hạnh 0" in page and "Người Phú Văn 1" in page
    assert page.count(f"{pool.code}-") == 4
