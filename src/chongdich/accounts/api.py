"""Accounts' part of the JSON API: who is calling — a bearer token (``ApiToken``, for devices and
integrations) or the browser session.  ``chongdich.api.main`` gives ``AUTH`` to the NinjaAPI; accounts has
no endpoints of its own, so no router."""

from __future__ import annotations

from ninja.security import HttpBearer, SessionAuth

from chongdich.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    openapi_description = "API token from the profile page: `Authorization: Bearer cd_…`"

    def authenticate(self, request, token):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionUser(SessionAuth):
    """The logged-in browser session (CSRF-checked for writes)."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


AUTH = [TokenAuth(), SessionUser()]
