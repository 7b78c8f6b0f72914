"""The testing overview, the work lists (samples waiting, positives without a case) and capacity vs demand."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from chongdich.core import audit, clock
from chongdich.core.access import capability_required
from chongdich.core.pagination import paginate_table
from chongdich.core.roles import Cap
from chongdich.core.scoping import has_capability
from chongdich.testing.filters import PendingFilter
from chongdich.testing.selectors import (
    AGE_BUCKETS,
    capacity_by_child,
    capacity_unit,
    capacity_vs_demand,
    overview_counts,
    pending_by_lab,
    positives_without_case,
    units_to_pick,
)
from chongdich.testing.tables import PendingTable, PositiveTable
from chongdich.testing.views.common import PAGE_SIZE


@capability_required(Cap.TESTS_VIEW)
def index(request):
    today = clock.today()
    return render(
        request,
        "testing/index.html",
        {
            "counts": overview_counts(request.user, today),
            "today": today,
            "can_edit": has_capability(request.user, Cap.TESTS_EDIT),
        },
    )


@capability_required(Cap.TESTS_VIEW)
def pending_list(request):
    today = clock.today()
    filters = PendingFilter(request.GET or None, request=request)
    table = paginate_table(request, PendingTable(filters.qs), per_page=PAGE_SIZE)
    audit.record_read(request, _("Samples waiting for a result"), table.page.object_list)
    buckets = [(low, high) for low, high in AGE_BUCKETS]
    return render(
        request,
        "testing/worklists/pending.html",
        {
            "table": table,
            "summary": pending_by_lab(request.user, today),
            "buckets": buckets,
            "lab": filters.chosen_lab(),
        },
    )


@capability_required(Cap.TESTS_VIEW)
def positive_list(request):
    table = PositiveTable(positives_without_case(request.user))
    paginate_table(request, table, per_page=PAGE_SIZE)
    audit.record_read(request, _("Positive results without a case"), table.page.object_list)
    return render(request, "testing/worklists/positives.html", {"table": table})


@capability_required(Cap.TESTS_VIEW)
def capacity(request):
    """Samples taken per day against the daily capacity of the labs in the unit (from tallies)."""
    today = clock.today()
    choices = units_to_pick(request.user)
    unit = capacity_unit(request.user, request.GET.get("unit"), choices)
    if unit is None:
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
