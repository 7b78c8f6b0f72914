"""Filters of the venue list and of a venue's check-ins."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.core.scoping import for_user
from chongdich.movement.models import VIEW, VenueKind
from chongdich.people.forms import UnitChoiceField
from chongdich.territory.models import AdminUnit, Level


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
