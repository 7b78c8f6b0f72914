"""Field-level history of a record (django-simple-history) in a shape a template can show."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models


@dataclass
class HistoryEntry:
    at: object
    user: object
    kind: str  # "+" created, "~" changed, "-" deleted
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def history_entries(obj: models.Model, limit: int = 200) -> list[HistoryEntry]:
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for index, record in enumerate(records[:limit]):
        entry = HistoryEntry(at=record.history_date, user=record.history_user, kind=record.history_type)
        previous = records[index + 1] if index + 1 < len(records) else None
        if record.history_type == "~" and previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                try:
                    label = str(obj._meta.get_field(change.field).verbose_name)
                except Exception:  # noqa: BLE001 - a field that no longer exists
                    label = change.field
                entry.changes.append((label, _show(change.old), _show(change.new)))
        entries.append(entry)
    return entries


def _show(value) -> str:
    return "—" if value in (None, "") else str(value)
