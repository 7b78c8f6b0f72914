"""API: token auth for devices, scoped like the pages, idempotent creates, OpenAPI served locally."""

import json

import pytest

from chongdich.accounts.models import ApiToken
from chongdich.people.models import Person


@pytest.fixture
def token(personas):
    _token, raw = ApiToken.issue(personas["health"], name="phone of the health station")
    return raw


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post_person(client, raw, payload, key=None):
    headers = bearer(raw)
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post("/api/v1/persons", json.dumps(payload), content_type="application/json", **headers)


PAYLOAD = {"full_name": "Vũ Thị Hồng", "sex": "F", "birth_year": 1994, "phone": "0977 123 456", "unit": "25228-01"}


def test_token_auth_and_idempotent_create(client, world, token):
    first = post_person(client, token, PAYLOAD, key="device-42-form-7")
    assert first.status_code == 201, first.content
    again = post_person(client, token, PAYLOAD, key="device-42-form-7")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Person.objects.count() == 1
    assert first.json()["phone"] == "+84977123456"


def test_bad_input_is_422_in_vietnamese(client, world, token):
    response = post_person(client, token, {**PAYLOAD, "cccd": "070094000001"})  # a man's CCCD for a woman
    assert response.status_code == 422
    assert "CCCD" in response.json()["detail"] or "căn cước" in response.json()["detail"].lower()
    assert Person.objects.count() == 0


def test_duplicate_is_409(client, world, token):
    post_person(client, token, PAYLOAD)
    response = post_person(client, token, PAYLOAD)
    assert response.status_code == 409


def test_out_of_scope_unit_is_404(client, world, token):
    response = post_person(client, token, {**PAYLOAD, "unit": "25229-01"})
    assert response.status_code == 404 and Person.objects.count() == 0


def test_revoked_or_wrong_token_is_401(client, world, personas, token):
    assert client.get("/api/v1/persons", **bearer("cd_wrong")).status_code == 401
    ApiToken.objects.update(revoked_at="2021-01-01T00:00:00Z")
    assert client.get("/api/v1/persons", **bearer(token)).status_code == 401


def test_search_and_detail_are_scoped(client, world, token, make_person):
    mine = make_person(full_name="Nguyễn Văn Minh")
    theirs = make_person(unit=world.other_village, full_name="Nguyễn Văn Minh", birth_year=1990)
    found = client.get("/api/v1/persons?q=nguyen+van+minh", **bearer(token)).json()
    assert [p["id"] for p in found["items"]] == [mine.pk]
    assert client.get(f"/api/v1/persons/{theirs.pk}", **bearer(token)).status_code == 404
    assert client.get(f"/api/v1/persons/{mine.pk}", **bearer(token)).json()["unit"] == "25228-01"


def test_units_api(client, world, token):
    units = client.get("/api/v1/units?parent=691", **bearer(token)).json()
    assert {u["code"] for u in units["items"]} == {"25222", "25228", "25229"}
    detail = client.get("/api/v1/units/25228", **bearer(token)).json()
    assert detail["children"] == ["25228-01", "25228-02"] and detail["parent"] == "691"
    assert detail["pop_65_plus"] == 800


def test_openapi_docs_are_served_without_a_cdn(client, personas):
    client.force_login(personas["commune"])
    assert client.get("/api/docs").status_code == 302
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and b"cdn.jsdelivr" not in page.content
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/persons" in schema["paths"]
