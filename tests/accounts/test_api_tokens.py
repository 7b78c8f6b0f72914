"""API tokens expire: a default and a maximum at creation, 401 once expired, the expiry on the profile page;
the API reference needs a login or a token unless the deployment makes it public."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chongdich.accounts.models import ApiToken


def _issue(client, **data):
    return client.post(reverse("accounts:profile"), {"name": "máy tính bảng", **data})


def test_a_token_expires_after_the_default_days(client_of, personas, settings):
    _issue(client_of("health"))
    token = personas["health"].api_tokens.get()
    assert token.valid_until == timezone.localdate() + timedelta(days=settings.API_TOKEN_DAYS)
    assert ApiToken._meta.get_field("expires_at").null is False  # no token without an expiry (migration 0003)


def test_the_expiry_is_chosen_within_the_maximum(client_of, personas, settings):
    client = client_of("health")
    soon = timezone.localdate() + timedelta(days=7)
    _issue(client, valid_until=soon.isoformat())
    assert personas["health"].api_tokens.get().valid_until == soon
    too_late = timezone.localdate() + timedelta(days=settings.API_TOKEN_MAX_DAYS + 1)
    page = _issue(client, valid_until=too_late.isoformat())
    assert page.status_code == 200 and "valid_until" in page.context["form"].errors
    assert "tối đa" in page.context["form"].errors["valid_until"][0]  # in Vietnamese, saying the limit
    page = _issue(client, valid_until=timezone.localdate().isoformat())  # expiring today: already useless
    assert "valid_until" in page.context["form"].errors
    assert personas["health"].api_tokens.count() == 1


def test_an_expired_token_answers_401(personas):
    token, raw = ApiToken.issue(personas["health"], name="điện thoại cũ")
    client = Client()
    assert client.get("/api/v1/units/25228", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/units/25228", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_the_profile_page_shows_the_expiry(client_of, personas):
    client = client_of("health")
    _issue(client, valid_until=(timezone.localdate() + timedelta(days=30)).isoformat())
    old, _raw = ApiToken.issue(personas["health"], name="điện thoại cũ", expires_at=timezone.now() - timedelta(days=1))
    page = client.get(reverse("accounts:profile")).content.decode()
    assert (timezone.localdate() + timedelta(days=30)).strftime("%d/%m/%Y") in page
    assert "Hiệu lực đến" in page and "hết hạn" in page  # the old one is marked expired


def test_the_migration_gives_old_tokens_an_expiry(transactional_db, personas):
    """Tokens made before expiry existed get API_TOKEN_DAYS from the upgrade (migration 0003)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0002_initial")])
    old_apps = executor.loader.project_state([("accounts", "0002_initial")]).apps
    OldToken = old_apps.get_model("accounts", "ApiToken")
    OldToken.objects.create(user_id=personas["health"].pk, name="cũ", key_prefix="cd_x", key_hash="x" * 64)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    token = ApiToken.objects.get(name="cũ")
    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)


@pytest.mark.parametrize("path", ["/api/v1/docs", "/api/v1/openapi.json"])
def test_the_api_reference_needs_a_login_or_a_token(db, personas, path):
    anonymous = Client().get(path)
    assert anonymous.status_code == (401 if path.endswith(".json") else 302)
    if anonymous.status_code == 302:
        assert anonymous.url.startswith(reverse("accounts:login"))
    signed_in = Client()
    signed_in.force_login(personas["viewer"])
    assert signed_in.get(path).status_code == 200
    _token, raw = ApiToken.issue(personas["viewer"], name="tích hợp")
    assert Client().get(path, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    assert Client().get(path, HTTP_AUTHORIZATION="Bearer cd_wrong").status_code in (302, 401)


def test_the_api_reference_can_be_made_public(db, settings):
    settings.API_DOCS_PUBLIC = True
    assert Client().get("/api/v1/openapi.json").status_code == 200
