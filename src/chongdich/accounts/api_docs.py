"""Who may read the API reference (/api/v1/docs, /api/v1/openapi.json).

Decision: signed-in users and holders of a valid API token only, unless the deployment makes it public
(API_DOCS_PUBLIC=1).  The schema describes every field kept about people and every operation on them;
nobody outside the system needs it, and the people who build an integration have an account.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse

from chongdich.accounts.models import ApiToken


def _bearer(request) -> str:
    kind, _space, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if kind.lower() == "bearer" else ""


def api_docs_access(view):
    """ninja's ``docs_decorator``: the browser session or a bearer token; the page sends others to the
    login page, the JSON schema answers 401."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if settings.API_DOCS_PUBLIC or request.user.is_authenticated or ApiToken.authenticate(_bearer(request)):
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            return JsonResponse({"detail": "Unauthorized"}, status=401)
        return redirect_to_login(request.get_full_path())

    return guarded
