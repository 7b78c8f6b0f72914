"""The event tables' API: declarations (public, rate-limited), check-ins and passages (device tokens);
re-sent client ids answer the first record; bad input is a 4xx with messages."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from chongdich.core import clock
from chongdich.movement import devices, intake
from chongdich.movement.models import CheckIn, Checkpoint, Declaration, Passage, Venue
from chongdich.tallies.models import DailyTally

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits(settings):
    settings.CHONGDICH_DECLARATION_RATE_LIMIT = 20
    cache.clear()
    intake.UNITS.clear()
    intake.VENUES.clear()
    devices.CACHE.clear()
    yield
    cache.clear()


@pytest.fixture
def places(world):
    venue = Venue(code="CHO01", name="Chợ Đức Hạnh", kind="market")
    venue.place_in(world.commune)
    venue.save()
    other = Venue(code="CHO02", name="Chợ Phú Văn", kind="market")
    other.place_in(world.other_commune)
    other.save()
    checkpoint = Checkpoint(code="CP-BGM", name="Chốt Bù Gia Mập", kind="province_border")
    checkpoint.place_in(world.border_commune)
    checkpoint.save()
    return venue, other, checkpoint


def post(client, path, body, token=None, **extra):
    headers = {"HTTP_AUTHORIZATION": f"Device {token}"} if token else {}
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(f"/api/v1/{path}", data=data, content_type="application/json", **headers, **extra)


def declaration(**changes):
    body = {
        "client_id": "decl-1",
        "full_name": "Nguyễn Văn An",
        "birth_year": 1985,
        "sex": "male",
        "phone": "0912 345 678",
        "commune_code": "25228",
        "village": "25228-01",
        "symptoms": [],
        "exposures": [],
    }
    body.update(changes)
    return body


def test_declaration_is_saved_once_and_answers_its_receipt(client, world):
    first = post(client, "declarations", declaration())
    assert first.status_code == 201, first.content
    receipt = first.json()["receipt"]
    again = post(client, "declarations", declaration(full_name="Changed"))
    assert again.status_code == 200
    assert again.json()["receipt"] == receipt
    row = Declaration.objects.get()
    assert (row.receipt, row.phone, row.unit_id, row.commune_code) == (
        receipt,
        "+84912345678",
        world.village.pk,
        "25228",
    )
    assert DailyTally.objects.get(unit=world.commune, day=row.day).declarations == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"commune_code": "99999"}, "commune_code"),
        ({"village": "25229-01"}, "village"),
        ({"phone": "12"}, "phone"),
        ({"birth_year": 1700}, "birth_year"),
        ({"sex": "x"}, "sex"),
        ({"full_name": ""}, "full_name"),
        ({"cccd": "12ab"}, "cccd"),
        ({"client_id": "x" * 65}, "client_id"),
        ({"symptoms": ["x"] * 21}, "symptoms"),
    ],
)
def test_bad_declarations_are_refused_with_the_field_named(client, world, changes, field):
    response = post(client, "declarations", declaration(**changes))
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not Declaration.objects.exists()


def test_broken_json_and_nul_are_400(client, world):
    assert post(client, "declarations", "{").status_code == 400
    assert post(client, "declarations", json.dumps(declaration(full_name="A\u0000B"))).status_code == 400


def test_declarations_are_rate_limited_per_address(client, world, settings):
    settings.CHONGDICH_DECLARATION_RATE_LIMIT = 3
    codes = [post(client, "declarations", declaration(client_id=f"r{i}")).status_code for i in range(4)]
    assert codes == [201, 201, 201, 429]
    refused = post(client, "declarations", declaration(client_id="r9"))
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    other = post(client, "declarations", declaration(client_id="r10"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 201


def checkin(**changes):
    body = {"client_id": "ci-1", "venue": "CHO01", "phone": "0912345678", "at": timezone.now().isoformat()}
    body.update(changes)
    return body


def test_checkin_needs_a_device_of_that_venue(client, places):
    venue, other, checkpoint = places
    _token, raw = devices.issue(venue, "Cổng chợ")
    _t2, other_raw = devices.issue(other, "Cổng chợ 2")
    _t3, checkpoint_raw = devices.issue(checkpoint, "Điện thoại chốt")
    assert post(client, "checkins", checkin()).status_code == 401
    assert post(client, "checkins", checkin(), token="dv_wrong").status_code == 401
    assert post(client, "checkins", checkin(), token=other_raw).status_code == 403
    assert post(client, "checkins", checkin(), token=checkpoint_raw).status_code == 403
    first = post(client, "checkins", checkin(), token=raw)
    assert first.status_code == 201, first.content
    again = post(client, "checkins", checkin(), token=raw)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    row = CheckIn.objects.get()
    assert (row.venue_id, row.unit_id, row.phone, row.method) == (venue.pk, venue.unit_id, "+84912345678", "device")
    assert DailyTally.objects.get(unit=venue.unit, day=row.day).checkins == 1


def test_expired_or_revoked_device_is_refused_and_use_is_noted(client, places):
    venue, _other, _cp = places
    token, raw = devices.issue(venue, "Cổng")
    assert post(client, "checkins", checkin(), token=raw).status_code == 201
    token.refresh_from_db()
    assert token.last_used_at is not None
    token.revoked_at = timezone.now()
    token.save()
    assert post(client, "checkins", checkin(client_id="ci-2"), token=raw).status_code == 401
    expired, expired_raw = devices.issue(venue, "Cũ", expires_at=clock.now() - timedelta(seconds=1))
    assert post(client, "checkins", checkin(client_id="ci-3"), token=expired_raw).status_code == 401


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"phone": ""}, "phone"),
        ({"phone": "", "person_id": 999999}, "person_id"),
        ({"at": "2020-01-01T00:00:00"}, "at"),
        ({"at": "not a time"}, "at"),
        ({"temperature": 50}, "temperature"),
    ],
)
def test_bad_checkins_are_refused(client, places, changes, field):
    _token, raw = devices.issue(places[0], "Cổng")
    response = post(client, "checkins", checkin(**changes), token=raw)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]


def test_passage_from_a_checkpoint_device(client, places, world):
    venue, _other, checkpoint = places
    _token, raw = devices.issue(checkpoint, "Điện thoại chốt")
    _t, venue_raw = devices.issue(venue, "Cổng")
    body = {
        "client_id": "p-1",
        "at": timezone.now().isoformat(),
        "subject": "vehicle",
        "plate": "51C-123.45",
        "vehicle_type": "truck",
        "people_on_board": 2,
        "origin_commune_code": "26734",
        "destination_commune_code": "25228",
        "action": "through",
    }
    assert post(client, "passages", body, token=venue_raw).status_code == 403
    assert post(client, "passages", {**body, "checkpoint": "OTHER"}, token=raw).status_code == 403
    first = post(client, "passages", body, token=raw)
    assert first.status_code == 201, first.content
    assert post(client, "passages", body, token=raw).json()["id"] == first.json()["id"]
    row = Passage.objects.get()
    assert (row.plate, row.checkpoint_id, row.commune_code) == ("51C12345", checkpoint.pk, "25222")
    bad = post(client, "passages", {**body, "client_id": "p-2", "plate": "??"}, token=raw)
    assert bad.status_code == 422 and "plate" in bad.json()["errors"]
