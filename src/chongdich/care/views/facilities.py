from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chongdich.care.actions import do_change_capacity, do_create_facility, do_update_facility
from chongdich.care.filters import FacilityFilter
from chongdich.care.forms import CapacityForm, FacilityForm
from chongdich.care.models import FacilityKind
from chongdich.care.selectors import (
    capacity_changes_of,
    facilities_for,
    facility_page,
    flows,
    staying_in,
    with_beds,
)
from chongdich.care.selectors import (
    facility_list as facility_rows,
)
from chongdich.care.tables import StayTable
from chongdich.core import audit, clock
from chongdich.core.access import capability_required
from chongdich.core.forms import client_id, submit
from chongdich.core.pagination import paginate_table
from chongdich.core.roles import Cap
from chongdich.core.scoping import has_capability, in_scope


@capability_required(Cap.CARE_VIEW)
def facility_list(request):
    filters = FacilityFilter(request.GET, facilities_for(request.user), request=request)
    day = filters.chosen_day()  # beds on a day (the dashboard's): today unless asked
    facilities, totals = facility_rows(filters.qs, day)
    return render(
        request,
        "care/facility_list.html",
        {
            "facilities": facilities,
            "totals": totals,
            "kinds": FacilityKind.choices,
            "kind": filters.kind_value,
            "show_all": filters.show_all,
            "unit_filter": filters.narrowed,
            "day": day,
            "today": clock.today(),
            "can_create": has_capability(request.user, Cap.CARE_EDIT),
        },
    )


@capability_required(Cap.CARE_VIEW)
def facility_detail(request, pk: int):
    facility = with_beds([facility_page(request.user, pk)])[0]
    stays = staying_in(request.user, facility)
    table = paginate_table(request, StayTable(stays), per_page=100, lazy=False)
    audit.record_read(request, _("Facility"), table.page.object_list, obj=facility)
    return render(
        request,
        "care/facility_detail.html",
        {
            "facility": facility,
            "table": table,
            "flows": flows(facility),
            "breadcrumbs": facility.unit.ancestors(),
            "hidden_stays": facility.beds.occupied - table.paginator.count,
            "capacity_changes": capacity_changes_of(facility),
            "can_manage": in_scope(request.user, Cap.CARE_EDIT, facility),
            "can_admit": has_capability(request.user, Cap.CARE_EDIT),
        },
    )


@capability_required(Cap.CARE_EDIT)
def facility_create(request):
    form = FacilityForm(request.POST or None, user=request.user, with_beds=True)
    if request.method == "POST" and form.is_valid():
        done = submit(
            form,
            do_create_facility,
            request.user,
            unit=form.cleaned_data["unit"],
            data=form.facility_data(),
            capacity=form.capacity(),
            client_id=client_id(request),
        )
        if done:
            facility, _created = done.value
            messages.success(request, _("%(name)s was created.") % {"name": facility.name})
            return redirect(facility)
    return render(request, "care/facility_form.html", {"form": form, "facility": None})


@capability_required(Cap.CARE_EDIT)
def facility_edit(request, pk: int):
    facility = facility_page(request.user, pk, Cap.CARE_EDIT, serving=False)
    initial = {
        name: getattr(facility, name)
        for name in ("name", "kind", "address", "phone", "ready_within_24h", "opened_on", "closed_on")
    } | {"unit": facility.unit.code}
    form = FacilityForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        if submit(
            form, do_update_facility, request.user, facility, unit=form.cleaned_data["unit"], data=form.facility_data()
        ):
            messages.success(request, _("Saved."))
            return redirect(facility)
    return render(request, "care/facility_form.html", {"form": form, "facility": facility})


@capability_required(Cap.CARE_EDIT)
def capacity_change(request, pk: int):
    facility = facility_page(request.user, pk, Cap.CARE_EDIT, serving=False)
    form = CapacityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if submit(form, do_change_capacity, request.user, facility, client_id=client_id(request), **form.cleaned_data):
            messages.success(request, _("The beds were updated."))
            return redirect(facility)
    return render(request, "care/capacity_form.html", {"form": form, "facility": with_beds([facility])[0]})
