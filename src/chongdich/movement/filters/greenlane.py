"""Filters of the card list (and its export) and the trip list."""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.core.dates import WindowedDateField
from chongdich.core.scoping import for_user
from chongdich.core.text import fold
from chongdich.movement.models import VIEW, TripState
from chongdich.movement.selectors.greenlane import overdue_trips, plate_key
from chongdich.people.forms import UnitChoiceField
from chongdich.territory.models import AdminUnit, Level

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class UnitFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField


class WindowedDateFilter(django_filters.DateFilter):
    field_class = WindowedDateField


def area_units(user):
    """Districts and communes of the user's area, to narrow a list to one of them."""
    units = AdminUnit.objects.filter(level__in=[Level.DISTRICT, Level.COMMUNE])
    return for_user(units, user, VIEW, path_field="path").select_related("parent").order_by("path")


class ResultsMixin:
    def results(self):
        """The filtered rows; none while a filter is invalid, so an export never widens silently."""
        return self.qs if not self.is_bound or self.is_valid() else self.queryset.none()


CARD_STATES = (
    ("valid", _("Valid today")),
    ("revoked", _("Revoked")),
    ("expired", _("Expired")),
)


class CardFilter(ResultsMixin, django_filters.FilterSet):
    plate = django_filters.CharFilter(label=_("Plate"), method="by_plate", max_length=20)
    operator = django_filters.CharFilter(
        label=_("Transport operator"), field_name="operator", lookup_expr="icontains", max_length=80
    )
    valid_on = WindowedDateFilter(
        label=_("Valid on"), method="by_valid_on", widget=DATE, window="movement.card_valid_to"
    )
    state = django_filters.ChoiceFilter(label=_("State"), choices=CARD_STATES, method="by_state", empty_label=_("All"))

    def by_plate(self, queryset, name, value):
        key = plate_key(value)
        return queryset.filter(Q(plate__contains=key) | Q(number__icontains=value.strip())) if key else queryset

    def by_valid_on(self, queryset, name, value):
        end = clock.start_of(value) + timedelta(days=1)
        return queryset.filter(valid_from__lte=value, valid_to__gte=value).filter(
            Q(revoked_at__isnull=True) | Q(revoked_at__gte=end)
        )

    def by_state(self, queryset, name, value):
        today = clock.today()
        if value == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        if value == "expired":
            return queryset.filter(revoked_at__isnull=True, valid_to__lt=today)
        if value == "valid":
            return queryset.filter(revoked_at__isnull=True, valid_from__lte=today, valid_to__gte=today)
        return queryset


TRIP_STATES = (
    ("under_way", _("Under way")),
    ("overdue", _("Overdue")),
    ("arrived", _("Arrived")),
    ("cancelled", _("Cancelled")),
)


class TripFilter(ResultsMixin, django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("State"), choices=TRIP_STATES, method="by_status", empty_label=_("All")
    )
    plate = django_filters.CharFilter(label=_("Plate"), method="by_plate", max_length=20)
    destination = UnitFilter(
        label=_("To (district or commune)"),
        queryset=AdminUnit.objects.none(),
        to_field_name="code",
        method="to_unit",
        empty_label=_("All"),
    )
    origin = django_filters.CharFilter(label=_("From commune"), method="from_name", max_length=80)

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["destination"].queryset = area_units(request.user) if request else AdminUnit.objects.none()

    def by_status(self, queryset, name, value):
        if value == "overdue":
            return overdue_trips(queryset)
        if value == "under_way":
            return queryset.filter(state=TripState.UNDER_WAY)
        return queryset.filter(state=value) if value else queryset

    def by_plate(self, queryset, name, value):
        key = plate_key(value)
        return queryset.filter(plate__contains=key) if key else queryset

    def to_unit(self, queryset, name, value):
        return queryset.filter(unit_path__startswith=value.path) if value else queryset

    def from_name(self, queryset, name, value):
        for word in fold(value).split()[:6]:
            queryset = queryset.filter(
                Q(origin__folded_name__contains=word) | Q(origin__parent__folded_name__contains=word)
            )
        return queryset
