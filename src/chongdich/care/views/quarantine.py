"""People in quarantine (F1) on a day, at home and in facilities: the list behind the dashboard's F1 figures.

It counts what the tallies count, by dates (``selectors.home_quarantine_on`` / ``facility_quarantine_on``),
so the figure and the list agree for any day, and whether or not the orders and stays past their end
have been closed yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from chongdich.care.selectors import facility_quarantine_on, home_quarantine_on, orders_for, stays_for
from chongdich.care.tables import QuarantineTable
from chongdich.care.views.common import unit_filter
from chongdich.core import audit, clock
from chongdich.core.access import capability_required
from chongdich.core.pagination import paginate_table
from chongdich.core.roles import Cap

PLACES = [("", _("At home and in facilities")), ("home", _("At home")), ("facility", _("In facilities"))]


class QuarantineFilterForm(forms.Form):
    on = forms.DateField(
        label=pgettext_lazy("quarantine list", "On"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    place = forms.ChoiceField(label=pgettext_lazy("quarantine", "Where"), choices=PLACES, required=False)

    def chosen_day(self) -> date:
        """The day asked for (not after today), today by default or when it cannot be read."""
        today = clock.today()
        if self.is_bound and self.is_valid() and self.cleaned_data.get("on"):
            return min(self.cleaned_data["on"], today)
        return today

    def chosen_place(self) -> str:
        return self.cleaned_data.get("place", "") if self.is_bound and self.is_valid() else ""


class Concatenation(Sequence):
    """Two or more querysets read as one list, fetching only the slice a page shows (one COUNT each)."""

    def __init__(self, *querysets):
        self.querysets = querysets
        self._counts: list[int] | None = None

    def counts(self) -> list[int]:
        if self._counts is None:
            self._counts = [queryset.count() for queryset in self.querysets]
        return self._counts

    def __len__(self) -> int:
        return sum(self.counts())

    def __getitem__(self, index):
        if not isinstance(index, slice):
            found = self[index : index + 1]
            if not found:
                raise IndexError(index)
            return found[0]
        start, stop, _step = index.indices(len(self))
        rows, offset = [], 0
        for queryset, count in zip(self.querysets, self.counts(), strict=True):
            low, high = max(start - offset, 0), min(stop - offset, count)
            if low < high:
                rows.extend(queryset[low:high])
            offset += count
        return rows


@capability_required(Cap.CARE_VIEW)
def quarantine_list(request):
    form = QuarantineFilterForm(request.GET or None)
    day, place = form.chosen_day(), form.chosen_place()
    stays, narrowed = unit_filter(request, facility_quarantine_on(stays_for(request.user), day))
    orders, _narrowed = unit_filter(request, home_quarantine_on(orders_for(request.user), day))
    parts = []
    if place != "home":
        parts.append(
            stays.select_related("person", "unit", "facility").order_by("facility__name", "person__folded_name", "pk")
        )
    if place != "facility":
        parts.append(orders.select_related("person", "unit").order_by("unit_path", "person__folded_name", "pk"))
    rows = Concatenation(*parts)
    table = QuarantineTable(rows)
    paginate_table(request, table, per_page=50, lazy=False)
    audit.record_read(request, gettext("In quarantine"), table.page.object_list)
    return render(
        request,
        "care/quarantine_list.html",
        {
            "form": form,
            "table": table,
            "day": day,
            "place": place,
            "total": len(rows),
            "unit_filter": narrowed,
        },
    )
