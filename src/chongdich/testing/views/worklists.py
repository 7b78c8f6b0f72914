"""The testing overview, the work lists (samples waiting, positives without a case) and capacity vs demand."""

from __future__ import annotations

from datetime import timedelta

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from chongdich.core import audit, clock
from chongdich.core.access import capability_required
from chongdich.core.pagination import paginate_table
from chongdich.core.roles import Cap
from chongdich.core.scoping import scope_for
from chongdich.territory.models import AdminUnit
from chongdich.testing.models import SampleStatus
from chongdich.testing.selectors import (
    AGE_BUCKETS,
    capacity_by_child,
    capacity_vs_demand,
    labs_for,
    pending_by_lab,
    pending_samples,
    positives_without_case,
    samples_for,
)
from chongdich.testing.tables import PendingTable, PositiveTable
from chongdich.testing.views.common import PAGE_SIZE


@capability_required(Cap.TESTS_VIEW)
def index(request):
    today = clock.today()
    samples = samples_for(request.user)
    pending = samples.filter(status=SampleStatus.PENDING)
    counts = {
        "taken_today": samples.filter(taken_on=today).count(),
        "pending": pending.count(),
        "overdue": pending.filter(taken_on__lt=today - timedelta(days=1)).count(),
        "positives": positives_without_case(request.user).count(),
    }
    return render(
        request,
        "testing/index.html",
        {"counts": counts, "today": today, "can_edit": not scope_for(request.user, Cap.TESTS_EDIT).empty},
    )


@capability_required(Cap.TESTS_VIEW)
def pending_list(request):
    today = clock.today()
    lab = None
    if request.GET.get("lab", "").isdigit():
        lab = labs_for(request.user).filter(pk=request.GET["lab"]).first()
    table = PendingTable(pending_samples(request.user, lab))
    paginate_table(request, table, per_page=PAGE_SIZE)
    audit.record_read(request, _("Samples waiting for a result"), table.page.object_list)
    buckets = [(low, high) for low, high in AGE_BUCKETS]
    return render(
        request,
        "testing/worklists/pending.html",
        {"table": table, "summary": pending_by_lab(request.user, today), "buckets": buckets, "lab": lab},
    )


@capability_required(Cap.TESTS_VIEW)
def positive_list(request):
    table = PositiveTable(positives_without_case(request.user))
    paginate_table(request, table, per_page=PAGE_SIZE)
    audit.record_read(request, _("Positive results without a case"), table.page.object_list)
    return render(request, "testing/worklists/positives.html", {"table": table})


def _units_to_pick(user):
    """The units a capacity page can be opened for: the user's granted units (or the provinces)."""
    scope = scope_for(user, Cap.TESTS_VIEW)
    if scope.everything:
        return list(AdminUnit.objects.filter(parent__isnull=True).order_by("name"))
    return list(AdminUnit.objects.filter(path__in=scope.paths).order_by("path"))


@capability_required(Cap.TESTS_VIEW)
def capacity(request):
    """Samples taken per day against the daily capacity of the labs in the unit (from tallies)."""
    today = clock.today()
    choices = _units_to_pick(request.user)
    code = request.GET.get("unit")
    unit = AdminUnit.objects.filter(code=code).first() if code else (choices[0] if choices else None)
    if unit is None or not scope_for(request.user, Cap.TESTS_VIEW).contains(unit.path):
        raise Http404
    return render(
        request,
        "testing/worklists/capacity.html",
        {
            "unit": unit,
            "breadcrumbs": unit.ancestors(),
            "choices": choices,
            "days": capacity_vs_demand(unit, today),
            "children": capacity_by_child(unit, today),
            "today": today,
        },
    )
