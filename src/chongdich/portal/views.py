"""The public portal (no login): today's levels as a list and a map, a commune's level with the
measures in force, announcements and hotlines; and the committees' pages to publish announcements
and hotline numbers.

Public pages are cached for a minute (per address and language) and show public information only.
They carry no CSRF token and no per-user content, so the cached page is the same for everyone; the
language is switched with a plain link.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page, never_cache
from django.views.decorators.http import require_POST, require_safe

from chongdich.core import clock
from chongdich.core.access import capability_required, get_for_user_or_404, get_in_scope_or_404
from chongdich.core.forms import client_id, submit
from chongdich.core.pagination import SafePaginator, paginate_table
from chongdich.core.roles import Cap
from chongdich.portal import selectors
from chongdich.portal.actions import (
    do_add_hotline,
    do_create_announcement,
    do_edit_announcement,
    do_remove_hotline,
    do_withdraw_announcement,
    ensure_level_announcements,
)
from chongdich.portal.forms import AnnouncementForm, AutomaticAnnouncementForm, HotlineForm, SearchForm
from chongdich.portal.models import Announcement, Hotline
from chongdich.portal.tables import AnnouncementTable
from chongdich.risk.names import lang
from chongdich.territory.models import AdminUnit, Level

PUBLIC_CACHE_SECONDS = 60


def _public(view):
    """A public page: GET only, cached for a minute, level-change announcements made first."""
    return require_safe(cache_page(PUBLIC_CACHE_SECONDS, key_prefix="portal")(view))


def _common(unit: AdminUnit | None) -> dict:
    return {
        "hotlines": selectors.hotlines_for(unit),
        "declaration_url": selectors.declaration_url(),
        "today": clock.today(),
        "now": clock.now(),
        "lang": lang(),
    }


@_public
def home(request):
    ensure_level_announcements()
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() and form.cleaned_data.get("q") else ""
    provinces = selectors.levels_of_children(None)
    return render(
        request,
        "portal/home.html",
        {
            **_common(None),
            "form": form,
            "query": query,
            "found": selectors.search_units(query) if query else [],
            "nation": selectors.nation_level(),
            "items": provinces,
            "counts": selectors.counts(provinces),
            "points": selectors.map_points(provinces, lang()),
            "announcements": selectors.announcements_for(None, limit=10),
        },
    )


@_public
def unit_page(request, code: str):
    unit = selectors.public_unit_or_none(code)
    if unit is None:
        raise Http404
    ensure_level_announcements()
    current = selectors.level_of(unit)
    context = {
        **_common(unit),
        "unit": unit,
        "current": current,
        "breadcrumbs": unit.ancestors()[:-1],
        "announcements": selectors.announcements_for(unit),
    }
    if unit.level == Level.COMMUNE:
        measures, upcoming = selectors.measures_of(current)
        neighbours = selectors.levels_of_children(unit.parent) if unit.parent_id else [current]
        context.update(
            measures=measures,
            upcoming=upcoming,
            neighbours=neighbours,
            points=selectors.map_points(neighbours, lang(), highlight=unit.code),
        )
    else:
        children = selectors.levels_of_children(unit)
        context.update(
            items=children,
            counts=selectors.counts(children),
            points=selectors.map_points(children, lang()),
            below=selectors.announcements_below(unit, limit=10),
        )
    return render(request, "portal/unit.html", context)


@_public
def announcements(request):
    ensure_level_announcements()
    code = (request.GET.get("unit") or "").strip()
    unit = selectors.public_unit_or_none(code) if code else None
    page = SafePaginator(selectors.public_announcements(unit), 20).get_page(request.GET.get("page"))
    return render(request, "portal/announcements.html", {**_common(unit), "unit": unit, "page": page})


@_public
def announcement(request, pk: int):
    item = get_in_scope_or_404(selectors.public_announcements(), pk=pk)
    return render(request, "portal/announcement.html", {**_common(item.unit), "item": item, "unit": item.unit})


@never_cache
@require_safe
def language(request, code: str):
    """Switch the language with a link (public pages carry no form, hence no CSRF token)."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next") or reverse("portal:home")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("portal:home")
    response = HttpResponseRedirect(target)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600, samesite="Lax")
    return response


