from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _


def add_errors(form: forms.Form, exc: ValidationError | PermissionDenied) -> None:
    """A service's refusal shown on the form: on the field it names (its error dict's keys, or the
    ``field`` attribute of a refusal about one field), else above the form; a message already shown
    there (by the form's own checks, or for two fields the form does not have) is not repeated."""
    named = getattr(exc, "field", None)
    named = named if named in form.fields else None
    if isinstance(exc, PermissionDenied):
        _add_once(form, named, [str(exc)])
        return
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            _add_once(form, field if field in form.fields else None, ValidationError(errors).messages)
        return
    _add_once(form, named, exc.messages)


def _add_once(form: forms.Form, field: str | None, messages: list[str]) -> None:
    shown = set(form.errors.get(field or NON_FIELD_ERRORS, []))
    new = [message for message in dict.fromkeys(messages) if message not in shown]
    if new:
        form.add_error(field, new)


def client_id(request) -> str | None:
    """The id the form generated when it was opened: a re-sent form returns the record it made."""
    return request.POST.get("client_id") or None


@dataclass(frozen=True)
class Submission:
    """What ``submit`` gives back: true when the action ran (``value`` is what it returned); when it
    refused, ``error`` is the refusal (for a page that shows more of it, such as the duplicates found)."""

    done: bool
    value: Any = None
    error: ValidationError | PermissionDenied | None = None

    def __bool__(self) -> bool:
        return self.done


def refusal_messages(exc: ValidationError | PermissionDenied) -> list[str]:
    """The messages of an action's refusal, each once, in order."""
    if isinstance(exc, PermissionDenied):
        return [str(exc)] if str(exc) else []
    return list(dict.fromkeys(exc.messages))


def submit(target, action: Callable[..., Any], *args, **kwargs) -> Submission:
    """The one way a view runs an action: call ``action(*args, **kwargs)``; a refusal
    (``ValidationError``, ``PermissionDenied``) is shown to the user — on ``target`` when it is a form
    (on the field it names, else above the form; what they typed stays), else as an error message of
    the request ``target`` — and the Submission is false."""
    try:
        value = action(*args, **kwargs)
    except (ValidationError, PermissionDenied) as exc:
        if isinstance(target, forms.BaseForm):
            add_errors(target, exc)
        else:
            for message in refusal_messages(exc) or [_("This action is not allowed here.")]:
                messages.error(target, message)
        return Submission(False, error=exc)
    return Submission(True, value)
