"""Writing audit events from services and views."""

from __future__ import annotations

from typing import Any

from django.db import models

from chongdich.core.context import client_ip, current_request
from chongdich.core.models import AuditAction, AuditEvent


def object_type(obj: models.Model | type[models.Model]) -> str:
    return obj._meta.label_lower


def record(
    actor,
    action: str,
    obj: models.Model | None = None,
    *,
    detail: dict[str, Any] | None = None,
    unit_path: str | None = None,
    object_type_label: str | None = None,
    object_id: str | None = None,
    label: str | None = None,
) -> AuditEvent:
    """Append one audit event.  ``actor`` may be None for system jobs."""
    request = current_request()
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=(user.get_username() if user else (str(actor) if actor else "system"))[:150],
        action=action,
        object_type=object_type_label or (object_type(obj) if obj is not None else ""),
        object_id=object_id or (str(obj.pk) if obj is not None else ""),
        object_label=(label if label is not None else (str(obj) if obj is not None else ""))[:200],
        unit_path=unit_path if unit_path is not None else getattr(obj, "unit_path", "") or getattr(obj, "path", ""),
        detail=detail or {},
        ip=client_ip(request),
    )


def trail(obj: models.Model, limit: int = 300) -> list[AuditEvent]:
    """Audit events of one record, newest first, each with ``changes`` ready to show."""
    from chongdich.core.history import describe_changes

    events = list(
        AuditEvent.objects.filter(object_type=object_type(obj), object_id=str(obj.pk)).select_related("actor")[:limit]
    )
    for event in events:
        event.changes = describe_changes(type(obj), event.detail.get("changed", {})) if isinstance(event.detail, dict) else []
    return events


__all__ = ["AuditAction", "record", "trail", "object_type"]
