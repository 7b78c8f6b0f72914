"""Filters of the checkpoint list and the passage list (and its export)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chongdich.core.dates import WindowedDateField
from chongdich.core.scoping import for_user
from chongdich.movement import rules
from chongdich.movement.models import VIEW, Checkpoint, CheckpointKind, Direction, PassageAction, Way
from chongdich.people.forms import UnitChoiceField
from chongdich.territory.models import AdminUnit, Level

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = [("", _("All")), ("true", _("In operation")), ("false", _("Closed"))]


class UnitFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField


class WindowedDateFilter(django_filters.DateFilter):
    field_class = WindowedDateField


def area_units(user):
    """Districts and communes of the user's area, to narrow a list to one of them."""
    units = AdminUnit.objects.filter(level__in=[Level.DISTRICT, Level.COMMUNE])
    return for_user(units, user, VIEW, path_field="path").select_related("parent").order_by("path")


class _Results:
    def results(self):
        """The filtered rows; none while a filter is invalid, so an export never widens silently."""
        return self.qs if not self.is_bound or self.is_valid() else self.queryset.none()


class CheckpointFilter(_Results, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or code"), method="by_name")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CheckpointKind.choices, empty_label=_("All"))
    way = django_filters.ChoiceFilter(label=_("Way"), choices=Way.choices, empty_label=_("All"))
    unit = UnitFilter(
        label=_("Commune"),
        queryset=AdminUnit.objects.none(),
        to_field_name="code",
        method="in_unit",
        empty_label=_("All"),
    )
    active = django_filters.ChoiceFilter(label=_("State"), choices=YES_NO[1:], empty_label=_("All"), method="by_active")

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["unit"].queryset = area_units(request.user) if request else AdminUnit.objects.none()

    def by_name(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(name__icontains=value) | queryset.filter(code__icontains=value)

    def in_unit(self, queryset, name, value):
        return queryset.within(value) if value else queryset

    def by_active(self, queryset, name, value):
        return queryset.filter(active=value == "true") if value else queryset


class PassageFilter(_Results, django_filters.FilterSet):
    checkpoint = django_filters.ModelChoiceFilter(
        label=_("Checkpoint"), queryset=Checkpoint.objects.none(), empty_label=_("All")
    )
    start = WindowedDateFilter(
        label=_("From date"), field_name="day", lookup_expr="gte", widget=DATE, window="movement.passage"
    )
    end = WindowedDateFilter(
        label=_("To date"), field_name="day", lookup_expr="lte", widget=DATE, window="movement.passage"
    )
    direction = django_filters.ChoiceFilter(
        label=pgettext_lazy("passage", "Direction"), choices=Direction.choices, empty_label=_("All")
    )
    action = django_filters.ChoiceFilter(
        label=pgettext_lazy("passage", "Action"), choices=PassageAction.choices, empty_label=_("All")
    )
    plate = django_filters.CharFilter(label=_("Plate"), method="by_plate", max_length=20)
    shift = django_filters.NumberFilter(field_name="shift_id", widget=forms.HiddenInput, min_value=1, max_value=2**62)

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        if request is not None:
            checkpoints = Checkpoint.objects.for_user(request.user, VIEW).order_by("name")
            self.filters["checkpoint"].queryset = checkpoints

    def by_plate(self, queryset, name, value):
        raw = (value or "").strip()
        if not raw:
            return queryset
        try:
            key = rules.normalise_plate(raw)
        except (rules.InputError, ValueError):
            key = "".join(ch for ch in raw.upper() if ch.isalnum())
        return queryset.filter(plate__startswith=key) if key else queryset
