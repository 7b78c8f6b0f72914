"""Headers that harden every answer: a Content-Security-Policy without inline script, no-store on personal
data, and HTTPS only (redirect and HSTS) in production."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from chongdich.accounts.models import ApiToken

SRC = Path(__file__).resolve().parents[2] / "src" / "chongdich"
# (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright: never part of a deployment)
ENV = {
    **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
    "PYTHONPATH": "src",
    "SECRET_KEY": "k7#Tq2!vBm-real-deployment-secret-Rq9zL0pWc3xYh5JdN8",
    "ALLOWED_HOSTS": "chongdich.binhphuoc.gov.vn",
}

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def templates():
    return sorted(p for p in SRC.rglob("*.html") if "reports/pdf" not in str(p))  # the PDF never reaches a browser


@pytest.mark.parametrize("template", templates(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_template_has_inline_script_or_event_handler_attributes(template):
    text = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "move the script to a file under static/ (data via json_script or data-)"
    assert not EVENT_HANDLER.search(text), "attach the handler in static/chongdich/app.js with a data- attribute"
    assert "javascript:" not in text


def _script_src(response) -> str:
    policy = response["Content-Security-Policy"]
    return next(part.strip() for part in policy.split(";") if part.strip().startswith("script-src"))


def test_every_page_sends_a_policy_allowing_scripts_from_the_server_only(client_of, world):
    for response in (
        Client().get(reverse("accounts:login")),
        client_of("commune").get(reverse("people:list")),
        client_of("commune").get(reverse("dashboard:map")),
    ):
        assert _script_src(response) == "script-src 'self'"
        policy = response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_the_tile_server_is_allowed_for_images(monkeypatch):
    env = {**ENV, "DASHBOARD_TILE_URL": "https://tiles.soyte.example.gov.vn/{z}/{x}/{y}.png"}
    code = "from chongdich.settings import base; print(base.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert "https://tiles.soyte.example.gov.vn" in result.stdout


def test_personal_data_is_never_stored_by_browsers_or_proxies(client_of, personas, world, make_person):
    make_person(full_name="Không Lưu Lại")
    client = client_of("commune")
    for url in (reverse("people:list"), reverse("people:export"), reverse("surveillance:worklist")):
        assert "no-store" in client.get(url)["Cache-Control"], url
    _token, raw = ApiToken.issue(personas["commune"], name="máy tính bảng")
    api = Client().get("/api/v1/persons?q=khong+luu", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.status_code == 200 and "no-store" in api["Cache-Control"]
    assert "no-store" in Client().get("/api/v1/persons")["Cache-Control"]  # every API answer


def test_public_pages_stay_cacheable(client_of, world):
    response = Client().get(reverse("portal:home"))
    assert response.status_code == 200 and "no-store" not in response.get("Cache-Control", "")
    shapes = client_of("commune").get(reverse("dashboard:map_shapes"), {"unit": world.commune.code})
    assert shapes["Cache-Control"] == "private, max-age=3600"  # unit boundaries: reference data, not people


def _prod(code: str, **env):
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='chongdich.settings.prod'; "
            "from django.conf import settings as s; " + code,
        ],
        capture_output=True,
        text=True,
        env={**ENV, **env},
    )


def test_production_is_https_only():
    result = _prod(
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER[0], s.SECURE_REDIRECT_EXEMPT)"
    )
    assert result.stdout.split() == ["True", "31536000", "HTTP_X_FORWARDED_PROTO", "['^healthz$']"], result.stderr
    plain = _prod(
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)", SECURE_SSL_REDIRECT="0", SECURE_HSTS_SECONDS="0"
    )
    assert plain.stdout.split() == ["False", "0"]  # an intranet without TLS says so explicitly


def test_production_passes_djangos_deployment_checklist():
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env={**ENV, "DJANGO_SETTINGS_MODULE": "chongdich.settings.prod"},
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_https_redirect_and_hsts_behind_the_proxy(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    plain = Client().get("/accounts/login/")
    assert plain.status_code == 301 and plain.url.startswith("https://")
    secure = Client().get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200 and secure["Strict-Transport-Security"] == "max-age=31536000"
    assert Client().get("/healthz").status_code == 200  # the monitor checks over plain HTTP
