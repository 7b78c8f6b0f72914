"""Filters of the target list and of the due list (shared by the pages, their exports and invitations)."""

from __future__ import annotations

from datetime import date

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.people.forms import UnitChoiceField
from chongdich.territory.models import AdminUnit, Level
from chongdich.testing.forms import offer_units
from chongdich.vaccination.forms.targets import DayField
from chongdich.vaccination.models import VIEW
from chongdich.vaccination.selectors import targets as read


class DayFilter(django_filters.DateFilter):
    field_class = DayField


class UnitFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField


def _units(user):
    units = AdminUnit.objects.filter(level__in=[Level.PROVINCE, Level.DISTRICT, Level.COMMUNE, Level.VILLAGE])
    return units.for_user(user, VIEW).select_related("parent").order_by("path")


class _PeopleFilter(django_filters.FilterSet):
    """The fields both lists share; ``filter_queryset`` applies them in one place."""

    unit = UnitFilter(
        label=_("Lives in"),
        queryset=AdminUnit.objects.none(),
        to_field_name="code",
        empty_label=_("All my area"),
        method="keep",
    )
    group = django_filters.ChoiceFilter(label=_("Priority group"), choices=(), empty_label=_("All"), method="keep")
    age = django_filters.ChoiceFilter(
        label=_("Age"), choices=read.AGE_BAND_CHOICES, empty_label=_("All ages"), method="keep"
    )
    on = DayFilter(label=_("On"), method="keep")

    def __init__(self, data=None, queryset=None, *, request, **kwargs):
        super().__init__(
            data, read.people_in_scope(request.user) if queryset is None else queryset, request=request, **kwargs
        )
        offer_units(self.filters["unit"].field, _units(request.user))
        self.filters["group"].extra["choices"] = [
            ("none", _("In no priority group")),
            *read.group_choices(clock.today(), read.user_province(request.user)),
        ]

    def keep(self, queryset, name, value):
        return queryset

    def valid(self) -> bool:
        return not self.is_bound or self.is_valid()

    def cleaned(self) -> dict:
        return self.form.cleaned_data if self.is_bound and self.is_valid() else {}

    def day(self) -> date:
        return self.cleaned().get("on") or clock.today()

    def chosen_unit(self):
        return self.cleaned().get("unit")

    def narrowed(self, queryset):
        """The list's people: the unit, group and age filters (the dose state is left to the caller)."""
        data, day = self.cleaned(), self.day()
        if data.get("unit"):
            queryset = queryset.within(data["unit"])
        if data.get("group"):
            queryset = read.in_group(queryset, data["group"])
        if data.get("age"):
            queryset = queryset.filter(read.age_q(data["age"], day))
        if data.get("q"):
            queryset = read.search(self.request.user, queryset, data["q"])
        return queryset

    def active_filters(self) -> dict[str, str]:
        return {k: v for k, v in (self.data or {}).items() if v and k in self.filters}


class TargetFilter(_PeopleFilter):
    """People of the area by priority group, age band and doses received by a day."""

    doses = django_filters.ChoiceFilter(
        label=_("Doses received"), choices=read.DoseState.CHOICES, empty_label=_("All"), method="keep"
    )
    q = django_filters.CharFilter(label=_("Name, CCCD or phone"), method="keep", max_length=120)

    def people(self):
        """The filtered people with their dose state (none while a filter is invalid: an export or an
        invitation never widens silently)."""
        if not self.valid():
            return read.with_dose_state(self.queryset.none(), self.day())
        people = read.with_dose_state(self.narrowed(self.queryset), self.day())
        state = self.cleaned().get("doses")
        return people.filter(read.state_q(state)) if state else people

    def before_state(self):
        """The same people before the dose filter (the counts by dose state next to the list)."""
        if not self.valid():
            return read.with_dose_state(self.queryset.none(), self.day())
        return read.with_dose_state(self.narrowed(self.queryset), self.day())

    def filter_queryset(self, queryset):
        return self.people()


class DueFilter(_PeopleFilter):
    """People due for their next dose on a day; ``late_by``: only those past the recommended day by
    at least that many days (overdue)."""

    late_by = django_filters.NumberFilter(
        label=_("Overdue by at least (days)"),
        method="keep",
        min_value=1,
        max_value=365,
        max_digits=3,
        decimal_places=0,
        widget=forms.NumberInput(attrs={"min": 1, "max": 365, "inputmode": "numeric"}),
    )

    def lateness(self) -> int | None:
        value = self.cleaned().get("late_by")
        return int(value) if value is not None else None

    def people(self):
        return self.narrowed(self.queryset) if self.valid() else self.queryset.none()

    def filter_queryset(self, queryset):
        return self.people()
