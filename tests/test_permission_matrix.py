"""Every list, detail, create, update, export and API endpoint × every persona.

Out of scope answers exactly like "not found" (404); a role without the function gets 403;
anonymous users are sent to the login page (302) or get 401 from the API.  Writes that are
refused leave nothing behind.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from chongdich.people.models import Household, Person

ALL = ["national", "province", "district", "commune", "other_commune", "health", "checkpoint", "community", "viewer"]
COMMITTEES_IN_SCOPE = {"national", "province", "district", "commune"}
VIEW_IN_SCOPE = COMMITTEES_IN_SCOPE | {"health", "community"}
PEOPLE_ROLES = set(ALL) - {"viewer"}


def expect(ok: set[str], ok_status: int, *, forbidden: set[str], anonymous: int = 302) -> dict:
    """ok → ok_status; forbidden (no such function) → 403; every other persona → 404."""
    result = {None: anonymous}
    for persona in ALL:
        result[persona] = ok_status if persona in ok else 403 if persona in forbidden else 404
    return result


@pytest.fixture
def target(world, make_person):
    household = Household(code="25228-H00001", address="Thôn 1")
    household.place_in(world.village)
    household.save()
    person = make_person(full_name="Hoàng Văn Đích", household=household)
    return {"person": person, "household": household}


def person_form(world, **extra):
    return {"full_name": "Phan Văn Mới", "sex": "M", "birth_year": "1991", "unit": world.village.code,
            "residence_status": "permanent", **extra}  # fmt: skip


CASES = {
    "people list": ("get", lambda w, t: reverse("people:list"), None,
                    expect(PEOPLE_ROLES, 200, forbidden={"viewer"})),
    "person detail": ("get", lambda w, t: reverse("people:detail", args=[t["person"].pk]), None,
                      expect(VIEW_IN_SCOPE, 200, forbidden={"viewer"})),
    "household": ("get", lambda w, t: reverse("people:household", args=[t["household"].pk]), None,
                  expect(VIEW_IN_SCOPE, 200, forbidden={"viewer"})),
    "person edit form": ("get", lambda w, t: reverse("people:edit", args=[t["person"].pk]), None,
                         expect(VIEW_IN_SCOPE, 200, forbidden={"viewer"})),
    "person update": ("post", lambda w, t: reverse("people:edit", args=[t["person"].pk]),
                      lambda w, t: person_form(w, full_name="Hoàng Văn Đích", birth_year="1985", sex="M"),
                      expect(VIEW_IN_SCOPE, 302, forbidden={"viewer"})),
    "person history": ("get", lambda w, t: reverse("people:history", args=[t["person"].pk]), None,
                       expect(COMMITTEES_IN_SCOPE, 200, forbidden={"health", "checkpoint", "community", "viewer"})),
    "person merge": ("get", lambda w, t: reverse("people:merge", args=[t["person"].pk]), None,
                     expect(COMMITTEES_IN_SCOPE, 200, forbidden={"health", "checkpoint", "community", "viewer"})),
    "people export": ("get", lambda w, t: reverse("people:export"), None,
                      expect(COMMITTEES_IN_SCOPE | {"health", "other_commune"}, 200,
                             forbidden={"checkpoint", "community", "viewer"})),
    "unit page": ("get", lambda w, t: reverse("territory:detail", args=[w.commune.code]), None,
                  expect(set(ALL), 200, forbidden=set())),
    "unit edit": ("get", lambda w, t: reverse("territory:edit", args=[w.commune.code]), None,
                  expect(COMMITTEES_IN_SCOPE, 200, forbidden={"health", "checkpoint", "community", "viewer"})),
    "unit history": ("get", lambda w, t: reverse("territory:history", args=[w.commune.code]), None,
                     expect(COMMITTEES_IN_SCOPE, 200, forbidden={"health", "checkpoint", "community", "viewer"})),
    "village create": ("post", lambda w, t: reverse("territory:village_create", args=[w.commune.code]),
                       lambda w, t: {"name": "Thôn Mới", "kind": "thon"},
                       expect(COMMITTEES_IN_SCOPE, 302, forbidden={"health", "checkpoint", "community", "viewer"})),
    "audit log": ("get", lambda w, t: reverse("core:audit"), None,
                  expect(COMMITTEES_IN_SCOPE | {"other_commune"}, 200, forbidden={"health", "checkpoint", "community", "viewer"})),
    "imports": ("get", lambda w, t: reverse("core:imports"), None,  # checkpoint officers import rapid-test results
                expect(COMMITTEES_IN_SCOPE | {"other_commune", "health", "checkpoint"}, 200, forbidden={"community", "viewer"})),
    "users": ("get", lambda w, t: reverse("accounts:users"), None,
              expect(COMMITTEES_IN_SCOPE | {"other_commune"}, 200, forbidden={"health", "checkpoint", "community", "viewer"})),
    "API units": ("get", lambda w, t: f"/api/v1/units/{w.commune.code}", None,
                  expect(set(ALL), 200, forbidden=set(), anonymous=401)),
    "API person": ("get", lambda w, t: f"/api/v1/persons/{t['person'].pk}", None,
                   expect(VIEW_IN_SCOPE, 200, forbidden=set(), anonymous=401) | {"viewer": 404}),
    "API search": ("get", lambda w, t: "/api/v1/persons?q=hoang+van+dich", None,
                   expect(PEOPLE_ROLES, 200, forbidden={"viewer"}, anonymous=401)),
    "API create": ("api-post", lambda w, t: "/api/v1/persons",
                   lambda w, t: {"full_name": "Phan Văn Mới", "sex": "M", "birth_year": 1991, "unit": w.village.code},
                   expect(VIEW_IN_SCOPE, 201, forbidden={"viewer"}, anonymous=401)),
}  # fmt: skip


def _call(client, method, url, data):
    if method == "get":
        return client.get(url)
    if method == "post":
        return client.post(url, data)
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("persona", [None, *ALL])
def test_matrix(case, persona, world, personas, target, client_of):
    method, url_of, data_of, expected = CASES[case]
    client = client_of(persona)
    people_before = Person.objects.count()
    response = _call(client, method, url_of(world, target), data_of(world, target) if data_of else None)
    assert response.status_code == expected[persona], f"{case} as {persona}: {response.status_code}"
    if method != "get" and response.status_code not in (201, 302):
        assert Person.objects.count() == people_before  # a refused write leaves nothing


def test_export_contains_only_the_scope(world, personas, target, client_of, make_person):
    from tests.helpers import read_xlsx

    make_person(unit=world.other_village, full_name="Lý Thị Xa")
    rows = read_xlsx(client_of("other_commune").get(reverse("people:export")).content)
    names = {row[1] for row in rows[1:]}
    assert names == {"Lý Thị Xa"}


def test_create_form_offers_only_units_in_scope(world, personas, target, client_of):
    response = client_of("other_commune").post(reverse("people:create"), person_form(world))
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert not Person.objects.filter(full_name="Phan Văn Mới").exists()
