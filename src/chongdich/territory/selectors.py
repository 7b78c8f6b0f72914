"""Reads of the administrative tree for pages and other apps."""

from __future__ import annotations

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from chongdich.core.scoping import scope_for
from chongdich.core.text import fold_words
from chongdich.territory.models import AGE_BANDS, Adjacency, AdminUnit, Level


def unit_by_code(code: str) -> AdminUnit | None:
    """The unit of a code typed or given in a query string (None for an unknown code)."""
    return AdminUnit.objects.filter(code=(code or "").strip()).first()


def import_units(user, capability: str):
    """The units a file may be imported for: the national root(s) for a national officer, otherwise the
    units granted and their districts and communes (a district officer imports for one commune)."""
    if scope_for(user, capability).everything:
        return AdminUnit.objects.filter(parent__isnull=True).order_by("path")
    levels = [Level.PROVINCE, Level.DISTRICT, Level.COMMUNE]
    return AdminUnit.objects.for_user(user, capability).filter(level__in=levels).order_by("path")[:800]


def units() -> QuerySet[AdminUnit]:
    """Units with their parent, to fetch one with ``get_for_user_or_404``."""
    return AdminUnit.objects.select_related("parent")


def unit_page(code: str) -> AdminUnit | None:
    """The unit of a unit page (the tree is public to every user who may see units)."""
    return units().filter(code=code).first()


def unit_by_pk(pk: int) -> AdminUnit:
    """A fresh copy of a unit (a form changes the instance it validates)."""
    return AdminUnit.objects.get(pk=pk)


def tree_roots(user, capability: str, query: str = ""):
    """(units, title) of the tree page: the units matching ``query``, or the user's own units."""
    if query:
        roots = AdminUnit.objects.filter(folded_name__contains=fold_words(query)).order_by("level", "name")[:100]
        title = _("Units matching “%(q)s”") % {"q": query}
    else:
        if scope_for(user, capability).everything:
            roots = AdminUnit.objects.filter(parent__isnull=True).order_by("name")
        else:
            roots = AdminUnit.objects.for_user(user, capability).filter(path__in=scope_for(user, capability).paths)
            roots = roots.order_by("path")
        title = _("Your units")
    return roots.select_related("parent", "parent__parent").annotate(children_count=Count("children")), title


def children_of(unit: AdminUnit):
    return unit.children.annotate(children_count=Count("children")).order_by("name")


def neighbours_of(unit: AdminUnit):
    return AdminUnit.objects.filter(pk__in=Adjacency.objects.filter(unit=unit).values("neighbour_id")).order_by("name")


def neighbour_rows(unit: AdminUnit):
    """The unit's neighbours as the unit page lists them (code, name, level)."""
    return neighbours_of(unit).values("code", "name", "level")


def has_derived_adjacency(unit: AdminUnit) -> bool:
    return unit.adjacency.filter(derived=True).exists()


def population_summary(unit: AdminUnit) -> dict:
    """The unit's own figures, or the sum of its children when it has none of its own."""
    if unit.population_total is not None:
        return {"total": unit.population_total, **{b: getattr(unit, b) for b in AGE_BANDS}, "derived": False}
    sums = unit.children.aggregate(total=Sum("population_total"), **{b: Sum(b) for b in AGE_BANDS})
    return {**sums, "derived": sums["total"] is not None}
