"""Field-level history of a record (django-simple-history) in a shape a template can show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass
class HistoryEntry:
    at: object
    user: object
    kind: str  # "+" created, "~" changed, "-" deleted
    changes: list[tuple[str, str, str]] = field(default_factory=list)


# Fields kept for the system's own use: a change of them alone is no change people need to see.
BOOKKEEPING = frozenset(
    {
        "folded_name",
        "path",
        "unit_path",
        "province_code",
        "commune_code",
        "client_id",
        "created_at",
        "created_by",
        "updated_at",
        "inputs",
        "reasons",
    }
)
# Labels of fields declared without a translated verbose name (Django would show "chain", "merged into").
FIELD_LABELS = {
    "chain": gettext_lazy("transmission chain"),
    "merged_into": gettext_lazy("merged into"),
    "case": gettext_lazy("case"),
    "contact": gettext_lazy("contact"),
    "batch": gettext_lazy("bulk order"),
    "transferred_to": gettext_lazy("transferred to"),
    "user": gettext_lazy("user"),
    "granted_by": gettext_lazy("granted by"),
    "granted_at": gettext_lazy("granted at"),
}


def field_label(model, name: str) -> str:
    name = name.removesuffix("_id")
    try:
        verbose_name = model._meta.get_field(name).verbose_name
    except FieldDoesNotExist:
        return str(capfirst(FIELD_LABELS.get(name, name)))
    if not isinstance(verbose_name, Promise):  # Django's default from the field name: English
        verbose_name = FIELD_LABELS.get(name, verbose_name)
    return str(capfirst(verbose_name))


TRUE_TEXTS = {
    True: True,
    "True": True,
    "true": True,
    "1": True,
    False: False,
    "False": False,
    "false": False,
    "0": False,
}


def shown_value(model, name: str, value) -> str:
    """A stored value as people read it: the label of a choice, the name of a related record, "Có"/"Không",
    dates as dd/mm/yyyy and numbers the local way.  Audit details keep values as text ("True",
    "2021-08-20"), history rows as Python values: both read the same."""
    if value in (None, "", "None"):
        return "—"
    try:
        field = model._meta.get_field(name.removesuffix("_id"))
    except FieldDoesNotExist:
        return _plain(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation and field.related_model is not None:
        related = field.related_model._default_manager.filter(pk=value).first() if str(value).isdigit() else None
        return str(related) if related is not None else str(value)
    if isinstance(field, models.BooleanField):
        truth = TRUE_TEXTS.get(value)  # type: ignore[call-overload]
        return str(value) if truth is None else str(_("yes") if truth else _("no"))
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(value) if isinstance(value, str) else value
        return formats.date_format(timezone.localtime(moment), "H:i d/m/Y") if moment else str(value)
    if isinstance(field, models.DateField):
        day = parse_date(value[:10]) if isinstance(value, str) else value
        return formats.date_format(day, "d/m/Y") if day else str(value)
    if isinstance(field, (models.DecimalField, models.FloatField)):
        return _number(value)
    return _plain(value)


def _number(value) -> str:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if number == number.to_integral_value():
        return formats.number_format(int(number), use_l10n=True, force_grouping=True)
    return formats.number_format(number.normalize(), use_l10n=True)


def _plain(value) -> str:
    """A value whose field is unknown (a renamed or computed key): at least no Python spellings."""
    if isinstance(value, bool) or value in ("True", "False"):
        return str(_("yes") if value in (True, "True") else _("no"))
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "H:i d/m/Y")
    if isinstance(value, date):
        return formats.date_format(value, "d/m/Y")
    if isinstance(value, str) and parse_date_or_none(value):
        return formats.date_format(parse_date_or_none(value), "d/m/Y")
    return str(value)


def parse_date_or_none(text: str):
    try:
        return parse_date(text) if len(text) == 10 else None
    except ValueError:
        return None


def describe_changes(model, changed: dict) -> list[tuple[str, str, str]]:
    """Audit details {"field": [old, new]} as (label, old, new) in the user's language."""
    return [
        (field_label(model, name), shown_value(model, name, old), shown_value(model, name, new))
        for name, (old, new) in changed.items()
        if name.removesuffix("_id") not in BOOKKEEPING
    ]


def history_entries(obj: models.Model, limit: int = 200) -> list[HistoryEntry]:
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for index, record in enumerate(records[:limit]):
        entry = HistoryEntry(at=record.history_date, user=record.history_user, kind=record.history_type)
        previous = records[index + 1] if index + 1 < len(records) else None
        if record.history_type == "~" and previous is not None:
            delta = record.diff_against(previous)
            model = type(obj)
            entry.changes = describe_changes(
                model, {change.field: (change.old, change.new) for change in delta.changes}
            )
            if not entry.changes:
                continue  # saved without a visible change (bookkeeping fields only)
        entries.append(entry)
    return entries
