"""Helpers shared by the care views: the person picker."""

from __future__ import annotations

from django.http import Http404

from chongdich.care.selectors import people_to_pick, person_page
from chongdich.core.roles import Cap
from chongdich.people.models import Person


def picked_person(request, capability: str = Cap.CARE_EDIT) -> Person | None:
    """The person chosen with ``?person=<pk>`` (or the form's hidden field), in scope or 404."""
    pk = request.POST.get("person") or request.GET.get("person")
    if not pk:
        return None
    if not str(pk).isdigit():
        raise Http404
    return person_page(request.user, pk, capability)


def candidates(request, capability: str = Cap.PEOPLE_VIEW) -> tuple[str, list[Person]]:
    """People matching ``?q=`` (CCCD, phone or name) for the person picker."""
    query = request.GET.get("q", "").strip()
    if not query:
        return "", []
    return query, people_to_pick(request.user, query, capability)
