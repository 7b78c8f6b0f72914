"""Scope: which part of the administrative tree a user may act on, and the scoped base model.

Every record with personal or operational data carries its unit and a denormalised copy of the
unit's materialised path *as at the time of record*; ``for_user`` keeps the rows whose path starts
with one of the user's granted unit paths, one indexed prefix predicate per grant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chongdich.core.roles import Role, capabilities_of


@dataclass(frozen=True)
class Scope:
    everything: bool
    paths: tuple[str, ...]

    def contains(self, path: str) -> bool:
        return self.everything or any(path.startswith(prefix) for prefix in self.paths)

    @property
    def empty(self) -> bool:
        return not self.everything and not self.paths


NO_SCOPE = Scope(everything=False, paths=())


def _grants(user) -> list[tuple[str, str]]:
    """(role, unit path) pairs of a user, cached on the user object for the request."""
    cached = getattr(user, "_chongdich_grants", None)
    if cached is None:
        cached = [(role, path) for role, path in user.grants.values_list("role", "unit__path")]
        user._chongdich_grants = cached
    return cached


def scope_for(user, capability: str) -> Scope:
    """The subtrees where ``user`` may use ``capability``."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    if user.is_superuser:
        return Scope(everything=True, paths=())
    paths: set[str] = set()
    for role, path in _grants(user):
        if capability in capabilities_of(role):
            if role == Role.NATIONAL_ADMIN:
                return Scope(everything=True, paths=())
            paths.add(path)
    # Drop paths nested inside another granted path: fewer OR branches in every query.
    minimal = tuple(sorted(p for p in paths if not any(p != q and p.startswith(q) for q in paths)))
    return Scope(everything=False, paths=minimal)


def has_capability(user, capability: str) -> bool:
    return not scope_for(user, capability).empty


def forget_scope(user) -> None:
    if hasattr(user, "_chongdich_grants"):
        del user._chongdich_grants


def path_filter(scope: Scope, field: str = "unit_path") -> Q | None:
    """A Q object for ``scope`` on a path field, or None when the scope is everything."""
    if scope.everything:
        return None
    condition = Q(pk__in=[])
    for prefix in scope.paths:
        condition |= Q(**{f"{field}__startswith": prefix})
    return condition


def for_user(queryset, user, capability: str, *, path_field: str = "unit_path"):
    """The one way to scope rows: ``queryset`` narrowed to the subtrees where ``user`` may use
    ``capability``, judged on ``path_field`` (``unit_path`` of the row, or of a related row such as
    ``person__unit_path``).  Scoped querysets call it as ``Model.objects.for_user(user, capability)``."""
    scope = scope_for(user, capability)
    if scope.empty:
        return queryset.none()
    condition = path_filter(scope, path_field)
    return queryset if condition is None else queryset.filter(condition)


def path_of(target) -> str:
    """The unit path a record (``unit_path``), a unit (``path``) or a path string belongs to."""
    if isinstance(target, str):
        return target
    path = getattr(target, "unit_path", None)
    return path if path is not None else target.path


def in_scope(user, capability: str, target) -> bool:
    """The one object check: may ``user`` use ``capability`` on ``target`` (a record, a unit or a path)?"""
    return scope_for(user, capability).contains(path_of(target))


# Core sits below the territory: the territory app gives it, in ready(), the way to find a unit by code.
_unit_lookup: dict[str, Callable[[str], Any]] = {}


def register_unit_lookup(lookup: Callable[[str], Any]) -> None:
    """Called once by the territory app: ``lookup(code)`` is the unit of a code, or None."""
    _unit_lookup["by_code"] = lookup


def within_unit(queryset, code: str, field: str = "unit_path"):
    """(queryset narrowed to the subtree of the unit ``code``, that unit) — or (an empty queryset, None)
    for an unknown code.  Lists apply it after their scope, so a unit in the query string can narrow
    a list, never widen it."""
    unit = _unit_lookup["by_code"](code) if code else None
    if unit is None:
        return queryset.none(), None
    return queryset.filter(**{f"{field}__startswith": unit.path}), unit


class ScopedQuerySetMixin:
    """``for_user`` for a queryset whose rows carry a unit path (``path_field``)."""

    path_field = "unit_path"

    def for_user(self, user, capability: str | None = None):
        return for_user(self, user, capability or self.model.scope_capability, path_field=self.path_field)

    def within(self, unit):
        """Rows of ``unit``'s subtree (a narrowing a user chose, applied after ``for_user``)."""
        return self.filter(**{f"{self.path_field}__startswith": path_of(unit)})


class ScopedQuerySet(ScopedQuerySetMixin, models.QuerySet):
    pass


class ScopedModel(models.Model):
    """Base for records that belong to an administrative unit."""

    unit = models.ForeignKey(
        "territory.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("administrative unit")
    )
    unit_path = models.CharField(max_length=160, editable=False)
    province_code = models.CharField(max_length=8, editable=False, db_index=True)
    commune_code = models.CharField(max_length=16, editable=False, blank=True, db_index=True)

    objects = ScopedQuerySet.as_manager()
    scope_capability = "people.view"

    class Meta:
        abstract = True
        indexes = [
            models.Index(fields=["unit_path"], name="%(app_label)s_%(class)s_path", opclasses=["varchar_pattern_ops"])
        ]

    def place_in(self, unit) -> None:
        """Set the unit and its denormalised codes (called whenever the unit changes)."""
        self.unit = unit
        self.unit_path = unit.path
        self.province_code = unit.province_code
        self.commune_code = unit.commune_code or ""

    def save(self, *args, **kwargs):
        if self.unit_id and not self.unit_path:
            self.place_in(self.unit)
        super().save(*args, **kwargs)
