"""Writing audit events from services and views."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django_tables2.rows import BoundRow

from chongdich.core.context import client_ip, current_request
from chongdich.core.history import describe_changes
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


# A page lists every person it shows; an export of more people lists this many and keeps its filters
# (which select the rest again) and its row count.
PEOPLE_LISTED = 1000
NOT_FILTERS = {"page", "csrfmiddlewaretoken", "client_id", "cursor", "limit"}  # cursor, limit: the API's pages


def _person_and_path(row) -> tuple[int | None, str]:
    """The person a row shows, and where the row belongs (a person, or a record of one: case, contact,
    sample, stay, order…; a bare id; anything with ``person_id`` such as a chain graph's node)."""
    if isinstance(row, int):
        return row, ""
    if isinstance(row, BoundRow):  # a row of a django-tables2 page
        row = row.record
    if getattr(getattr(row, "_meta", None), "label_lower", "") == "people.person":
        return row.pk, row.unit_path
    person_id = getattr(row, "person_id", None)
    if person_id is None and getattr(row, "person", None) is not None:
        person_id = row.person.pk
    return person_id, getattr(row, "unit_path", "") or ""


def _people_of(rows) -> tuple[list[int], list[str], bool]:
    """Person ids (first seen first, at most PEOPLE_LISTED), the rows' unit paths, and whether rows were left out."""
    if isinstance(rows, models.QuerySet):  # an export: read ids, not whole rows
        field = "pk" if rows.model._meta.label_lower == "people.person" else "person_id"
        rows = [(pk, path) for pk, path in rows.order_by().values_list(field, "unit_path")[: PEOPLE_LISTED + 1]]
    else:
        rows = [_person_and_path(row) for row in rows]
    ids = list(dict.fromkeys(pk for pk, _path in rows if pk is not None))
    return ids[:PEOPLE_LISTED], [path for _pk, path in rows if path], len(ids) > PEOPLE_LISTED


def common_path(paths: Iterable[str]) -> str:
    """The deepest unit containing every path ("/70/691/25228/25228-01/" and "/70/691/25229/" → "/70/691/")."""
    common: list[str] | None = None
    for path in paths:
        segments = path.strip("/").split("/")
        if common is None:
            common = segments
            continue
        size = 0
        while size < min(len(common), len(segments)) and common[size] == segments[size]:
            size += 1
        common = common[:size]
    return "/" + "/".join(common) + "/" if common else ""


def page_filters(request) -> dict[str, str]:
    return {key: value[:100] for key, value in request.GET.items() if value and key not in NOT_FILTERS}


def record_read(
    request,
    what: str,
    *people: Iterable,
    obj: models.Model | None = None,
    action: str | None = None,
    count: int | None = None,
    detail: dict[str, Any] | None = None,
    label: str | None = None,
) -> AuditEvent:
    """Record that the user saw people's personal data: one event per page view or export, never one per row.

    ``what`` names the page or list ("People list"); ``people`` are the rows shown (people, records with a
    ``person_id``, or ids; several iterables for the parts of a page); ``obj`` is the record of a detail
    page.  The event keeps the ids of the people shown, the filters of the request (``?q=`` makes it a
    search) and where they live (the record's unit, else the deepest unit holding every row).
    """
    ids: dict[int, None] = {}  # ordered, unique
    paths: list[str] = []
    truncated = False
    for rows in people:
        more_ids, more_paths, more_truncated = _people_of(rows)
        ids.update(dict.fromkeys(more_ids))
        paths.extend(more_paths)
        truncated = truncated or more_truncated
    ids = list(ids)
    filters = page_filters(request)
    if obj is not None:  # the person of a detail page comes first
        person_id, _path = _person_and_path(obj)
        if person_id is not None:
            ids = [person_id, *(pk for pk in ids if pk != person_id)]
    info = {"page": str(what), "people": ids[:PEOPLE_LISTED], "count": count if count is not None else len(ids)}
    if filters:
        info["filters"] = filters
    if filters.get("q"):
        info["q"] = filters["q"]  # the audit page shows what was searched
    if truncated or len(ids) > PEOPLE_LISTED:
        info["people_truncated"] = True
    info.update(detail or {})
    action = action or (AuditAction.SEARCH if filters.get("q") else AuditAction.VIEW)
    if obj is not None:
        return record(request.user, action, obj, detail=info, label=label)
    return record(
        request.user,
        action,
        None,
        detail=info,
        object_type_label="people.person",
        label=str(what),
        unit_path=common_path(paths),
    )


def trail(obj: models.Model, limit: int = 300) -> list[AuditEvent]:
    """Audit events of one record, newest first, each with ``changes`` ready to show."""
    events = list(
        AuditEvent.objects.filter(object_type=object_type(obj), object_id=str(obj.pk)).select_related("actor")[:limit]
    )
    for event in events:
        event.changes = (
            describe_changes(type(obj), event.detail.get("changed", {})) if isinstance(event.detail, dict) else []
        )
    return events


__all__ = ["AuditAction", "record", "record_read", "trail", "object_type"]
