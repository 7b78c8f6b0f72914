"""Input that no database can store is refused at the door, once, for every page and the API.

PostgreSQL refuses a NUL character in text (and a lone UTF-16 surrogate cannot be encoded at all),
so a NUL in a search box, a form field, a JSON body, a header or the address would reach the
database and fail there as a server error.  This middleware answers such a request with a clear
400 in the user's language before any view, session or token lookup sees it.
"""

from __future__ import annotations

import json

from django.http import JsonResponse
from django.template.response import SimpleTemplateResponse
from django.utils.translation import gettext as _

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def bad_text(value: str) -> bool:
    """True when ``value`` holds a NUL or a lone surrogate (text no database can store)."""
    if "\x00" in value:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _bad_json(value) -> bool:
    if isinstance(value, str):
        return bad_text(value)
    if isinstance(value, dict):
        return any(_bad_json(key) or _bad_json(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_bad_json(item) for item in value)
    return False


def _bad_pairs(querydict) -> bool:
    return any(bad_text(key) or any(bad_text(str(value)) for value in values) for key, values in querydict.lists())


def refused_part(request) -> str | None:
    """Where the request carries text no database can store ("address", "query", "header", "body"), or None."""
    if bad_text(request.path_info):
        return "address"
    if _bad_pairs(request.GET):
        return "query"
    if any(
        bad_text(value) for key, value in request.META.items() if key.startswith("HTTP_") and isinstance(value, str)
    ):
        return "header"
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    if request.content_type in FORM_TYPES and not request.path_info.startswith("/api/"):
        # Pages read forms (and uploads) as fields; the API reads the raw body, which must stay unread here.
        return "body" if _bad_pairs(request.POST) else None  # file names: Django's parser cleans them
    body = request.body
    if b"\x00" in body:
        return "body"
    if b"\\u" in body:  # JSON escapes may spell a NUL or a lone surrogate: look at the decoded text
        try:
            if _bad_json(json.loads(body)):
                return "body"
        except (ValueError, RecursionError):
            return None  # not JSON: the view answers that
    return None


def _where(part: str) -> str:
    return {
        "address": _("the address"),
        "query": _("the search or filter"),
        "header": _("a header"),
        "body": _("the form or data sent"),
    }[part]


class EdgeInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        part = refused_part(request)
        if part is not None:
            message = _(
                "The data sent contains a character that cannot be stored (a NUL character or broken "
                "Unicode) in %(where)s. Remove it and send again."
            ) % {"where": _where(part)}
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": message, "errors": {part: [message]}}, status=400)
            return SimpleTemplateResponse("400.html", {"message": message}, status=400).render()
        return self.get_response(request)
