"""The list of people in quarantine on a day (behind the dashboard's F1 figures): by dates, at home and in
facilities, scoped, paged across both."""

from datetime import date

import pytest
from django.urls import reverse

from chongdich.care.actions import do_admit, do_order_home_quarantine
from chongdich.care.selectors import Concatenation
from chongdich.people.models import Person
from chongdich.tallies.selectors import levels_on

EXPOSED = date(2022, 3, 1)  # quarantine 1–7/3 under the 21/2/2022 rule


@pytest.fixture
def quarantined(settings, world, personas, make_person, quarantine_site):
    settings.CHONGDICH_TODAY = "2022-03-20"
    actor = personas["district"]
    home, _ = do_order_home_quarantine(actor, make_person(full_name="Ở Nhà Một"), last_exposure=EXPOSED)
    do_order_home_quarantine(actor, make_person(full_name="Ở Phú Văn", unit=world.other_village), last_exposure=EXPOSED)
    do_admit(
        actor,
        make_person(full_name="Ở Khu Cách Ly"),
        facility=quarantine_site,
        bed_type="quarantine",
        purpose="quarantine_f1",
        on=date(2022, 3, 2),
        last_exposure=EXPOSED,
    )
    return home


def rows(client, **params):
    response = client.get(reverse("care:quarantine"), params)
    assert response.status_code == 200
    return [row.record.person.full_name for row in response.context["table"].paginated_rows], response


def test_in_quarantine_by_dates_whatever_the_status(world, client_of, quarantined):
    client = client_of("district")
    names, response = rows(client, on="2022-03-05")
    assert sorted(names) == ["Ở Khu Cách Ly", "Ở Nhà Một", "Ở Phú Văn"]
    levels = levels_on(world.district.path, date(2022, 3, 5))
    assert len(response.context["table"].data) == levels["f1_home_quarantine"] + levels["f1_facility_quarantine"]
    assert rows(client, on="2022-03-05", place="home")[0] == ["Ở Nhà Một", "Ở Phú Văn"]
    assert rows(client, on="2022-03-05", place="facility")[0] == ["Ở Khu Cách Ly"]
    assert rows(client, on="2022-03-05", unit=world.commune.code)[0] == ["Ở Khu Cách Ly", "Ở Nhà Một"]
    # Weeks later nobody closed them by hand: still "active", no longer in quarantine.
    assert rows(client)[0] == [] and quarantined.status == "active"
    assert 'id="quarantine-total">0<' in rows(client)[1].content.decode()


@pytest.mark.parametrize("persona, expected", [("commune", 2), ("other_commune", 1), ("community", 2)])
def test_each_sees_their_area(client_of, quarantined, persona, expected):
    assert len(rows(client_of(persona), on="2022-03-05")[0]) == expected


def test_viewer_is_refused_and_bad_input_is_ignored(client_of, quarantined):
    assert client_of("viewer").get(reverse("care:quarantine")).status_code == 403
    names, _ = rows(client_of("district"), on="2022-99-99", place="<x>")
    assert names == []  # today, both places


def test_pages_run_across_the_two_lists(world, make_person):
    for i in range(5):
        make_person(full_name=f"Người {i}")
    people = Person.objects.order_by("pk")
    rows = Concatenation(
        people.filter(full_name__in=["Người 0", "Người 1"]), people.exclude(full_name__in=["Người 0", "Người 1"])
    )
    assert len(rows) == 5
    assert [p.full_name for p in rows[1:4]] == ["Người 1", "Người 2", "Người 3"]
    assert rows[4].full_name == "Người 4" and [p.full_name for p in rows[5:9]] == []
