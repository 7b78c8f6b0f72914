from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chongdich.core import audit
from chongdich.core.access import capability_required
from chongdich.core.history import history_entries
from chongdich.core.roles import Cap
from chongdich.core.scoping import scope_for
from chongdich.core.text import fold_words
from chongdich.territory.actions import do_create_village, do_update_unit, neighbours_of
from chongdich.territory.forms import UnitPopulationForm, VillageForm
from chongdich.territory.models import AGE_BANDS, AdminUnit, Level


def _unit_or_404(code: str) -> AdminUnit:
    unit = AdminUnit.objects.select_related("parent").filter(code=code).first()
    if unit is None:
        raise Http404
    return unit


@capability_required(Cap.UNITS_VIEW)
def tree(request):
    query = request.GET.get("q", "").strip()
    if query:
        roots = AdminUnit.objects.filter(folded_name__contains=fold_words(query)).order_by("level", "name")[:100]
        title = _("Units matching “%(q)s”") % {"q": query}
    else:
        scope = scope_for(request.user, Cap.UNITS_VIEW)
        if scope.everything:
            roots = AdminUnit.objects.filter(parent__isnull=True).order_by("name")
        else:
            roots = AdminUnit.objects.filter(path__in=scope.paths).order_by("path")
        title = _("Your units")
    roots = roots.select_related("parent", "parent__parent").annotate(children_count=Count("children"))
    return render(request, "territory/tree.html", {"units": roots, "title": title, "query": query})


def population_summary(unit: AdminUnit) -> dict:
    """The unit's own figures, or the sum of its children when it has none of its own."""
    if unit.population_total is not None:
        return {"total": unit.population_total, **{b: getattr(unit, b) for b in AGE_BANDS}, "derived": False}
    sums = unit.children.aggregate(total=Sum("population_total"), **{b: Sum(b) for b in AGE_BANDS})
    return {**sums, "derived": sums["total"] is not None}


@capability_required(Cap.UNITS_VIEW)
def detail(request, code: str):
    unit = _unit_or_404(code)
    children = unit.children.annotate(children_count=Count("children")).order_by("name")
    can_edit = scope_for(request.user, Cap.UNITS_EDIT).contains(unit.path)
    return render(
        request,
        "territory/detail.html",
        {
            "unit": unit,
            "breadcrumbs": unit.ancestors(),
            "children": children,
            "neighbours": neighbours_of(unit).values("code", "name", "level"),
            "adjacency_derived": unit.adjacency.filter(derived=True).exists(),
            "population": population_summary(unit),
            "can_edit": can_edit,
            "can_add_village": can_edit and unit.level == Level.COMMUNE,
            "can_audit": scope_for(request.user, Cap.AUDIT_VIEW).contains(unit.path),
        },
    )


@capability_required(Cap.UNITS_EDIT)
def edit(request, code: str):
    unit = _unit_or_404(code)
    if not scope_for(request.user, Cap.UNITS_EDIT).contains(unit.path):
        raise Http404
    form = UnitPopulationForm(request.POST or None, instance=AdminUnit.objects.get(pk=unit.pk))
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        fresh = AdminUnit.objects.get(pk=unit.pk)
        try:
            do_update_unit(request.user, fresh, **changes)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("territory:detail", code=unit.code)
    return render(request, "territory/edit.html", {"unit": unit, "breadcrumbs": unit.ancestors(), "form": form})


@capability_required(Cap.UNITS_EDIT)
def village_create(request, code: str):
    commune = _unit_or_404(code)
    if not scope_for(request.user, Cap.UNITS_EDIT).contains(commune.path):
        raise Http404
    form = VillageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            village = do_create_village(
                request.user,
                commune=commune,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                code=form.cleaned_data["code"],
                population_total=form.cleaned_data["population_total"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("%(name)s was created.") % {"name": village.name})
            return redirect("territory:detail", code=commune.code)
    return render(
        request, "territory/village_form.html", {"unit": commune, "breadcrumbs": commune.ancestors(), "form": form}
    )


@capability_required(Cap.AUDIT_VIEW)
def history(request, code: str):
    """Who changed the unit and when: officers' names and addresses, so only auditors of the area."""
    unit = _unit_or_404(code)
    if not scope_for(request.user, Cap.AUDIT_VIEW).contains(unit.path):
        raise Http404
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
