"""core.access.get_for_user_or_404: the one scoped fetch — missing, out of scope and odd ids all 404."""

from __future__ import annotations

import pytest
from django.http import Http404

from chongdich.core.access import get_for_user_or_404, require_in_scope
from chongdich.core.roles import Cap
from chongdich.people.models import Person


def test_the_object_in_scope(world, personas, make_person):
    person = make_person(world.village)
    assert get_for_user_or_404(Person, personas["commune"], Cap.PEOPLE_VIEW, pk=person.pk) == person
    assert get_for_user_or_404(Person.objects.active(), personas["district"], Cap.PEOPLE_EDIT, pk=person.pk) == person


@pytest.mark.parametrize(
    "pk", ["missing", "abc", "-1", "99999999999999999999999", "1.5", "", None, "1; drop table", "٣"]
)
def test_missing_out_of_scope_and_odd_ids_are_not_found(world, personas, make_person, pk):
    person = make_person(world.village)
    lookup = {"missing": person.pk + 1000}.get(pk, pk)
    with pytest.raises(Http404):
        get_for_user_or_404(Person, personas["commune"], Cap.PEOPLE_VIEW, pk=lookup)


def test_out_of_scope_is_not_found(world, personas, make_person):
    person = make_person(world.village)
    for user, capability in [
        (personas["other_commune"], Cap.PEOPLE_VIEW),
        (personas["viewer"], Cap.PEOPLE_VIEW),
        (personas["commune"], "no.such.capability"),
    ]:
        with pytest.raises(Http404):
            get_for_user_or_404(Person, user, capability, pk=person.pk)
    # A queryset narrower than the scope narrows it.
    with pytest.raises(Http404):
        get_for_user_or_404(Person.objects.exclude(pk=person.pk), personas["national"], Cap.PEOPLE_VIEW, pk=person.pk)


def test_require_in_scope(world, personas, make_person):
    person = make_person(world.village)
    require_in_scope(personas["commune"], Cap.PEOPLE_VIEW, person)
    require_in_scope(personas["commune"], Cap.PEOPLE_VIEW, world.village.path)
    with pytest.raises(Http404):
        require_in_scope(personas["other_commune"], Cap.PEOPLE_VIEW, person)
