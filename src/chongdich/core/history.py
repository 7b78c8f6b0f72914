"""Field-level history of a record (django-simple-history) in a shape a template can show."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


@dataclass
class HistoryEntry:
    at: object
    user: object
    kind: str  # "+" created, "~" changed, "-" deleted
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def field_label(model, name: str) -> str:
    try:
        return str(capfirst(model._meta.get_field(name.removesuffix("_id")).verbose_name))
    except FieldDoesNotExist:
        return name


def shown_value(model, name: str, value) -> str:
    """A stored value as people read it: the label of a choice, the name of a related record."""
    if value in (None, "", "None"):
        return "—"
    try:
        field = model._meta.get_field(name.removesuffix("_id"))
    except FieldDoesNotExist:
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation and field.related_model is not None:
        related = field.related_model._default_manager.filter(pk=value).first() if str(value).isdigit() else None
        return str(related) if related is not None else str(value)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def describe_changes(model, changed: dict) -> list[tuple[str, str, str]]:
    """Audit details {"field": [old, new]} as (label, old, new) in the user's language."""
    return [(field_label(model, name), shown_value(model, name, old), shown_value(model, name, new))
            for name, (old, new) in changed.items()]  # fmt: skip


def history_entries(obj: models.Model, limit: int = 200) -> list[HistoryEntry]:
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for index, record in enumerate(records[:limit]):
        entry = HistoryEntry(at=record.history_date, user=record.history_user, kind=record.history_type)
        previous = records[index + 1] if index + 1 < len(records) else None
        if record.history_type == "~" and previous is not None:
            delta = record.diff_against(previous)
            model = type(obj)
            for change in delta.changes:
                entry.changes.append(
                    (field_label(model, change.field), shown_value(model, change.field, change.old),
                     shown_value(model, change.field, change.new))
                )  # fmt: skip
            if not entry.changes:
                continue  # saved without a visible change (bookkeeping fields only)
        entries.append(entry)
    return entries
