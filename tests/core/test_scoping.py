"""core.scoping, directly: the one way to scope rows (``for_user``), the one object check
(``in_scope``), ``within`` and ``within_unit``, and the Scope they rest on."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chongdich.accounts.models import Grant, User
from chongdich.core.roles import Cap
from chongdich.core.scoping import NO_SCOPE, Scope, for_user, forget_scope, in_scope, scope_for, within_unit
from chongdich.people.models import Household, Person
from chongdich.territory.models import AdminUnit


@pytest.mark.parametrize(
    ("scope", "path", "expected"),
    [
        (Scope(everything=True, paths=()), "/70/691/", True),
        (Scope(everything=True, paths=()), "", True),
        (Scope(everything=False, paths=("/70/691/",)), "/70/691/25228/", True),
        (Scope(everything=False, paths=("/70/691/",)), "/70/691/", True),
        (Scope(everything=False, paths=("/70/691/",)), "/70/", False),
        (Scope(everything=False, paths=("/70/691/",)), "/70/6911/", False),  # a sibling sharing digits
        (Scope(everything=False, paths=("/70/691/", "/79/")), "/79/760/", True),
        (NO_SCOPE, "/70/", False),
    ],
)
def test_scope_contains(scope, path, expected):
    assert scope.contains(path) is expected


def test_empty_scope():
    assert NO_SCOPE.empty and not Scope(everything=True, paths=()).empty
    assert not Scope(everything=False, paths=("/70/",)).empty


def _user(name, *grants, **extra):
    user = User.objects.create_user(username=name, password="x-password-123", **extra)
    for role, unit in grants:
        Grant.objects.create(user=user, role=role, unit=unit)
    return user


def test_nested_grants_collapse_to_the_outer_one(world):
    user = _user("nested", ("commune_committee", world.commune), ("district_committee", world.district))
    assert scope_for(user, Cap.PEOPLE_VIEW).paths == (world.district.path,)
    two = _user("two", ("commune_committee", world.commune), ("commune_committee", world.other_commune))
    assert scope_for(two, Cap.PEOPLE_VIEW).paths == tuple(sorted([world.commune.path, world.other_commune.path]))


@pytest.mark.parametrize(
    ("who", "everything", "empty"),
    [
        ("national_admin", True, False),
        ("superuser", True, False),
        ("inactive", False, True),
        ("anonymous", False, True),
        ("none", False, True),
        ("no_grant", False, True),
        ("commune", False, False),
    ],
)
def test_who_sees_everything_and_who_nothing(world, who, everything, empty):
    user = {
        "national_admin": lambda: _user("n", ("national_admin", world.province)),
        "superuser": lambda: _user("s", is_superuser=True),
        "inactive": lambda: _user("i", ("province_committee", world.province), is_active=False),
        "anonymous": AnonymousUser,
        "none": lambda: None,
        "no_grant": lambda: _user("g"),
        "commune": lambda: _user("c", ("commune_committee", world.commune)),
    }[who]()
    scope = scope_for(user, Cap.PEOPLE_VIEW)
    assert scope.everything is everything and scope.empty is empty
    if user is not None:
        assert in_scope(user, Cap.PEOPLE_VIEW, world.village) is (who in ("national_admin", "superuser", "commune"))


def test_a_capability_the_role_lacks_gives_no_scope(world, personas):
    assert scope_for(personas["viewer"], Cap.PEOPLE_VIEW).empty
    assert not scope_for(personas["viewer"], Cap.UNITS_VIEW).empty


def test_grants_are_cached_until_forgotten(world):
    user = _user("cached", ("commune_committee", world.commune))
    assert not in_scope(user, Cap.PEOPLE_VIEW, world.other_village)
    Grant.objects.create(user=user, role="commune_committee", unit=world.other_commune)
    assert not in_scope(user, Cap.PEOPLE_VIEW, world.other_village)  # the request's cache
    forget_scope(user)
    assert in_scope(user, Cap.PEOPLE_VIEW, world.other_village)


def test_for_user_on_a_model(world, personas, make_person):
    here, there = make_person(world.village), make_person(world.other_village, full_name="Trần Thị Bé", sex="F")
    assert set(Person.objects.for_user(personas["commune"], Cap.PEOPLE_VIEW)) == {here}
    assert set(Person.objects.for_user(personas["district"], Cap.PEOPLE_VIEW)) == {here, there}
    assert set(Person.objects.for_user(personas["national"], Cap.PEOPLE_VIEW)) == {here, there}
    assert not Person.objects.for_user(personas["viewer"], Cap.PEOPLE_VIEW).exists()
    assert not Person.objects.for_user(AnonymousUser(), Cap.PEOPLE_VIEW).exists()
    # The default capability of the model (people.view for people).
    assert set(Person.objects.for_user(personas["commune"])) == {here}


def test_for_user_through_a_relation(world, personas, make_person):
    here, there = make_person(world.village), make_person(world.other_village, full_name="Trần Thị Bé", sex="F")
    households = []
    for person in (here, there):
        household = Household(code=f"H-{person.pk}")
        household.place_in(person.unit)
        household.save()
        households.append(household)
    # Rows judged on a related row's path: the households' heads.
    Household.objects.filter(pk=households[0].pk).update(head=here)
    Household.objects.filter(pk=households[1].pk).update(head=there)
    scoped = for_user(Household.objects.all(), personas["commune"], Cap.PEOPLE_VIEW, path_field="head__unit_path")
    assert list(scoped) == [households[0]]


def test_units_are_scoped_on_their_own_path(world, personas):
    units = AdminUnit.objects.for_user(personas["commune"])  # units.view by default
    assert set(units) == {world.commune, world.village, world.village2}
    assert AdminUnit.objects.for_user(personas["national"]).count() == AdminUnit.objects.count()


@pytest.mark.parametrize("form", ["record", "unit", "path"])
def test_in_scope_on_a_record_a_unit_and_a_path(world, personas, make_person, form):
    person = make_person(world.village)
    target = {"record": person, "unit": world.village, "path": world.village.path}[form]
    assert in_scope(personas["commune"], Cap.PEOPLE_VIEW, target)
    assert in_scope(personas["district"], Cap.PEOPLE_VIEW, target)
    assert not in_scope(personas["other_commune"], Cap.PEOPLE_VIEW, target)
    assert not in_scope(personas["commune"], "no.such.capability", target)


def test_within_narrows_never_widens(world, personas, make_person):
    here, there = make_person(world.village), make_person(world.other_village, full_name="Trần Thị Bé", sex="F")
    mine = Person.objects.for_user(personas["commune"], Cap.PEOPLE_VIEW)
    assert set(mine.within(world.village)) == {here}
    assert not mine.within(world.other_village).exists()
    assert set(Person.objects.for_user(personas["district"], Cap.PEOPLE_VIEW).within(world.district)) == {here, there}
    assert set(AdminUnit.objects.within(world.commune)) == {world.commune, world.village, world.village2}


@pytest.mark.parametrize(
    ("code", "found"), [("25228", True), (" 25228 ", True), ("nope", False), ("", False), ("70/691", False)]
)
def test_within_unit(world, make_person, code, found):
    person = make_person(world.village)
    rows, unit = within_unit(Person.objects.all(), code)
    assert (unit is not None) is found
    assert list(rows) == ([person] if found else [])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    grants=st.lists(
        elements=st.tuples(
            st.sampled_from(["commune_committee", "district_committee", "province_committee", "viewer"]),
            st.sampled_from(["commune", "other_commune", "district", "far_commune", "village"]),
        ),
        max_size=3,
        unique=True,
    ),
    capability=st.sampled_from([Cap.PEOPLE_VIEW, Cap.PEOPLE_EDIT, Cap.UNITS_VIEW, Cap.USERS_MANAGE]),
)
def test_a_row_is_in_for_user_iff_in_scope(world, grants, capability):
    """The list and the object check agree, for any set of grants and any capability."""
    User.objects.filter(username="prop").delete()
    user = _user("prop", *[(role, getattr(world, unit)) for role, unit in grants])
    units = set(AdminUnit.objects.for_user(user, capability))
    for unit in AdminUnit.objects.all():
        assert (unit in units) is in_scope(user, capability, unit)
