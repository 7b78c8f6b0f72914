"""Text no database can store (a NUL character, a lone surrogate) is refused at the door with a 400
in the user's language, wherever it hides; an id in the query that cannot exist is "not found"."""

from __future__ import annotations

import json

import pytest

from chongdich.accounts.models import ApiToken
from chongdich.people.models import Person

VI = "không thể lưu"  # part of the Vietnamese message


@pytest.fixture
def api(client, personas):
    _token, raw = ApiToken.issue(personas["health"], name="phone")
    client.raise_request_exception = False
    return client, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def person(**extra):
    return {"full_name": "Vũ Thị Hồng", "sex": "F", "birth_year": 1994, "unit": "25228-01", **extra}


def test_nul_in_a_search_is_a_400_in_vietnamese(client_of):
    client = client_of("commune")
    response = client.get("/people/", {"q": "nguyen\x00van"})
    assert response.status_code == 400 and VI in response.content.decode()


def test_nul_in_a_form_saves_nothing(client_of, world):
    client = client_of("commune")
    response = client.post(
        "/people/new/",
        {
            "full_name": "Lê\x00Văn",
            "sex": "M",
            "birth_year": "1990",
            "unit": world.village.code,
            "residence_status": "permanent",
        },
    )
    assert response.status_code == 400 and VI in response.content.decode()
    assert not Person.objects.exists()


def test_the_message_follows_the_chosen_language(client_of):
    client = client_of("commune")
    client.cookies["django_language"] = "en"
    assert "cannot be stored" in client.get("/people/", {"q": "a\x00"}).content.decode()


@pytest.mark.parametrize(
    "body",
    [
        person(full_name="Lê\u0000Văn"),  # JSON escape \u0000
        person(address="Thôn 1\ud800"),  # a lone surrogate
        person(notes=["a", {"nested": "b\u0000"}]),
    ],
)
def test_nul_in_json_is_a_400_json_answer(api, body, world):
    client, auth = api
    response = client.post("/api/v1/persons", json.dumps(body), content_type="application/json", **auth)
    assert response.status_code == 400
    assert VI in response.json()["detail"] and not Person.objects.exists()


def test_escaped_text_that_is_not_a_nul_is_accepted(api, world):
    client, auth = api
    body = json.dumps(person(address="C:\\u0000 là đường dẫn"))  # a backslash then "u0000": plain text
    assert "\\u0169" in json.dumps(person()) and "\\\\u0000" in body
    response = client.post("/api/v1/persons", body, content_type="application/json", **auth)
    assert response.status_code == 201, response.content
    assert Person.objects.get().address == "C:\\u0000 là đường dẫn"


@pytest.mark.parametrize(
    ("path", "extra"),
    [
        ("/api/v1/persons?q=a%00b", {}),
        ("/api/v1/samples/AB%00C", {}),
        ("/api/v1/persons", {"HTTP_IDEMPOTENCY_KEY": "k\x00"}),
        ("/api/v1/persons", {"HTTP_COOKIE": "sessionid=x\x00y"}),
    ],
)
def test_nul_in_api_address_query_or_header(api, path, extra):
    client, auth = api
    response = client.get(path, **auth, **extra)
    assert response.status_code == 400 and VI in response.json()["detail"]


def test_token_with_nul_is_refused_before_the_lookup(client, world):
    client.raise_request_exception = False
    assert client.get("/api/v1/persons", HTTP_AUTHORIZATION="Bearer cd_\x00x").status_code == 400


@pytest.mark.parametrize("query", [{"person": "99999999999999999999"}, {"person": "abc"}])
def test_an_id_in_the_query_that_cannot_exist_is_not_found(client_of, query):
    client = client_of("national")
    client.raise_request_exception = False
    assert client.get("/cases/new/", query).status_code == 404
