"""people.filters.PersonFilter: the list's filters inside the user's scope (page and export alike)."""

from __future__ import annotations

from chongdich.core.roles import Cap
from chongdich.people.filters import PersonFilter


def test_filters_narrow_inside_the_scope(world, personas, make_person):
    here = make_person(world.village, full_name="Lê Văn Nam", birth_year=1980)
    sister = make_person(world.village2, full_name="Lê Thị Hoa", sex="F", birth_year=1950)
    make_person(world.other_village, full_name="Trần Văn Xa", birth_year=1980)
    commune = personas["commune"]
    assert list(PersonFilter(None, user=commune).people) == [sister, here]  # by name
    assert list(PersonFilter({"unit": world.village.code}, user=commune).people) == [here]
    assert list(PersonFilter({"sex": "F"}, user=commune).people) == [sister]
    assert list(PersonFilter({"q": "le van nam"}, user=commune).people) == [here]
    # A unit outside the scope narrows to nothing; it never widens the list.
    assert not PersonFilter({"unit": world.other_village.code}, user=commune).people.exists()
    assert not PersonFilter({"unit": "no-such-unit"}, user=commune).people.exists()


def test_an_invalid_filter_is_ignored(world, personas, make_person):
    person = make_person(world.village)
    filters = PersonFilter({"sex": "X", "age": "200-300"}, user=personas["commune"])
    assert list(filters.people) == [person]
    assert set(filters.form.errors) == {"sex", "age"}


def test_the_export_scope_is_its_own(world, personas, make_person):
    make_person(world.village)
    assert not PersonFilter(None, user=personas["viewer"], capability=Cap.PEOPLE_EXPORT).people.exists()
