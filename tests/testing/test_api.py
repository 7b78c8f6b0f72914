"""The testing API (/api/v1/samples): scoped list, idempotent registration, result entry with the same rules."""

from __future__ import annotations

import json

import pytest

from chongdich.accounts.models import ApiToken
from chongdich.testing.models import Sample

API = "/api/v1"


@pytest.fixture
def token(personas):
    _token, raw = ApiToken.issue(personas["health"], name="sampling team tablet")
    return raw


def call(client, raw, method, path, payload=None, **headers):
    headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    if method == "get":
        return client.get(API + path, **headers)
    return client.post(API + path, json.dumps(payload), content_type="application/json", **headers)


def test_register_idempotently(client, token, make_person, lab, today):
    person = make_person()
    payload = {"person_id": person.pk, "kind": "rt_pcr", "reason": "f1", "taken_on": today.isoformat(), "lab": "cdc-bp"}
    first = call(client, token, "post", "/samples", payload, HTTP_IDEMPOTENCY_KEY="tablet-3-form-9")
    assert first.status_code == 201, first.content
    again = call(client, token, "post", "/samples", payload, HTTP_IDEMPOTENCY_KEY="tablet-3-form-9")
    assert again.status_code == 200 and again.json()["code"] == first.json()["code"]
    assert first.json()["lab"] == "CDC-BP" and first.json()["status"] == "pending" and Sample.objects.count() == 1


def test_bad_input_and_scope(client, token, make_person, world, today):
    person = make_person()
    future = {"person_id": person.pk, "reason": "f1", "taken_on": "2999-01-01"}
    response = call(client, token, "post", "/samples", future)
    assert response.status_code == 422 and "taken_on" in response.json()["errors"]
    stranger = make_person(unit=world.other_village, cccd=None)
    outside = call(
        client, token, "post", "/samples", {"person_id": stranger.pk, "reason": "f1", "taken_on": today.isoformat()}
    )
    assert outside.status_code == 404 and Sample.objects.count() == 0


def test_list_and_result(client, token, make_sample, today):
    sample = make_sample()
    listed = call(client, token, "get", "/samples?status=pending&lab=CDC-BP")
    assert [s["code"] for s in listed.json()["items"]] == [sample.code]
    bad = call(
        client,
        token,
        "post",
        f"/samples/{sample.code}/result",
        {"status": "positive", "ct_value": 50, "result_on": today.isoformat()},
    )
    assert bad.status_code == 422 and "ct_value" in bad.json()["errors"]
    good = call(
        client,
        token,
        "post",
        f"/samples/{sample.code}/result",
        {"status": "positive", "ct_value": "21.5", "result_on": today.isoformat()},
    )
    assert good.status_code == 200 and good.json()["status"] == "positive" and good.json()["ct_value"] == "21.5"
    assert (
        call(
            client, token, "post", "/samples/NO-SUCH/result", {"status": "negative", "result_on": today.isoformat()}
        ).status_code
        == 404
    )


def test_roles_without_tests_get_403(client, personas):
    _token, raw = ApiToken.issue(personas["community"], name="team phone")
    assert call(client, raw, "get", "/samples").status_code == 403


def test_openapi_describes_the_router(client, personas):
    client.force_login(personas["health"])
    schema = client.get(API + "/openapi.json").json()
    assert {"/api/v1/samples", "/api/v1/samples/{code}/result"} <= set(schema["paths"])
