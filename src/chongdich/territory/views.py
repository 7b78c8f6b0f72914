from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chongdich.core import audit
from chongdich.core.access import capability_required, get_for_user_or_404
from chongdich.core.forms import submit
from chongdich.core.history import history_entries
from chongdich.core.roles import Cap
from chongdich.core.scoping import in_scope
from chongdich.territory import selectors
from chongdich.territory.actions import do_create_village, do_update_unit
from chongdich.territory.forms import UnitPopulationForm, VillageForm
from chongdich.territory.models import Level


@capability_required(Cap.UNITS_VIEW)
def tree(request):
    query = request.GET.get("q", "").strip()
    roots, title = selectors.tree_roots(request.user, Cap.UNITS_VIEW, query)
    return render(request, "territory/tree.html", {"units": roots, "title": title, "query": query})


@capability_required(Cap.UNITS_VIEW)
def detail(request, code: str):
    unit = selectors.unit_page(code)
    if unit is None:
        raise Http404
    can_edit = in_scope(request.user, Cap.UNITS_EDIT, unit)
    return render(
        request,
        "territory/detail.html",
        {
            "unit": unit,
            "breadcrumbs": unit.ancestors(),
            "children": selectors.children_of(unit),
            "neighbours": selectors.neighbour_rows(unit),
            "adjacency_derived": selectors.has_derived_adjacency(unit),
            "population": selectors.population_summary(unit),
            "can_edit": can_edit,
            "can_add_village": can_edit and unit.level == Level.COMMUNE,
            "can_audit": in_scope(request.user, Cap.AUDIT_VIEW, unit),
        },
    )


@capability_required(Cap.UNITS_EDIT)
def edit(request, code: str):
    unit = get_for_user_or_404(selectors.units(), request.user, Cap.UNITS_EDIT, code=code)
    form = UnitPopulationForm(request.POST or None, instance=selectors.unit_by_pk(unit.pk))
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        if submit(form, do_update_unit, request.user, selectors.unit_by_pk(unit.pk), **changes):
            messages.success(request, _("Saved."))
            return redirect("territory:detail", code=unit.code)
    return render(request, "territory/edit.html", {"unit": unit, "breadcrumbs": unit.ancestors(), "form": form})


@capability_required(Cap.UNITS_EDIT)
def village_create(request, code: str):
    commune = get_for_user_or_404(selectors.units(), request.user, Cap.UNITS_EDIT, code=code)
    form = VillageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = submit(
            form,
            do_create_village,
            request.user,
            commune=commune,
            name=form.cleaned_data["name"],
            kind=form.cleaned_data["kind"],
            code=form.cleaned_data["code"],
            population_total=form.cleaned_data["population_total"],
        )
        if done:
            messages.success(request, _("%(name)s was created.") % {"name": done.value.name})
            return redirect("territory:detail", code=commune.code)
    return render(
        request, "territory/village_form.html", {"unit": commune, "breadcrumbs": commune.ancestors(), "form": form}
    )


@capability_required(Cap.AUDIT_VIEW)
def history(request, code: str):
    """Who changed the unit and when: officers' names and addresses, so only auditors of the area."""
    unit = get_for_user_or_404(selectors.units(), request.user, Cap.AUDIT_VIEW, code=code)
    return render(
        request,
        "core/trail.html",
        {
            "object": unit,
            "breadcrumbs": unit.ancestors(),
            "events": audit.trail(unit),
            "changes": history_entries(unit),
        },
    )
