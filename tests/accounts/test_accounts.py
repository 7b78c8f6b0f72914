"""Login with lockout, grants within scope, API tokens from the profile page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from chongdich.accounts.actions import do_create_user, do_grant
from chongdich.accounts.models import Grant, User
from chongdich.core.models import AuditEvent
from tests.conftest import PASSWORD


def test_login_and_audit(client, personas):
    response = client.post(reverse("accounts:login"), {"username": "commune", "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="login", actor=personas["commune"]).exists()


def test_lockout_after_repeated_failures(client, personas, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "commune", "password": "wrong"})
    response = client.post(reverse("accounts:login"), {"username": "commune", "password": PASSWORD})
    assert response.status_code == 429
    assert AuditEvent.objects.filter(action="login_failed").count() >= settings.AXES_FAILURE_LIMIT


def test_passwords_are_hashed_with_argon2_in_production():
    from chongdich.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_sessions_expire():
    from chongdich.settings import base

    assert base.SESSION_COOKIE_AGE <= 8 * 3600 and base.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_district_creates_a_commune_user(world, personas):
    user = do_create_user(
        personas["district"],
        username="yte.phuvan",
        full_name="Y Tế",
        password="x-Strong-pass-1",
        role="health_staff",
        unit=world.other_commune,
    )
    assert Grant.objects.filter(user=user, role="health_staff", unit=world.other_commune).exists()
    assert AuditEvent.objects.filter(action="grant", object_id=str(user.pk)).exists()


def test_commune_cannot_grant_outside_or_above(world, personas):
    with pytest.raises(PermissionDenied):
        do_grant(personas["commune"], user=personas["health"], role="health_staff", unit=world.other_commune)
    with pytest.raises(PermissionDenied):
        do_grant(personas["commune"], user=personas["health"], role="national_admin", unit=world.commune)
    with pytest.raises(ValidationError):  # a district committee role belongs on a district
        do_grant(personas["district"], user=personas["health"], role="district_committee", unit=world.commune)
    with pytest.raises(PermissionDenied):
        do_grant(personas["health"], user=personas["community"], role="health_staff", unit=world.commune)


def test_user_pages(client_of, world, personas):
    client = client_of("district")
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "xa.bugiamap",
            "full_name": "Cán bộ xã",
            "password": "x-Strong-pass-1",
            "role": "commune_committee",
            "unit": "25222",
        },
    )
    assert response.status_code == 302
    new = User.objects.get(username="xa.bugiamap")
    grant = new.grants.get()
    assert client_of("commune").get(reverse("accounts:user", args=[new.pk])).status_code == 404
    response = client.post(reverse("accounts:grant_revoke", args=[grant.pk]))
    assert response.status_code == 302 and new.grants.exists()  # the last role cannot be removed…
    client.post(reverse("accounts:user", args=[new.pk]), {"form": "active", "active": "0"})
    new.refresh_from_db()
    assert not new.is_active  # …the account is deactivated instead and stays in the list
    assert new.username in client.get(reverse("accounts:users")).content.decode()


def test_token_is_shown_once_and_stored_hashed(client_of, personas):
    client = client_of("health")
    response = client.post(reverse("accounts:profile"), {"name": "điện thoại trạm y tế"}, follow=True)
    raw = response.context["new_token"]
    assert raw.startswith("cd_")
    assert client.get(reverse("accounts:profile")).context["new_token"] is None  # shown once; a reload adds none
    assert personas["health"].api_tokens.count() == 1
    token = personas["health"].api_tokens.get()
    assert raw not in (token.key_hash, token.key_prefix) and token.key_prefix == raw[:10]
    assert raw.encode() not in client.get(reverse("accounts:profile")).content


def test_password_reset_only_for_accounts_entirely_in_scope(world, personas, client_of):
    from chongdich.accounts.actions import do_set_password

    do_set_password(personas["district"], personas["commune"], "another-Strong-pass-9")
    with pytest.raises(PermissionDenied):  # the district account is outside the commune officer's area
        do_set_password(personas["commune"], personas["district"], "x-Strong-pass-1")
    Grant.objects.create(user=personas["health"], role="viewer", unit=world.district)
    with pytest.raises(PermissionDenied):  # a role outside the area makes the account untouchable
        do_set_password(personas["commune"], personas["health"], "x-Strong-pass-1")


def test_role_choices_exclude_the_national_role(client_of, personas):
    page = client_of("district").get(reverse("accounts:user_create"))
    roles = dict(page.context["form"].fields["role"].choices)
    assert "national_admin" not in roles and "commune_committee" in roles
    units = dict(page.context["form"].fields["unit"].choices)
    assert "25228" in units and "79" not in units


def test_a_user_sets_their_email_for_notifications(client_of, personas):
    from django.urls import reverse

    client = client_of("commune")
    bad = client.post(reverse("accounts:profile"), {"form": "email", "email": "không-phải-email"})
    assert bad.status_code == 200 and "email" in bad.context["email_form"].errors
    assert bad.context["email_form"]["email"].value() == "không-phải-email"  # kept as typed
    assert client.post(reverse("accounts:profile"), {"form": "email", "email": "canbo@xa.gov.vn"}).status_code == 302
    personas["commune"].refresh_from_db()
    assert personas["commune"].email == "canbo@xa.gov.vn"
