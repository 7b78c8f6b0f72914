"""Every refusal of the API in one shape, in the caller's language (Vietnamese first):
``{"detail": "…", "errors": {"field": ["…"]}}`` — the shape of ``schemas.ErrorOut``.

Pydantic and django-ninja answer in English with their own shapes (a list of error dicts, "Not
Found", "Cannot parse request body"); the handlers installed by ``install`` translate them.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def _expected(ctx: dict[str, Any]) -> str:
    """pydantic's "'M' or 'F'" → "M, F" (an empty choice shown as “”)."""
    choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
    return ", ".join(choice or "“”" for choice in choices)


# pydantic error type → message; %(…)s are filled from the error's context.
MESSAGES = {
    "missing": lambda ctx: _("This field is required."),
    "string_too_long": lambda ctx: _("At most %(n)s characters.") % {"n": ctx.get("max_length")},
    "string_too_short": lambda ctx: _("At least %(n)s characters.") % {"n": ctx.get("min_length")},
    "too_long": lambda ctx: _("At most %(n)s items.") % {"n": ctx.get("max_length")},
    "less_than_equal": lambda ctx: _("At most %(n)s.") % {"n": ctx.get("le")},
    "less_than": lambda ctx: _("Less than %(n)s.") % {"n": ctx.get("lt")},
    "greater_than_equal": lambda ctx: _("At least %(n)s.") % {"n": ctx.get("ge")},
    "greater_than": lambda ctx: _("More than %(n)s.") % {"n": ctx.get("gt")},
    "int_parsing": lambda ctx: _("Enter a whole number, without decimals."),
    "int_type": lambda ctx: _("Enter a whole number, without decimals."),
    "int_from_float": lambda ctx: _("Enter a whole number, without decimals."),
    "float_parsing": lambda ctx: _("Enter a number."),
    "float_type": lambda ctx: _("Enter a number."),
    "decimal_parsing": lambda ctx: _("Enter a number."),
    "decimal_type": lambda ctx: _("Enter a number."),
    "finite_number": lambda ctx: _("Enter a number."),
    "decimal_max_digits": lambda ctx: _("At most %(n)s digits.") % {"n": ctx.get("max_digits")},
    "decimal_max_places": lambda ctx: _("At most %(n)s decimal places.") % {"n": ctx.get("decimal_places")},
    "decimal_whole_digits": lambda ctx: (
        _("At most %(n)s digits before the decimal point.") % {"n": ctx.get("whole_digits")}
    ),
    "bool_parsing": lambda ctx: _("Enter true or false."),
    "bool_type": lambda ctx: _("Enter true or false."),
    "string_type": lambda ctx: _("Enter text."),
    "date_parsing": lambda ctx: _("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": lambda ctx: _("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_inexact": lambda ctx: _("Enter a date as YYYY-MM-DD."),
    "date_type": lambda ctx: _("Enter a date as YYYY-MM-DD."),
    "datetime_parsing": lambda ctx: _("Enter a date and time as YYYY-MM-DDTHH:MM."),
    "datetime_from_date_parsing": lambda ctx: _("Enter a date and time as YYYY-MM-DDTHH:MM."),
    "datetime_type": lambda ctx: _("Enter a date and time as YYYY-MM-DDTHH:MM."),
    "enum": lambda ctx: _("Choose one of: %(choices)s.") % {"choices": _expected(ctx)},
    "literal_error": lambda ctx: _("Choose one of: %(choices)s.") % {"choices": _expected(ctx)},
    "dict_type": lambda ctx: _("Send an object here."),
    "model_type": lambda ctx: _("Send an object here."),
    "model_attributes_type": lambda ctx: _("Send an object here."),
    "list_type": lambda ctx: _("Send a list here."),
    "json_invalid": lambda ctx: _("The data sent is not valid JSON."),
    "json_type": lambda ctx: _("The data sent is not valid JSON."),
    "extra_forbidden": lambda ctx: _("Unknown field."),
}


def error_message(error: dict[str, Any]) -> str:
    """One pydantic error in the user's language; our own validators' messages are already translated."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind in MESSAGES:
        return MESSAGES[kind](ctx)
    if kind in ("value_error", "assertion_error") and ctx.get("error") is not None:
        return str(ctx["error"])
    if kind.startswith("chongdich_"):  # PydanticCustomError raised by our validators: a translated message
        return str(error.get("msg", ""))
    return _("This value is not valid.")


def field_name(loc) -> str:
    """``["body", "payload", "sex"]`` → ``sex``; ``["query", "limit"]`` → ``limit``."""
    parts = [str(part) for part in loc if "[" not in str(part)]  # not pydantic's tags of a union's members
    if parts and parts[0] in SOURCES:
        source, parts = parts[0], parts[1:]
        if source == "body" and len(parts) > 1:
            parts = parts[1:]  # the name of the body parameter
    return ".".join(parts) or "__all__"


def validation_answer(errors: list[dict[str, Any]]) -> dict[str, Any]:
    by_field: dict[str, list[str]] = {}
    for error in errors:
        by_field.setdefault(field_name(error.get("loc", ())), []).append(error_message(error))
    detail = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in by_field.items())
    return {"detail": _("Invalid data — %(problems)s") % {"problems": detail}, "errors": by_field}


def _http_message(exc: HttpError) -> str:
    known = {
        "Unauthorized": _("Sign in, or send a valid API token: Authorization: Bearer cd_…"),
        "Cannot parse request body": _("The data sent is not valid JSON."),
        "Forbidden": _("Your roles do not allow this."),
    }
    return known.get(exc.message.split(" (")[0], exc.message)


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def invalid(request, exc: ValidationError):
        return api.create_response(request, validation_answer(exc.errors), status=422)

    @api.exception_handler(HttpError)
    def refused(request, exc: HttpError):
        return api.create_response(request, {"detail": _http_message(exc)}, status=exc.status_code)

    @api.exception_handler(Http404)
    def not_found(request, exc: Http404):
        return api.create_response(request, {"detail": _("Not found (or outside your area).")}, status=404)
