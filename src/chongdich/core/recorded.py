"""The bookkeeping of records that users create, and the scope-checked replay of a re-sent form.

Every record a form, the API or a device creates carries the id the client generated when the form
was opened (``client_id``), who created it and when.  A re-sent form (a double click, a retry after a
lost answer) must return the record it made the first time — but only to someone who may see that
record: another area's record with the same ``client_id`` answers exactly like the refusal the
service gives for that area, never with the record.  ``replay`` is the one place that decides it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from chongdich.core.scoping import in_scope

# Denormalised scope columns are derived from the unit: history keeps the unit, not its copies.
SCOPE_FIELDS = ("unit_path", "province_code", "commune_code")


def scoped_history(*excluded: str) -> HistoricalRecords:
    """Field-level history of a scoped model (without the denormalised scope columns)."""
    return HistoricalRecords(excluded_fields=[*SCOPE_FIELDS, *excluded])


def user_or_none(actor):
    """The actor as a user to store, or None for system jobs and anonymous callers."""
    return actor if getattr(actor, "is_authenticated", False) else None


class Recorded(models.Model):
    """``client_id`` (unique when set), ``created_at`` and ``created_by`` of a user-created record."""

    client_id = models.CharField(max_length=64, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["client_id"], condition=Q(client_id__isnull=False), name="%(app_label)s_%(class)s_client_id"
            )
        ]

    def stamp(self, actor, client_id: str | None = None):
        """Fill the bookkeeping of a new record written by ``actor`` (and name them in its history)."""
        if self._state.adding:
            self.client_id = client_id or None
            self.created_by = user_or_none(actor)
        self._history_user = user_or_none(actor)
        return self


def _value_at(obj, path: str):
    for name in path.split("__"):
        obj = getattr(obj, name)
        if obj is None:
            return None
    return obj


def replay(
    actor,
    model,
    client_id: str | None,
    *,
    capability: str,
    refusal: str,
    path: str | tuple[str, ...] | None = "unit_path",
):
    """The record a previous send of ``client_id`` created, or None when there is none.

    ``path`` names the scope path of the record (``"order__unit_path"`` through relations; several
    paths when the service accepts any of them, e.g. the person's or the facility's area); the record is
    returned only when ``actor`` holds ``capability`` there.  Without a path (records of no area, such
    as a bulk order) only the user who created it gets it back.  Otherwise ``PermissionDenied(refusal)``
    is raised — pass the message the service gives for that area, so the answer is the same as for any
    out-of-area request and the other record's existence is not disclosed.
    """
    if not client_id:
        return None
    existing = model._default_manager.filter(client_id=client_id).first()
    if existing is None:
        return None
    if not _may_replay(actor, existing, capability, path):
        raise PermissionDenied(refusal)
    return existing


def _may_replay(actor, existing, capability: str, path) -> bool:
    if path is None:
        return existing.created_by_id is not None and existing.created_by_id == getattr(actor, "pk", None)
    paths = (path,) if isinstance(path, str) else path
    return any(
        (where := _value_at(existing, name)) is not None and in_scope(actor, capability, where) for name in paths
    )
