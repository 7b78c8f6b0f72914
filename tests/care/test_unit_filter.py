"""The care lists follow ``?unit=`` as the dashboard's tiles send it: the unit's subtree, inside the
user's scope; an unknown or out-of-scope code lists nothing; the filter is shown with a way out."""

import re
from datetime import date

import pytest
from django.urls import reverse

from chongdich.care.actions import do_order_home_quarantine
from chongdich.dashboard.links import tile_links
from chongdich.dashboard.selectors import place_of


@pytest.fixture
def orders(world, personas, make_person):
    here = make_person(full_name="Người Ở Đức Hạnh")
    there = make_person(unit=world.other_village, full_name="Người Ở Phú Văn")
    for person in (here, there):
        do_order_home_quarantine(personas["district"], person, last_exposure=date(2022, 3, 1))
    return here, there


def links(user, unit) -> dict:
    """The dashboard's tile links for ``unit``, exactly as the dashboard builds them."""
    return tile_links(user, place_of(unit), date(2022, 3, 1))


def banner(html: str) -> str:
    """The active-filter notice above the list ("" when there is none)."""
    match = re.search(r'<div[^>]*id="unit-filter".*?</div>', html, re.S)
    return match.group(0) if match else ""


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_dashboard_tile_links_narrow_the_facility_list(world, personas, client_of, quarantine_site, field_hospital):
    client = client_of("district")
    commune = page(client, links(personas["district"], world.commune)["beds"])
    assert quarantine_site.name in commune and field_hospital.name not in commune
    assert "Xã Đức Hạnh" in banner(commune) and "25228" in banner(commune)
    assert f'href="{reverse("care:facilities")}?day=2022-03-01"' in banner(commune)  # the way back to the whole area
    assert links(personas["district"], world.commune)["f1_facility"].startswith(reverse("care:quarantine"))
    other = page(client, links(personas["district"], world.other_commune)["beds"])
    assert quarantine_site.name not in other and field_hospital.name not in other
    district = page(client, reverse("care:facilities") + f"?unit={world.district.code}")
    assert quarantine_site.name in district and field_hospital.name in district
    whole = page(client, reverse("care:facilities"))
    assert not banner(whole) and quarantine_site.name in whole and field_hospital.name in whole


def test_unknown_or_out_of_scope_codes_list_nothing(world, client_of, quarantine_site, field_hospital, orders):
    unknown = page(client_of("district"), reverse("care:facilities") + "?unit=99999")
    assert quarantine_site.name not in unknown and field_hospital.name not in unknown and "99999" in banner(unknown)
    outside = page(client_of("other_commune"), reverse("care:facilities") + f"?unit={world.commune.code}")
    assert quarantine_site.name not in outside  # visible to nobody in Phú Văn, whatever the link says
    outside = page(client_of("other_commune"), reverse("care:orders") + f"?unit={world.commune.code}")
    assert "Người Ở Đức Hạnh" not in outside and "Người Ở Phú Văn" not in outside


def test_dashboard_tile_links_narrow_the_quarantine_list(world, personas, client_of, orders):
    client = client_of("district")
    listed = page(client, links(personas["district"], world.commune)["f1_home"])
    assert "Người Ở Đức Hạnh" in listed and "Người Ở Phú Văn" not in listed
    assert 'name="unit" value="25228"' in listed  # kept when searching again
    assert 'href="/care/quarantine/?on=2022-03-01&amp;place=home"' in banner(listed)
    village = page(client, reverse("care:orders") + f"?unit={world.other_village.code}")
    assert "Người Ở Phú Văn" in village and "Người Ở Đức Hạnh" not in village
    both = page(client, reverse("care:orders"))
    assert "Người Ở Phú Văn" in both and "Người Ở Đức Hạnh" in both
