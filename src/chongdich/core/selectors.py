"""Reads of core's own records (import jobs, audit events) for the desk's pages, scoped with ``for_user``."""

from __future__ import annotations

from collections import defaultdict

from django.apps import apps
from django.db.models import QuerySet

from chongdich.core.imports import REGISTRY, Importer
from chongdich.core.models import AuditEvent, ImportJob
from chongdich.core.roles import Cap
from chongdich.core.scoping import for_user, has_capability, in_scope


def import_kinds(user) -> list[Importer]:
    """The kinds of file ``user`` may import."""
    return [importer for importer in REGISTRY.values() if has_capability(user, importer.capability)]


def jobs_for(user) -> QuerySet[ImportJob]:
    """Import jobs of the areas where ``user`` may import some kind of file."""
    jobs = ImportJob.objects.none()
    for capability in sorted({importer.capability for importer in REGISTRY.values()}):
        jobs |= for_user(ImportJob.objects.all(), user, capability)
    return jobs


def recent_jobs(user, limit: int = 100) -> list[ImportJob]:
    return list(jobs_for(user).select_related("created_by", "unit")[:limit])


def job_for(user, pk) -> ImportJob | None:
    """A job of the user's area of a kind they may import (a lab's results are not a people officer's)."""
    job = jobs_for(user).select_related("unit", "created_by").filter(pk=pk).first()
    importer = REGISTRY.get(job.kind) if job is not None else None
    if importer is None or not in_scope(user, importer.capability, job):
        return None
    return job


def audit_events(user) -> QuerySet[AuditEvent]:
    """Events of the user's area, and the user's own actions (logins, searches), newest first."""
    events = for_user(AuditEvent.objects.all(), user, Cap.AUDIT_VIEW) | AuditEvent.objects.filter(actor=user)
    return events.select_related("actor").order_by("-at", "-id")


def mark_audit_page(user, events) -> None:
    """Set ``in_scope`` and ``url`` on each event of a page.  The user's own actions on records of
    another area (a duplicate warning, a person moved away) show the action and time, nothing of the
    record; a record in scope links to its page (its model's ``get_absolute_url``)."""
    ids = defaultdict(set)
    for event in events:
        event.in_scope = not event.unit_path or in_scope(user, Cap.AUDIT_VIEW, event.unit_path)
        event.url = ""
        if event.in_scope and event.object_type and event.object_id.isdigit():
            ids[event.object_type].add(int(event.object_id))
    records = {}
    for object_type, pks in ids.items():
        try:
            model = apps.get_model(object_type)
        except (LookupError, ValueError):
            continue
        if hasattr(model, "get_absolute_url"):
            records[object_type] = model._base_manager.in_bulk(pks)
    for event in events:
        record = records.get(event.object_type, {}).get(int(event.object_id)) if event.object_id.isdigit() else None
        if event.in_scope and record is not None:
            event.url = record.get_absolute_url()
