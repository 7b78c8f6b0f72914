from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chongdich.care.actions import do_change_capacity, do_create_facility, do_update_facility
from chongdich.care.forms import CapacityForm, FacilityForm
from chongdich.care.models import BedType, FacilityKind
from chongdich.care.selectors import BedLine, Beds, facilities_for, flows, stays_for, with_beds
from chongdich.care.tables import StayTable
from chongdich.care.views.common import unit_filter
from chongdich.core import audit, clock
from chongdich.core.access import capability_required, get_in_scope_or_404
from chongdich.core.forms import add_errors, client_id
from chongdich.core.pagination import paginate_table
from chongdich.core.roles import Cap
from chongdich.core.scoping import has_capability, scope_for


def _day(request):
    """``?day=YYYY-MM-DD`` (not after today), else today."""
    try:
        return min(date.fromisoformat(request.GET.get("day", "")), clock.today())
    except ValueError:
        return clock.today()


@capability_required(Cap.CARE_VIEW)
def facility_list(request):
    facilities, narrowed = unit_filter(request, facilities_for(request.user).select_related("unit"))
    kind = request.GET.get("kind", "")
    if kind in FacilityKind.values:
        facilities = facilities.filter(kind=kind)
    day = _day(request)  # beds on a day (the dashboard's): today unless asked
    if request.GET.get("open") != "all":
        facilities = facilities.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))
    facilities = with_beds(facilities.order_by("unit_path", "name")[:500], day)
    totals = Beds(
        [
            BedLine(
                bed,
                str(label),
                sum(f.beds.of(bed).capacity for f in facilities),
                sum(f.beds.of(bed).occupied for f in facilities),
            )
            for bed, label in BedType.choices
        ]
    )
    totals.lines = [line for line in totals.lines if line.capacity or line.occupied]
    return render(
        request,
        "care/facility_list.html",
        {
            "facilities": facilities,
            "totals": totals,
            "kinds": FacilityKind.choices,
            "kind": kind,
            "show_all": request.GET.get("open") == "all",
            "unit_filter": narrowed,
            "day": day,
            "today": clock.today(),
            "can_create": has_capability(request.user, Cap.CARE_EDIT),
        },
    )


@capability_required(Cap.CARE_VIEW)
def facility_detail(request, pk: int):
    facility = get_in_scope_or_404(facilities_for(request.user).select_related("unit"), pk=pk)
    facility = with_beds([facility])[0]
    stays = (
        stays_for(request.user)
        .filter(facility=facility, discharged_on__isnull=True)
        .select_related("person", "facility")
    )
    table = StayTable(stays.order_by("admitted_on", "pk"))
    paginate_table(request, table, per_page=100, lazy=False)
    audit.record_read(request, _("Facility"), table.page.object_list, obj=facility)
    edit = scope_for(request.user, Cap.CARE_EDIT)
    return render(
        request,
        "care/facility_detail.html",
        {
            "facility": facility,
            "table": table,
            "flows": flows(facility),
            "breadcrumbs": facility.unit.ancestors(),
            "hidden_stays": facility.beds.occupied - stays.count(),
            "capacity_changes": facility.capacity_changes.order_by("-day", "-pk")[:20],
            "can_manage": edit.contains(facility.unit_path),
            "can_admit": not edit.empty,
        },
    )


@capability_required(Cap.CARE_EDIT)
def facility_create(request):
    form = FacilityForm(request.POST or None, user=request.user, with_beds=True)
    if request.method == "POST" and form.is_valid():
        try:
            facility, _created = do_create_facility(
                request.user,
                unit=form.cleaned_data["unit"],
                data=form.facility_data(),
                capacity=form.capacity(),
                client_id=client_id(request),
            )
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was created.") % {"name": facility.name})
            return redirect("care:facility", pk=facility.pk)
    return render(request, "care/facility_form.html", {"form": form, "facility": None})


@capability_required(Cap.CARE_EDIT)
def facility_edit(request, pk: int):
    facility = get_in_scope_or_404(
        facilities_for(request.user, Cap.CARE_EDIT, serving=False).select_related("unit"), pk=pk
    )
    initial = {
        name: getattr(facility, name)
        for name in ("name", "kind", "address", "phone", "ready_within_24h", "opened_on", "closed_on")
    } | {"unit": facility.unit.code}
    form = FacilityForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            do_update_facility(request.user, facility, unit=form.cleaned_data["unit"], data=form.facility_data())
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("care:facility", pk=facility.pk)
    return render(request, "care/facility_form.html", {"form": form, "facility": facility})


@capability_required(Cap.CARE_EDIT)
def capacity_change(request, pk: int):
    facility = get_in_scope_or_404(facilities_for(request.user, Cap.CARE_EDIT, serving=False), pk=pk)
    form = CapacityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_change_capacity(request.user, facility, client_id=client_id(request), **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The beds were updated."))
            return redirect("care:facility", pk=facility.pk)
    return render(request, "care/capacity_form.html", {"form": form, "facility": with_beds([facility])[0]})
