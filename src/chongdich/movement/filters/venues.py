"""Filters of the venue list and of a venue's check-ins."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chongdich.core.scoping import for_user
from chongdich.movement.filters.alerts import DayFilter
from chongdich.movement.filters.alerts import UnitFilter as AlertUnitFilter
from chongdich.movement.filters.alerts import area_units as alert_area_units
from chongdich.movement.models import VIEW, VenueKind
from chongdich.people.forms import UnitChoiceField
from chongdich.territory.models import AdminUnit, Level

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UnitFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField


def area_units(user):
    """Districts and communes of the user's area, to narrow the list to one of them."""
    units = AdminUnit.objects.filter(level__in=[Level.DISTRICT, Level.COMMUNE])
    return for_user(units, user, VIEW, path_field="path").select_related("parent").order_by("path")


class VenueFilter(django_filters.FilterSet):
    """Venues of the user's area by name or code, unit and kind; closed ones only when asked."""

    q = django_filters.CharFilter(label=_("Name or code"), method="by_text")
    unit = UnitFilter(
        label=_("Unit"), queryset=AdminUnit.objects.none(), to_field_name="code", method="in_unit", empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=VenueKind.choices, empty_label=_("All"))
    temperature = django_filters.BooleanFilter(
        label=_("Temperature checked"), field_name="temperature_check", widget=forms.CheckboxInput, method="checked"
    )
    closed = django_filters.BooleanFilter(
        label=_("Include closed venues"), method="with_closed", widget=forms.CheckboxInput
    )

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["unit"].queryset = area_units(request.user) if request else AdminUnit.objects.none()

    def by_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(name__icontains=value) | queryset.filter(code=value.upper())

    def in_unit(self, queryset, name, value):
        return queryset.within(value) if value else queryset

    def checked(self, queryset, name, value):
        return queryset.filter(temperature_check=True) if value else queryset

    def with_closed(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset if self.form.cleaned_data.get("closed") else queryset.filter(active=True)

    def results(self):
        """The filtered venues; none while a filter is invalid, so a list never widens silently."""
        return self.qs if not self.is_bound or self.is_valid() else self.queryset.none()


class CheckInFilter(django_filters.FilterSet):
    """The check-ins of the user's area: by day (the tallies' day), unit, venue, phone or name."""

    q = django_filters.CharFilter(
        label=_("Phone or name"),
        method="search",
        max_length=60,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Phone or name")}),
    )
    day = DayFilter(label=_("Day"), field_name="day", widget=DATE)
    day_from = DayFilter(label=_("From"), field_name="day", lookup_expr="gte", widget=DATE)
    day_to = DayFilter(label=_("Until"), field_name="day", lookup_expr="lte", widget=DATE)
    unit = AlertUnitFilter(
        label=_("Unit"), queryset=AdminUnit.objects.none(), to_field_name="code", method="in_unit", empty_label=_("All")
    )
    venue = django_filters.CharFilter(label=_("Venue code"), method="at_venue", max_length=24)

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["unit"].queryset = alert_area_units(request.user) if request else AdminUnit.objects.none()

    def in_unit(self, queryset, name, value):
        return queryset.within(value) if value else queryset

    def at_venue(self, queryset, name, value):
        return queryset.filter(venue__code=value.strip().upper()) if value and value.strip() else queryset

    def search(self, queryset, name, value):
        text = (value or "").strip()
        if not text:
            return queryset
        digits = "".join(ch for ch in text if ch.isdigit())
        condition = Q(full_name__icontains=text)
        if len(digits) >= 6:
            condition |= Q(phone__endswith=digits[-9:])
        return queryset.filter(condition)

    def results(self):
        return self.qs if not self.is_bound or self.is_valid() else self.queryset.none()
