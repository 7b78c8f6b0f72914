from __future__ import annotations

import uuid

from django import template
from django.apps import apps
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext

from chongdich.core import clock

register = template.Library()

WIDGET_CLASSES = {
    "CheckboxInput": "form-check-input",
    "RadioSelect": "form-check-input",
    "CheckboxSelectMultiple": "form-check-input",
    "Select": "form-select",
    "SelectMultiple": "form-select",
    "ClearableFileInput": "form-control",
    "FileInput": "form-control",
}


@register.filter
def bs(field):
    """Render a bound field's widget with Bootstrap classes (and is-invalid when it has errors)."""
    widget = field.field.widget
    css = WIDGET_CLASSES.get(type(widget).__name__, "form-control")
    if field.errors:
        css += " is-invalid"
    existing = widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{existing} {css}".strip()})


@register.filter
def widget_type(field) -> str:
    return type(field.field.widget).__name__


@register.filter
def num(value):
    """Thousands separators the Vietnamese way (1.234.567) or English way, by the active language."""
    if value is None or value == "":
        return "—"
    return number_format(value, force_grouping=True)


@register.simple_tag
def new_client_id() -> str:
    """A fresh id for a form, so that submitting the same page twice creates one record."""
    return uuid.uuid4().hex


@register.filter
def actor_name(event) -> str:
    """Who did it: the user's name, or "hệ thống" for the system's own jobs (stored as "system")."""
    if getattr(event, "actor_id", None) is None and event.actor_label in ("", "system"):
        return gettext("system")
    return event.actor_label


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def model_label(object_type: str) -> str:
    """ "people.person" → "Người dân" (the model's verbose name in the user's language)."""
    if not object_type:
        return ""
    try:
        return capfirst(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


@register.simple_tag
def clock_now_iso() -> str:
    """The system's now (``core.clock``: pinned for the demo and drills) as local ISO time with its offset:
    scripts that stamp an entry's time correct the device's clock by it."""
    return timezone.localtime(clock.now()).isoformat(timespec="seconds")
