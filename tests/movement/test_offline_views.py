"""The service worker of the movement pages (/movement/sw.js) and the outbox include."""

from __future__ import annotations

import json
import re

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from chongdich.movement.views import offline


def _config(body: str) -> dict:
    return json.loads(re.search(r"^var CONFIG = (.*);$", body, re.M).group(1))


def test_the_worker_is_served_at_movement_with_its_scope_uncached(client, db):
    response = client.get("/movement/sw.js")
    assert reverse("movement:service_worker") == "/movement/sw.js"
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert response["Service-Worker-Allowed"] == "/movement/"
    config = _config(response.content.decode())
    assert config["scope"] == "/movement/" and config["login"] == "/accounts/login/"
    assert config["outbox"] == "/static/movement/outbox.js"
    assert "/static/chongdich/app.js" in config["assets"] and "/static/movement/outbox.js" in config["assets"]
    assert any(url.startswith("/static/django_htmx/") for url in config["assets"])
    assert re.fullmatch(r"[0-9a-f]{12}", config["version"])


def test_the_worker_speaks_the_users_language_and_only_answers_get(client, db):
    body = client.get("/movement/sw.js").content.decode()
    assert _config(body)["texts"]["title"] == "Không có mạng"
    client.cookies["django_language"] = "en"
    assert _config(client.get("/movement/sw.js").content.decode())["texts"]["title"] == "No connection"
    assert client.post("/movement/sw.js").status_code == 405


def test_the_cache_is_named_by_a_version_that_follows_the_outbox(db, monkeypatch, tmp_path):
    first = offline._version()
    changed = tmp_path / "outbox.js"
    changed.write_text("// another outbox")
    offline._version.cache_clear()
    monkeypatch.setattr(offline.finders, "find", lambda name: str(changed))
    try:
        assert offline._version() != first
    finally:
        offline._version.cache_clear()


def test_the_worker_keeps_pages_with_an_outbox_form_only_and_drops_old_caches(client, db):
    body = client.get("/movement/sw.js").content.decode()
    assert 'text.indexOf("data-outbox=") < 0' in body  # only pages with an outbox form are kept
    assert "name.indexOf(PREFIX) === 0 && name !== CACHE" in body  # old versions removed on activate
    assert 'request.method !== "GET"' in body  # the outbox's POSTs are never answered from a copy
    assert "importScripts(CONFIG.outbox)" in body


def test_the_include_gives_translated_texts_and_addresses(rf: RequestFactory, db):
    html = render_to_string("movement/offline/outbox.html", request=rf.get("/"))
    assert 'data-sw="/movement/sw.js"' in html and 'data-login="/accounts/login/"' in html
    assert '<span data-text="queued">Đã lưu trên máy, sẽ gửi khi có mạng</span>' in html
    assert "<script" not in html  # no inline script (CSP)
