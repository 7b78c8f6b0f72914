"""Small helpers shared by the testing views."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

PAGE_SIZE = 50


def add_errors(form: forms.Form, exc: ValidationError | PermissionDenied) -> None:
    """Show a service's refusal on the field it names, or above the form."""
    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc))
        return
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return
    form.add_error(None, exc.messages)


def client_id(request) -> str | None:
    return request.POST.get("client_id") or None
