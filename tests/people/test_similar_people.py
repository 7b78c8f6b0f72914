"""Duplicate detection without phone or citizen ID (issue 8 §7): the same folded name and year of birth
(or date of birth) in the same village or household warns, on the page and in the API (409 unless
``confirm_new``), so that children and old people are not registered four times."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse

from chongdich.people.actions import PossibleDuplicate, do_create_person
from chongdich.people.models import Household, Person

CHILD = {"full_name": "Điểu Thị Bé", "sex": "F", "birth_year": 2016}


def test_same_name_and_year_in_the_same_village_warns(world, personas):
    do_create_person(personas["commune"], unit=world.village, data=CHILD)
    with pytest.raises(PossibleDuplicate) as caught:
        do_create_person(personas["commune"], unit=world.village, data={**CHILD, "full_name": "dieu thi be"})
    assert [p.full_name for p in caught.value.matches] == ["Điểu Thị Bé"]
    person, created = do_create_person(personas["commune"], unit=world.village, data=CHILD, confirm_new=True)
    assert created and Person.objects.count() == 2


def test_same_name_and_year_in_another_village_or_year_does_not_warn(world, personas):
    do_create_person(personas["commune"], unit=world.village, data=CHILD)
    do_create_person(personas["commune"], unit=world.village2, data=CHILD)
    do_create_person(personas["commune"], unit=world.village, data={**CHILD, "birth_year": 2017})
    assert Person.objects.count() == 3


def test_different_dates_of_birth_are_different_people(world, personas):
    do_create_person(personas["commune"], unit=world.village, data={**CHILD, "date_of_birth": date(2016, 2, 1)})
    do_create_person(personas["commune"], unit=world.village, data={**CHILD, "date_of_birth": date(2016, 9, 9)})
    with pytest.raises(PossibleDuplicate):  # the same day, or a record with only the year
        do_create_person(personas["commune"], unit=world.village, data={**CHILD, "date_of_birth": date(2016, 9, 9)})
    with pytest.raises(PossibleDuplicate):
        do_create_person(personas["commune"], unit=world.village, data=CHILD)


def test_same_household_warns_wherever_registered(world, personas):
    household = Household(code="25228-H00042")
    household.place_in(world.village)
    household.save()
    do_create_person(personas["commune"], unit=world.village, data={**CHILD, "household": household})
    with pytest.raises(PossibleDuplicate):
        do_create_person(personas["commune"], unit=world.commune, data={**CHILD, "household": household})


def test_the_rule_itself(world, make_person):
    from chongdich.people.duplicates import similar_people

    old = make_person(full_name="Lò Văn Già", birth_year=1938, date_of_birth=None, phone="", cccd=None)
    kwargs = {"full_name": "LO VAN GIA", "birth_year": 1938}
    assert similar_people(**kwargs, unit=world.village) == [old]
    assert similar_people(**kwargs, unit=world.commune) == [old]  # registered at commune level: the whole commune
    assert similar_people(**kwargs, unit=world.village2) == []
    assert similar_people(**kwargs) == []  # no place, no phone: nothing to compare
    assert similar_people(**kwargs, unit=world.village, exclude_pk=old.pk) == []


def test_create_page_warns_on_name_year_village(world, client_of):
    data = {
        "full_name": "Điểu Thị Bé",
        "sex": "F",
        "birth_year": "2016",
        "unit": world.village.code,
        "residence_status": "permanent",
    }
    assert client_of("commune").post(reverse("people:create"), data).status_code == 302
    again = client_of("commune").post(reverse("people:create"), data)
    assert again.status_code == 200 and "duplicates" in again.content.decode()
    assert Person.objects.count() == 1


def test_api_creates_without_key_phone_or_cccd_do_not_duplicate_silently(world, client_of):
    payload = {"full_name": "Điểu Văn Nhỏ", "sex": "M", "birth_year": 2019, "unit": world.village.code}
    client = client_of("health")

    def post(body):
        return client.post("/api/v1/persons", json.dumps(body), content_type="application/json")

    assert post(payload).status_code == 201
    again = post(payload)
    assert again.status_code == 409 and "cùng họ tên" in again.json()["detail"]
    first = Person.objects.get()
    assert again.json()["errors"]["duplicates"] == [f"{first.pk}: Điểu Văn Nhỏ (2019)"]  # in scope: named
    assert Person.objects.count() == 1
    assert post({**payload, "confirm_new": True}).status_code == 201
    assert Person.objects.count() == 2
