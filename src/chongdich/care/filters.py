"""Filters of the care lists (django-filter): home orders, facilities, people in quarantine.

Every list can be narrowed to ``?unit=<code>`` and its subtree (the dashboard's tiles link to the lists
with it).  A link narrows a list, never widens it: the list's scope applies first, so a unit outside the
user's area, like an unknown code, gives an empty list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chongdich.care.models import Facility, FacilityKind, HomeOrder, OrderKind, OrderStatus, Stay
from chongdich.care.selectors import (
    Concatenation,
    facility_quarantine_on,
    home_quarantine_on,
    in_quarantine,
    orders_for,
    stays_for,
)
from chongdich.core import clock
from chongdich.core.scoping import within_unit
from chongdich.people.selectors import search_people
from chongdich.territory.models import AdminUnit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


@dataclass(frozen=True)
class UnitFilter:
    """The ``?unit=`` a list was narrowed to, as shown above it."""

    code: str
    unit: AdminUnit | None  # None: no unit has that code
    clear_url: str  # the same list without it


class UnitNarrowing(django_filters.FilterSet):
    """``?unit=<code>``: the list narrowed to that unit's subtree, and the banner that says so."""

    unit = django_filters.CharFilter(method="in_unit", widget=forms.HiddenInput)

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self._unit: AdminUnit | None = None

    def unit_code(self) -> str:
        return str((self.data or {}).get("unit", "")).strip()

    def narrow(self, queryset: QuerySet, field: str = "unit_path") -> QuerySet:
        code = self.unit_code()
        if not code:
            return queryset
        queryset, self._unit = within_unit(queryset, code, field)
        return queryset

    def in_unit(self, queryset, name, value):
        return self.narrow(queryset)

    @property
    def narrowed(self) -> UnitFilter | None:
        """The banner above the list (read after the rows)."""
        code = self.unit_code()
        if not code or self.request is None:
            return None
        params = self.request.GET.copy()
        for name in ("unit", "page"):
            params.pop(name, None)
        query = params.urlencode()
        return UnitFilter(code, self._unit, self.request.path + (f"?{query}" if query else ""))


class OrderFilter(UnitNarrowing):
    """The home orders list: active orders unless another status (or all) is asked for."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OrderKind.choices, empty_label=_("All"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=OrderStatus.choices, empty_label=_("All"))

    class Meta:
        model = HomeOrder
        fields = ["q", "kind", "status", "unit"]

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        data = data.copy() if data is not None else {}
        if "status" not in data:
            data["status"] = OrderStatus.ACTIVE
        if queryset is None and request is not None:
            queryset = orders_for(request.user)
        super().__init__(data, queryset, request=request, **kwargs)

    def search(self, queryset, name, value):
        return queryset.filter(person__in=search_people(self.request.user, value).values("pk"))

    def rows(self) -> QuerySet[HomeOrder]:
        return self.qs.select_related("person", "unit").order_by("-start", "-pk")


class FacilityFilter(UnitNarrowing):
    """The facilities list: open ones (on ``?day=``, today by default) unless ``?open=all``."""

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=FacilityKind.choices, empty_label=_("All kinds"))
    open = django_filters.ChoiceFilter(
        label=_("Include closed"), choices=[("all", _("Include closed"))], method="include_closed"
    )
    day = django_filters.CharFilter(method="on_day", widget=forms.HiddenInput)

    class Meta:
        model = Facility
        fields = ["kind", "open", "day", "unit"]

    def on_day(self, queryset, name, value):
        return queryset  # the day of the bed figures, read by ``chosen_day``

    def include_closed(self, queryset, name, value):
        return queryset  # applied in ``filter_queryset``: closed facilities are left out unless asked

    @property
    def show_all(self) -> bool:
        return (self.data or {}).get("open") == "all"

    @property
    def kind_value(self) -> str:
        kind = (self.data or {}).get("kind", "")
        return kind if kind in FacilityKind.values else ""

    def chosen_day(self) -> date:
        """``?day=YYYY-MM-DD`` (not after today), else today."""
        try:
            return min(date.fromisoformat((self.data or {}).get("day", "")), clock.today())
        except ValueError:
            return clock.today()

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.show_all:
            day = self.chosen_day()
            queryset = queryset.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))
        return queryset


PLACES = [("home", _("At home")), ("facility", _("In facilities"))]


class QuarantineFilter(UnitNarrowing):
    """People in quarantine on a day (``?on=``, today by default), at home, in facilities or both."""

    on = django_filters.DateFilter(
        label=pgettext_lazy("quarantine list", "On"), method="on_day", widget=DATE, required=False
    )
    place = django_filters.ChoiceFilter(
        label=pgettext_lazy("quarantine", "Where"),
        choices=PLACES,
        empty_label=_("At home and in facilities"),
        method="at_place",
    )

    class Meta:
        model = Stay
        fields = ["on", "place", "unit"]

    def on_day(self, queryset, name, value):
        return queryset  # read by ``chosen_day`` for both parts of the list

    def at_place(self, queryset, name, value):
        return queryset  # read by ``chosen_place``

    def chosen_day(self) -> date:
        """The day asked for (not after today), today by default or when it cannot be read."""
        today = clock.today()
        if self.is_bound and self.is_valid() and self.form.cleaned_data.get("on"):
            return min(self.form.cleaned_data["on"], today)
        return today

    def chosen_place(self) -> str:
        return (self.form.cleaned_data.get("place") or "") if self.is_bound and self.is_valid() else ""

    def rows(self, user) -> Concatenation:
        """Stays then home orders in force on the chosen day, narrowed to the chosen unit."""
        day = self.chosen_day()
        stays = self.narrow(facility_quarantine_on(stays_for(user), day))
        orders = self.narrow(home_quarantine_on(orders_for(user), day))
        return in_quarantine(stays, orders, self.chosen_place())
