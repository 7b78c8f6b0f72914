"""Helpers shared by the care views."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404

from chongdich.core.roles import Cap
from chongdich.core.scoping import within_unit
from chongdich.people.models import Person
from chongdich.people.selectors import people_for, search_people
from chongdich.territory.models import AdminUnit


def flash_error(request, exc: ValidationError | PermissionDenied) -> None:
    messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))


def person_or_404(user, pk, capability: str = Cap.CARE_VIEW) -> Person:
    person = Person.objects.for_user(user, capability).active().select_related("unit").filter(pk=pk).first()
    if person is None:
        raise Http404
    return person


def picked_person(request, capability: str = Cap.CARE_EDIT) -> Person | None:
    """The person chosen with ``?person=<pk>`` (or the form's hidden field), in scope or 404."""
    pk = request.POST.get("person") or request.GET.get("person")
    if not pk:
        return None
    if not str(pk).isdigit():
        raise Http404
    return person_or_404(request.user, pk, capability)


def candidates(request, capability: str = Cap.PEOPLE_VIEW) -> tuple[str, list[Person]]:
    """People matching ``?q=`` (CCCD, phone or name) for the person picker."""
    query = request.GET.get("q", "").strip()
    if not query:
        return "", []
    return query, list(
        search_people(request.user, query, base=people_for(request.user, capability).select_related("unit"))[:20]
    )


@dataclass(frozen=True)
class UnitFilter:
    """The ``?unit=`` a list was narrowed to, as shown above it."""

    code: str
    unit: AdminUnit | None  # None: no unit has that code
    clear_url: str  # the same list without it


def unit_filter(request, queryset: QuerySet, field: str = "unit_path") -> tuple[QuerySet, UnitFilter | None]:
    """Narrow an already scoped list to ``?unit=<code>`` and its subtree (the dashboard's tiles link
    to the lists with it).  A link narrows a list, never widens it: a unit outside the user's scope,
    like an unknown code, gives an empty list (as on the case list)."""
    code = request.GET.get("unit", "").strip()
    if not code:
        return queryset, None
    queryset, unit = within_unit(queryset, code, field)
    params = request.GET.copy()
    for name in ("unit", "page"):
        params.pop(name, None)
    query = params.urlencode()
    return queryset, UnitFilter(code, unit, request.path + (f"?{query}" if query else ""))
