"""Laboratories: list, page with the last 14 days' load against capacity, create and edit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chongdich.core import clock
from chongdich.core.access import capability_required, get_in_scope_or_404
from chongdich.core.forms import add_errors, client_id
from chongdich.core.history import history_entries
from chongdich.core.roles import Cap
from chongdich.core.scoping import scope_for
from chongdich.testing.actions import do_create_lab, do_update_lab
from chongdich.testing.forms import LabForm
from chongdich.testing.selectors import lab_backlog, lab_counts, lab_load, labs_for


@capability_required(Cap.TESTS_VIEW)
def lab_list(request):
    labs = list(labs_for(request.user).select_related("unit").order_by("-active", "unit_path", "name"))
    counts = lab_counts(labs, clock.today())
    for lab in labs:
        lab.today, lab.pending = counts.get(lab.pk, (0, 0))
    can_create = not scope_for(request.user, Cap.TESTS_EDIT).empty
    return render(request, "testing/labs/list.html", {"labs": labs, "can_create": can_create})


@capability_required(Cap.TESTS_VIEW)
def lab_detail(request, pk: int):
    lab = get_in_scope_or_404(labs_for(request.user).select_related("unit"), pk=pk)
    today = clock.today()
    return render(
        request,
        "testing/labs/detail.html",
        {
            "lab": lab,
            "breadcrumbs": lab.unit.ancestors(),
            "days": lab_load(lab, today),
            "backlog": lab_backlog(lab, today),
            "changes": history_entries(lab),
            "can_edit": scope_for(request.user, Cap.TESTS_EDIT).contains(lab.unit_path),
        },
    )


@capability_required(Cap.TESTS_EDIT)
def lab_create(request):
    form = LabForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            lab, _created = do_create_lab(
                request.user, unit=form.cleaned_data["unit"], data=form.lab_data(), client_id=client_id(request)
            )
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Laboratory %(name)s was registered.") % {"name": lab.name})
            return redirect("testing:lab", pk=lab.pk)
    return render(request, "testing/labs/form.html", {"form": form})


@capability_required(Cap.TESTS_EDIT)
def lab_edit(request, pk: int):
    lab = get_in_scope_or_404(labs_for(request.user, Cap.TESTS_EDIT).select_related("unit"), pk=pk)
    initial = {
        "name": lab.name,
        "code": lab.code,
        "unit": lab.unit.code,
        "daily_capacity": lab.daily_capacity,
        "antigen_capacity": lab.antigen_capacity,
        "active": lab.active,
    }
    form = LabForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            do_update_lab(request.user, lab, data=form.lab_data(), unit=form.cleaned_data["unit"])
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("testing:lab", pk=lab.pk)
    return render(request, "testing/labs/form.html", {"form": form, "lab": lab})