# --- the committees' pages -----------------------------------------------------------------------


@never_cache
@capability_required(Cap.UNITS_EDIT)
def manage(request):
    table = paginate_table(request, AnnouncementTable(selectors.managed_announcements(request.user)), per_page=30)
    units = selectors.units_to_edit(request.user)
    hotlines = selectors.managed_hotlines(request.user)
    return render(
        request,
        "portal/manage.html",
        {
            "table": table,
            "hotlines": hotlines,
            "units": units,
            "hotline_form": HotlineForm(initial={"unit": units[0].code if units else ""}),
        },
    )


@never_cache
@capability_required(Cap.UNITS_EDIT)
def manage_new(request):
    units = selectors.units_to_edit(request.user)
    form = AnnouncementForm(request.POST or None, initial={"unit": units[0].code if units else ""})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit = selectors.unit_to_edit(request.user, data.pop("unit"))
        if unit is None:
            form.add_error("unit", _("Enter the code of a commune, district or province in your area."))
        elif done := submit(form, do_create_announcement, request.user, unit, client_id=client_id(request), **data):
            messages.success(request, _("The announcement is published (the public pages show it within a minute)."))
            return redirect("portal:manage_edit", pk=done.value.pk)
    return render(request, "portal/manage_form.html", {"form": form, "units": units, "item": None})


@never_cache
@capability_required(Cap.UNITS_EDIT)
def manage_edit(request, pk: int):
    item = get_for_user_or_404(Announcement, request.user, Cap.UNITS_EDIT, pk=pk)
    if item.automatic:
        form = AutomaticAnnouncementForm(request.POST or None, initial={"title": item.title, "body": item.body})
    else:
        form = AnnouncementForm(
            request.POST or None,
            initial={
                "unit": item.unit.code,
                "kind": item.kind,
                "title": item.title,
                "body": item.body,
                "publish_at": item.publish_at,
                "expires_at": item.expires_at,
            },
        )
        form.fields["unit"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "unit"}
        if submit(form, do_edit_announcement, request.user, item, **data):
            messages.success(request, _("Saved."))
            return redirect("portal:manage_edit", pk=item.pk)
    return render(request, "portal/manage_form.html", {"form": form, "item": item, "units": []})


@require_POST
@capability_required(Cap.UNITS_EDIT)
def manage_withdraw(request, pk: int):
    item = get_for_user_or_404(Announcement, request.user, Cap.UNITS_EDIT, pk=pk)
    if submit(request, do_withdraw_announcement, request.user, item):
        messages.success(request, _("The announcement was withdrawn from the public pages."))
    return redirect("portal:manage")


@require_POST
@capability_required(Cap.UNITS_EDIT)
def hotline_add(request):
    form = HotlineForm(request.POST)
    if form.is_valid():
        unit = selectors.unit_to_edit(request.user, form.cleaned_data["unit"])
        if unit is None:
            messages.error(request, _("Enter the code of a commune, district or province in your area."))
        elif submit(
            request,
            do_add_hotline,
            request.user,
            unit,
            label=form.cleaned_data["label"],
            number=form.cleaned_data["number"],
            position=form.cleaned_data.get("position") or 0,
        ):
            messages.success(request, _("The number was added."))
    else:
        messages.error(request, _("Fill in the area, whose number it is and the number."))
    return redirect("portal:manage")


@require_POST
@capability_required(Cap.UNITS_EDIT)
def hotline_remove(request, pk: int):
    hotline = get_for_user_or_404(Hotline, request.user, Cap.UNITS_EDIT, pk=pk)
    do_remove_hotline(request.user, hotline)
    messages.success(request, _("The number was removed."))
    return redirect("portal:manage")
