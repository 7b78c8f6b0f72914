"""Laboratories: list, page with the last 14 days' load against capacity, create and edit."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chongdich.core import clock
from chongdich.core.access import capability_required
from chongdich.core.forms import client_id, submit
from chongdich.core.history import history_entries
from chongdich.core.pagination import paginate_table
from chongdich.core.roles import Cap
from chongdich.core.scoping import has_capability, in_scope
from chongdich.testing.actions import do_create_lab, do_update_lab
from chongdich.testing.forms import LabForm
from chongdich.testing.selectors import lab_backlog, lab_load, lab_page, labs_with_counts
from chongdich.testing.tables import LabTable


@capability_required(Cap.TESTS_VIEW)
def lab_list(request):
    table = paginate_table(request, LabTable(labs_with_counts(request.user, clock.today())), per_page=500, lazy=False)
    can_create = has_capability(request.user, Cap.TESTS_EDIT)
    return render(request, "testing/labs/list.html", {"table": table, "can_create": can_create})


@capability_required(Cap.TESTS_VIEW)
def lab_detail(request, pk: int):
    lab = lab_page(request.user, pk)
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
            "can_edit": in_scope(request.user, Cap.TESTS_EDIT, lab),
        },
    )


@capability_required(Cap.TESTS_EDIT)
def lab_create(request):
    form = LabForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        done = submit(
            form,
            do_create_lab,
            request.user,
            unit=form.cleaned_data["unit"],
            data=form.lab_data(),
            client_id=client_id(request),
        )
        if done:
            lab, _created = done.value
            messages.success(request, _("Laboratory %(name)s was registered.") % {"name": lab.name})
            return redirect(lab)
    return render(request, "testing/labs/form.html", {"form": form})


@capability_required(Cap.TESTS_EDIT)
def lab_edit(request, pk: int):
    lab = lab_page(request.user, pk, Cap.TESTS_EDIT)
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
        if submit(form, do_update_lab, request.user, lab, data=form.lab_data(), unit=form.cleaned_data["unit"]):
            messages.success(request, _("Saved."))
            return redirect(lab)
    return render(request, "testing/labs/form.html", {"form": form, "lab": lab})
