"""Users and grants: who may give which role where.  Every change is audited."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from chongdich.accounts.models import ApiToken, Grant, RoleChoice, User
from chongdich.core import audit, clock
from chongdich.core.roles import COMMITTEE_LEVEL, Cap, Role
from chongdich.core.scoping import forget_scope, has_capability, in_scope, scope_for
from chongdich.territory.models import AdminUnit


def check_can_grant(actor, role: str, unit: AdminUnit) -> None:
    if not in_scope(actor, Cap.USERS_MANAGE, unit):
        raise PermissionDenied(_("You can only give roles inside your area."))
    if role == Role.NATIONAL_ADMIN and not scope_for(actor, Cap.USERS_MANAGE).everything:
        raise PermissionDenied(_("Only a national administrator can appoint another."))
    # A committee of a level may be appointed only at that level: no district committee on a commune.
    needed_level = COMMITTEE_LEVEL.get(Role(role))
    if needed_level and unit.level != needed_level:
        raise ValidationError(
            _("This role belongs to a unit of level “%(level)s”; %(unit)s is not one.")
            % {"level": dict(AdminUnit._meta.get_field("level").choices)[needed_level], "unit": unit}
        )


@transaction.atomic
def do_create_user(actor, *, username: str, full_name: str, password: str, role: str, unit: AdminUnit, **extra) -> User:
    try:
        check_can_grant(actor, role, unit)
    except PermissionDenied as refusal:
        refusal.field = "unit"  # the new account's unit: shown on that field of a form
        raise
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    user = User(username=username, full_name=full_name, **extra)
    user.set_password(password)
    user.save()
    audit.record(actor, audit.AuditAction.CREATE, user, unit_path=unit.path, label=username)
    do_grant(actor, user=user, role=role, unit=unit)
    return user


@transaction.atomic
def do_grant(actor, *, user: User, role: str, unit: AdminUnit) -> Grant:
    check_can_grant(actor, role, unit)
    grant, created = Grant.objects.get_or_create(
        user=user, role=role, unit=unit, defaults={"granted_by": actor if actor and actor.is_authenticated else None}
    )
    if created:
        audit.record(
            actor,
            audit.AuditAction.GRANT,
            user,
            unit_path=unit.path,
            detail={"role": role, "unit": unit.code},
            label=user.get_username(),
        )
    forget_scope(user)
    return grant


def grantable_roles(actor) -> list[str]:
    """Roles ``actor`` may hand out (a national role only by a national administrator)."""
    everything = scope_for(actor, Cap.USERS_MANAGE).everything
    return [value for value, _label in RoleChoice.choices if everything or value != Role.NATIONAL_ADMIN]


def check_can_manage_account(actor, user: User) -> None:
    """Passwords and activation: only when every role of the account lies inside the actor's area,
    so that a commune officer can never take over a district or province account."""
    if scope_for(actor, Cap.USERS_MANAGE).everything:
        return
    grants = list(user.grants.values_list("role", "unit__path"))
    if (
        user.is_superuser
        or not grants
        or any(role == Role.NATIONAL_ADMIN or not in_scope(actor, Cap.USERS_MANAGE, path) for role, path in grants)
    ):
        raise PermissionDenied(_("This account also has roles outside your area; ask a higher level to change it."))


def can_manage_account(actor, user: User) -> bool:
    """Whether ``check_can_manage_account`` lets ``actor`` change ``user``'s password and activation."""
    try:
        check_can_manage_account(actor, user)
    except PermissionDenied:
        return False
    return True


@transaction.atomic
def do_set_active(actor, user: User, active: bool) -> None:
    check_can_manage_account(actor, user)
    if user.pk == actor.pk and not active:
        raise ValidationError(_("You cannot deactivate your own account."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(
        actor,
        audit.AuditAction.UPDATE,
        user,
        detail={"changed": {"is_active": [str(not active), str(active)]}},
        unit_path="",
        label=user.get_username(),
    )


@transaction.atomic
def do_set_password(actor, user: User, password: str) -> None:
    check_can_manage_account(actor, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(actor, audit.AuditAction.UPDATE, user, detail={"password": "reset"}, label=user.get_username())


@transaction.atomic
def do_set_own_email(actor: User, email: str) -> User:
    """A user sets the address their notifications and daily digest go to (empty: none by email)."""
    email = (email or "").strip()
    if email != actor.email:
        before = actor.email
        actor.email = email
        actor.save(update_fields=["email"])
        audit.record(
            actor,
            audit.AuditAction.UPDATE,
            actor,
            detail={"changed": {"email": [before, email]}},
            unit_path="",
            label=actor.get_username(),
        )
    return actor


@transaction.atomic
def do_change_own_password(actor: User, password: str) -> None:
    """A user changes their own password (the page checked the old one and every validator)."""
    actor.set_password(password)
    actor.save(update_fields=["password"])
    audit.record(
        actor, audit.AuditAction.UPDATE, actor, detail={"password": "changed"}, unit_path="", label=actor.get_username()
    )


@transaction.atomic
def do_revoke(actor, grant: Grant) -> None:
    check_can_grant(actor, grant.role, grant.unit)
    if grant.user.grants.count() == 1:
        raise ValidationError(
            _("This is the account's last role: deactivate the account instead, so that it stays in your list.")
        )
    audit.record(
        actor,
        audit.AuditAction.REVOKE,
        grant.user,
        unit_path=grant.unit.path,
        detail={"role": grant.role, "unit": grant.unit.code},
        label=grant.user.get_username(),
    )
    grant._history_user = actor
    grant.delete()


def token_expiry_bounds() -> tuple[date, date, date]:
    """(first, default, last) day a new token may stay valid: tomorrow, API_TOKEN_DAYS and
    API_TOKEN_MAX_DAYS from today."""
    today = clock.today()
    return (
        today + timedelta(days=1),
        today + timedelta(days=settings.API_TOKEN_DAYS),
        today + timedelta(days=settings.API_TOKEN_MAX_DAYS),
    )


def do_issue_token(actor, *, name: str, valid_until: date | None = None) -> tuple[ApiToken, str]:
    """Issue a token valid through the end of ``valid_until`` (by default API_TOKEN_DAYS from today)."""
    if not has_capability(actor, Cap.API_TOKENS):
        raise PermissionDenied(_("Your roles do not allow API tokens."))
    first, default, last = token_expiry_bounds()
    valid_until = valid_until or default
    if not first <= valid_until <= last:
        raise ValidationError(
            {
                "valid_until": _(
                    "Choose a day between %(first)s and %(last)s: a token is valid for at most %(days)s days."
                )
                % {
                    "first": date_format(first, "SHORT_DATE_FORMAT"),
                    "last": date_format(last, "SHORT_DATE_FORMAT"),
                    "days": settings.API_TOKEN_MAX_DAYS,
                }
            }
        )
    expires_at = clock.start_of(valid_until + timedelta(days=1))
    token, raw = ApiToken.issue(actor, name=name, expires_at=expires_at)
    audit.record(
        actor,
        audit.AuditAction.TOKEN,
        token,
        detail={"issued": token.key_prefix, "expires": str(valid_until)},
        label=name,
    )
    return token, raw


def do_revoke_token(actor, token: ApiToken) -> None:
    if token.user_id != actor.pk:
        raise PermissionDenied
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor, audit.AuditAction.TOKEN, token, detail={"revoked": token.key_prefix}, label=token.name)
