"""The vaccination API through the test client: doses of the area (filters, cursor, audit), a dose
recorded from a device (idempotent), a person's status and colour, and payload verification."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client

from chongdich.accounts.models import ApiToken
from chongdich.core.models import AuditEvent
from chongdich.vaccination.models import Dose
from tests.vaccination.certs_helpers import give
from tests.vaccination.table_world import DAY, eligible  # the vacc fixture: a plugin of tests/conftest.py

API = "/api/v1/vaccination"


@pytest.fixture
def token_of(personas):
    def make(name: str) -> dict:
        _token, raw = ApiToken.issue(personas[name], name="máy tính bảng")
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return make


def _post(client, url, data, **headers):
    return client.post(url, json.dumps(data), content_type="application/json", **headers)


def test_list_doses_of_the_area(world, make_person, client_of, settings):
    settings.CHONGDICH_TODAY = "2021-11-01"
    here = make_person(full_name="Người Ở Đây", cccd=None)
    there = make_person(unit=world.other_village, full_name="Người Ở Xa", cccd=None)
    give(here, "AZ", date(2021, 8, 1), lot_number="NJ0001")
    give(here, "AZ", date(2021, 10, 1))
    give(there, "PF", date(2021, 9, 1))
    answer = client_of("commune").get(f"{API}/doses")
    assert answer.status_code == 200
    items = answer.json()["items"]
    assert [(d["person_id"], d["given_on"]) for d in items] == [(here.pk, "2021-10-01"), (here.pk, "2021-08-01")]
    assert items[1]["lot"] == "NJ0001" and items[1]["unit"] == "25228-01" and items[1]["kind"] == "primary"
    event = AuditEvent.objects.filter(detail__api=True).latest("at")
    assert event.detail["people"] == [here.pk]
    since = client_of("district").get(f"{API}/doses", {"since": "2021-09-01"}).json()["items"]
    assert {d["given_on"] for d in since} == {"2021-10-01", "2021-09-01"}
    narrowed = client_of("district").get(f"{API}/doses", {"unit": world.other_commune.code}).json()["items"]
    assert [d["person_id"] for d in narrowed] == [there.pk]
    assert client_of("commune").get(f"{API}/doses", {"unit": "nowhere"}).json()["items"] == []
    assert client_of("commune").get(f"{API}/doses", {"since": "1999-01-01"}).status_code == 422
    page = client_of("district").get(f"{API}/doses", {"limit": 2}).json()
    rest = client_of("district").get(f"{API}/doses", {"limit": 2, "cursor": page["next"]}).json()
    assert len(page["items"]) == 2 and len(rest["items"]) == 1 and rest["next"] is None
    assert client_of(None).get(f"{API}/doses").status_code == 401


def test_record_a_dose_from_a_device_once(vacc, token_of):
    eligible(vacc)
    headers = {**token_of("health"), "HTTP_IDEMPOTENCY_KEY": "tablet-7:0001"}
    data = {"person_id": vacc["person"].pk, "session_id": vacc["session"].pk, "lot": "a1001"}
    first = _post(Client(), f"{API}/doses", data, **headers)
    assert first.status_code == 201, first.json()
    body = first.json()
    assert body["product"] == "AZ" and body["number"] == 1 and body["lot"] == "A1001" and body["given_on"] == str(DAY)
    again = _post(Client(), f"{API}/doses", data, **headers)
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Dose.objects.filter(person=vacc["person"]).count() == 1


def test_record_refusals(vacc, token_of, make_person, world):
    client = Client()
    health = token_of("health")
    data = {"person_id": vacc["person"].pk, "session_id": vacc["session"].pk, "lot": "A1001"}
    not_screened = _post(client, f"{API}/doses", data, **health)
    assert not_screened.status_code == 422 and not_screened.json()["detail"]
    assert _post(client, f"{API}/doses", {**data, "lot": "ZZZ"}, **health).status_code == 422
    elsewhere = make_person(unit=world.other_village, full_name="Ở Phú Văn", cccd=None)
    assert _post(client, f"{API}/doses", {**data, "person_id": elsewhere.pk}, **health).status_code == 404
    assert _post(client, f"{API}/doses", {**data, "session_id": 99999}, **health).status_code == 404
    assert _post(client, f"{API}/doses", {**data, "lot": "x" * 41}, **health).status_code == 422
    assert _post(client, f"{API}/doses", data, **token_of("viewer")).status_code == 403
    assert _post(client, f"{API}/doses", data, **token_of("other_commune")).status_code == 404


def test_person_status(world, make_person, client_of, settings):
    settings.CHONGDICH_TODAY = "2022-03-01"
    person = make_person(full_name="Đã Tiêm Hai Mũi")
    give(person, "PF", date(2021, 9, 1), lot_number="FA1")
    give(person, "PF", date(2021, 9, 22), lot_number="FA2")
    answer = client_of("commune").get(f"{API}/persons/{person.pk}/status")
    assert answer.status_code == 200
    body = answer.json()
    assert body["complete"] is True and body["completed_on"] == "2021-09-22" and body["doses_counted"] == 2
    assert body["colour"] == {"colour": "green", "reason": "full_primary", "since": "2021-09-22", "until": None}
    assert body["next_kind"] == "booster" and body["next_due"] == "2022-03-22"  # 6 months after the series
    assert [d["lot"] for d in body["doses"]] == ["FA1", "FA2"]
    earlier = client_of("commune").get(f"{API}/persons/{person.pk}/status", {"on": "2021-09-10"}).json()
    assert earlier["colour"]["colour"] == "red" and earlier["doses_counted"] == 1
    at = client_of("commune").get(f"{API}/persons/{person.pk}/status", {"at": "2021-10-10T10:00:00+07:00"}).json()
    assert at["on"] == "2021-10-10" and at["colour"]["colour"] == "green"
    mismatch = client_of("commune").get(
        f"{API}/persons/{person.pk}/status", {"on": "2021-10-02", "at": "2021-10-01T10:00:00+07:00"}
    )
    assert mismatch.status_code == 422
    assert client_of("commune").get(f"{API}/persons/{person.pk}/status", {"on": "2099-01-01"}).status_code == 422
    assert client_of("other_commune").get(f"{API}/persons/{person.pk}/status").status_code == 404
    assert AuditEvent.objects.filter(object_id=str(person.pk), detail__api=True).exists()


def test_verify_a_payload(world, make_person, client_of, settings):
    settings.CHONGDICH_TODAY = "2021-11-15"
    person = make_person(full_name="Có Chứng Nhận", date_of_birth=date(1990, 5, 6))
    give(person, "MO", date(2021, 9, 1), lot_number="MO-77")
    page = client_of("commune").get(f"/vaccination/people/{person.pk}/certificate/")
    payload = page.context["issued"].payload
    answer = _post(client_of("checkpoint"), f"{API}/verify", {"payload": payload})
    assert answer.status_code == 200
    body = answer.json()
    assert body["verdict"] == "valid" and body["certificate"]["name"] == "Có Chứng Nhận"
    assert body["certificate"]["date_of_birth"] == "1990-05-06"
    assert body["certificate"]["doses"][0]["lot"] == "MO-77"
    whole_url = _post(client_of("checkpoint"), f"{API}/verify", {"payload": page.context["verify_url"]}).json()
    assert whole_url["verdict"] == "valid"
    signed, signature = payload.split(".")
    altered = f"{signed}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    refused = _post(client_of("checkpoint"), f"{API}/verify", {"payload": altered}).json()
    assert refused == {"verdict": "invalid_signature", "kid": body["kid"], "certificate": None}
    junk = _post(client_of("checkpoint"), f"{API}/verify", {"payload": "xin chào"}).json()
    assert junk["verdict"] == "malformed" and junk["certificate"] is None
    assert _post(client_of("checkpoint"), f"{API}/verify", {"payload": "x" * 2000}).status_code == 422
