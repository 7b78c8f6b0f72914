"""Navigation by capability and the user's scope, for the base layout."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chongdich.core.roles import Cap
from chongdich.core.scoping import has_capability

NAV_ITEMS = (
    ("home", _("Today"), None),
    ("territory:tree", _("Units"), Cap.UNITS_VIEW),
    ("people:list", _("People"), Cap.PEOPLE_VIEW),
    ("core:imports", _("Imports"), Cap.PEOPLE_IMPORT),
    ("core:audit", _("Audit"), Cap.AUDIT_VIEW),
    ("accounts:users", _("Users"), Cap.USERS_MANAGE),
)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "hotline": settings.CHONGDICH_HOTLINE}
    items = []
    current = getattr(getattr(request, "resolver_match", None), "view_name", "") or ""
    for name, label, capability in NAV_ITEMS:
        if capability is None or has_capability(user, capability):
            namespace = name.split(":")[0]
            active = current == name or (":" in name and current.startswith(namespace + ":"))
            items.append({"url": reverse(name), "label": label, "active": active})
    grants = list(user.grants.select_related("unit").order_by("unit__path")) if user.is_authenticated else []
    return {"nav_items": items, "user_grants": grants, "hotline": settings.CHONGDICH_HOTLINE}
