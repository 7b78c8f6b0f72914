"""The fast ingest front answers the event POSTs like the API does (same checks, rows and answers)
and keeps the edge's guarantees; anything else goes to Django."""

from __future__ import annotations

import io
import json

import pytest
from django.core.cache import cache as django_cache
from django.utils import timezone

from chongdich.movement import devices, intake
from chongdich.movement.front import IngestFront
from chongdich.movement.models import CheckIn, Declaration
from tests.movement.test_ingest_api import checkin, declaration, places, post  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh(settings):
    settings.CHONGDICH_DECLARATION_RATE_LIMIT = 20
    for cache in (django_cache, intake.UNITS, intake.VENUES, devices.CACHE):
        cache.clear()


class Django:
    def __init__(self):
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"django"]


def call(front, path, body, *, method="POST", token=None, **environ):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    env = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(raw)),
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(raw),
        "wsgi.url_scheme": "http",
    }
    if token:
        env["HTTP_AUTHORIZATION"] = f"Device {token}"
    env.update(environ)
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)

    out = b"".join(front(env, start_response))
    return seen["status"], (json.loads(out) if out.startswith(b"{") else out), seen["headers"]


@pytest.fixture
def front():
    return IngestFront(Django())


def test_declaration_through_the_front(front, world):
    status, body, headers = call(front, "/api/v1/declarations", declaration())
    assert status == 201 and len(body["receipt"]) >= 8
    assert headers["Cache-Control"].startswith("max-age=0") and headers["Content-Language"] == "vi"
    again, same, _h = call(front, "/api/v1/declarations", declaration())
    assert (again, same["receipt"]) == (200, body["receipt"])
    assert Declaration.objects.count() == 1


def test_front_and_api_give_the_same_answers(front, client, world):
    for changes in ({"phone": "12"}, {"commune_code": "99999"}, {"birth_year": "x"}, {"sex": "?"}):
        status, body, _h = call(front, "/api/v1/declarations", declaration(client_id="a", **changes))
        response = post(client, "declarations", declaration(client_id="b", **changes))
        assert (status, body) == (response.status_code, response.json()), changes


def test_the_edge_is_kept(front, world, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    assert call(front, "/api/v1/declarations", b"{")[0] == 400
    assert call(front, "/api/v1/declarations", b'{"full_name": "a\\u0000"}')[0] == 400
    assert call(front, "/api/v1/declarations", b'{"full_name": "a\x00"}')[0] == 400
    assert call(front, "/api/v1/declarations", b'{"full_name": "\xff"}')[0] == 400
    assert call(front, "/api/v1/declarations", declaration(), QUERY_STRING="a=%00")[0] == 400
    assert call(front, "/api/v1/declarations", declaration(), QUERY_STRING="a=%ff")[0] == 400
    assert call(front, "/api/v1/declarations", declaration(), HTTP_X_THING="a\x00")[0] == 400
    assert call(front, "/api/v1/declarations", declaration(), HTTP_HOST="evil.example")[0] == 400
    assert call(front, "/api/v1/declarations", declaration(), CONTENT_LENGTH=str(10**6))[0] == 413
    assert not Declaration.objects.exists()


def test_language_cookie(front, world):
    body = declaration()
    del body["sex"]
    _s, vi, headers = call(front, "/api/v1/declarations", body)
    _s, en, headers_en = call(front, "/api/v1/declarations", body, HTTP_COOKIE="django_language=en")
    assert headers_en["Content-Language"] == "en" and headers["Content-Language"] == "vi"
    assert en["errors"]["sex"] == ["This field is required."] != vi["errors"]["sex"]


def test_rate_limit_and_tokens(front, places, settings):  # noqa: F811 - the fixture imported above
    settings.CHONGDICH_DECLARATION_RATE_LIMIT = 2
    statuses = [call(front, "/api/v1/declarations", declaration(client_id=f"x{i}"))[0] for i in range(3)]
    assert statuses == [201, 201, 429]
    venue, other, _cp = places
    _t, raw = devices.issue(venue, "Cổng")
    _t2, other_raw = devices.issue(other, "Cổng 2")
    assert call(front, "/api/v1/checkins", checkin())[0] == 401
    assert call(front, "/api/v1/checkins", checkin(), token=other_raw)[0] == 403
    status, body, _h = call(front, "/api/v1/checkins", checkin(), token=raw)
    assert status == 201 and CheckIn.objects.get().pk == body["id"]
    assert call(front, "/api/v1/checkins", checkin(), token=raw)[:2] == (200, body)


def test_everything_else_goes_to_django(front):
    django = front.app
    assert call(front, "/api/v1/declarations", b"", method="GET")[1] == b"django"
    assert call(front, "/api/v1/people", {})[1] == b"django"
    assert django.calls == 2


def test_a_database_failure_is_a_503(front, world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr("chongdich.movement.ingest.save_events", broken)
    status, body, _h = call(front, "/api/v1/declarations", declaration(at=timezone.now().isoformat()))
    assert status == 503 and body["detail"]
