"""People in quarantine (F1) on a day, at home and in facilities: the list behind the dashboard's F1 figures.

It counts what the tallies count, by dates (``selectors.home_quarantine_on`` / ``facility_quarantine_on``),
so the figure and the list agree for any day, and whether or not the orders and stays past their end
have been closed yet.
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext

from chongdich.care.filters import QuarantineFilter
from chongdich.care.tables import QuarantineTable
from chongdich.core import audit
from chongdich.core.access import capability_required
from chongdich.core.pagination import paginate_table
from chongdich.core.roles import Cap


@capability_required(Cap.CARE_VIEW)
def quarantine_list(request):
    filters = QuarantineFilter(request.GET or None, request=request)
    rows = filters.rows(request.user)
    table = paginate_table(request, QuarantineTable(rows), per_page=50, lazy=False)
    audit.record_read(request, gettext("In quarantine"), table.page.object_list)
    return render(
        request,
        "care/quarantine_list.html",
        {
            "form": filters.form,
            "table": table,
            "day": filters.chosen_day(),
            "place": filters.chosen_place(),
            "total": len(rows),
            "unit_filter": filters.narrowed,
        },
    )
