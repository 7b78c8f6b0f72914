"""Navigation by capability and the user's scope, for the base layout."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chongdich.core.imports import REGISTRY
from chongdich.core.roles import Cap, Role
from chongdich.core.scoping import has_capability

NAV_ITEMS = (
    ("home", _("Today"), None),
    ("dashboard:map", _("Map"), Cap.UNITS_VIEW),
    ("risk:overview", _("Risk levels"), Cap.UNITS_VIEW),
    ("forecast:overview", _("Forecasts"), Cap.FORECAST_VIEW),
    ("people:list", _("People"), Cap.PEOPLE_VIEW),
    ("surveillance:list", _("Cases"), Cap.CASES_VIEW),
    ("testing:index", _("Testing"), Cap.TESTS_VIEW),
    ("care:today", _("Care"), Cap.CARE_VIEW),
    ("vaccination:index", _("Vaccination"), Cap.VACCINATION_VIEW),
    ("movement:index", pgettext_lazy("nav", "Movement"), Cap.MOVEMENT_VIEW),
    ("reports:index", _("Reports"), Cap.UNITS_VIEW),
)
# Pages of setting up and checking, used less often: grouped under one menu so the bar fits a laptop.
ADMIN_ITEMS = (
    ("territory:tree", _("Units"), Cap.UNITS_VIEW),
    ("desk:imports", _("Imports"), "imports"),
    ("portal:manage", _("Public portal"), Cap.UNITS_EDIT),
    ("accounts:users", _("Users"), Cap.USERS_MANAGE),
    ("desk:audit", _("Audit"), Cap.AUDIT_VIEW),
)


def _visible_items(request, user, items) -> list[dict]:
    result = []
    for name, label, capability in items:
        if capability == "imports":
            visible = any(has_capability(user, importer.capability) for importer in REGISTRY.values())
        else:
            visible = capability is None or has_capability(user, capability)
        if visible:
            url = reverse(name)
            active = request.path == url if url == "/" else request.path.startswith(url)
            result.append({"url": url, "label": label, "active": active})
    return result


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "hotline": settings.CHONGDICH_HOTLINE}
    items = _visible_items(request, user, NAV_ITEMS)
    admin_items = _visible_items(request, user, ADMIN_ITEMS)
    grants = list(user.grants.select_related("unit").order_by("unit__path"))
    return {
        "nav_items": items,
        "admin_items": admin_items,
        "admin_active": any(item["active"] for item in admin_items),
        "user_grants": grants,
        "whole_country": user.is_superuser or any(g.role == Role.NATIONAL_ADMIN for g in grants),
        "can_search_people": has_capability(user, Cap.PEOPLE_VIEW),
        "hotline": settings.CHONGDICH_HOTLINE,
    }
