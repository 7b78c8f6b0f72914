"""Reads of accounts for the pages: users, roles and tokens, scoped with ``for_user``."""

from __future__ import annotations

from django.db.models import QuerySet

from chongdich.accounts.models import ApiToken, Grant, User
from chongdich.core.roles import Cap
from chongdich.core.scoping import for_user, in_scope


def users_in_scope(user) -> QuerySet[User]:
    """Accounts with a role in the area where ``user`` manages users."""
    return for_user(User.objects.all(), user, Cap.USERS_MANAGE, path_field="grants__unit__path").distinct()


def user_list(user) -> QuerySet[User]:
    return users_in_scope(user).prefetch_related("grants__unit").order_by("username")


def account_for(user, pk: int) -> User | None:
    return users_in_scope(user).filter(pk=pk).first()


def grants_shown(user, account: User) -> list[tuple[Grant, bool]]:
    """The account's roles, each with whether ``user`` manages its unit (and may revoke it)."""
    grants = account.grants.select_related("unit", "granted_by").order_by("unit__path")
    return [(grant, in_scope(user, Cap.USERS_MANAGE, grant.unit)) for grant in grants]


def grant_for(user, pk: int) -> Grant | None:
    """A role granted in the area where ``user`` manages users."""
    grants = Grant.objects.select_related("unit", "user")
    return for_user(grants, user, Cap.USERS_MANAGE, path_field="unit__path").filter(pk=pk).first()


def own_tokens(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def own_token(user, pk: int) -> ApiToken | None:
    return ApiToken.objects.filter(pk=pk, user=user).first()


def own_grants(user) -> QuerySet[Grant]:
    return user.grants.select_related("unit").order_by("unit__path")
