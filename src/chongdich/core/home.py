"""The "today" page: the user's areas and what needs attention, from cheap queries only."""

from __future__ import annotations

from django.db.models import Count, Sum

from chongdich.core.models import ImportJob
from chongdich.core.roles import Cap
from chongdich.core.scoping import scope_for
from chongdich.territory.models import AdminUnit


def home_context(user) -> dict:
    scope = scope_for(user, Cap.UNITS_VIEW)
    if scope.everything:
        areas = AdminUnit.objects.filter(parent__isnull=True)
    else:
        areas = AdminUnit.objects.filter(path__in=scope.paths)
    areas = list(areas.annotate(children_count=Count("children")).order_by("path")[:20])
    for area in areas:
        if area.population_total is None:
            area.population_sum = (
                AdminUnit.objects.filter(path__startswith=area.path, level="commune").aggregate(s=Sum("population_total"))["s"]
            )
        else:
            area.population_sum = area.population_total
    recent_imports = ImportJob.objects.filter(created_by=user).order_by("-created_at")[:5]
    return {"areas": areas, "recent_imports": recent_imports}
