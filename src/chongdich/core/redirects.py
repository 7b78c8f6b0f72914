"""Where a form sends the user back: the ``next`` it was given, when it is a page of this site."""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request, default: str) -> str:
    """``?next=`` (or the form's ``next``) when it is a path of this site, else ``default``.  Only a path
    ("/cases/12/") is followed: a bare word would be taken for a view name by ``redirect`` and fail."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url.startswith("/") and not url.startswith("//") and allowed else default
