"""Filters of the alert list: kind, state (open = new or taken), owner, unit, the day raised, open on a
day (what the ``alerts_open`` tally counts: the dashboard's figure links here with ``open_on``)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.movement.forms.alerts import DayField
from chongdich.movement.models import VIEW, AlertKind, AlertState
from chongdich.movement.selectors.alerts import OPEN_STATES, open_on
from chongdich.people.forms import UnitChoiceField
from chongdich.territory.models import AdminUnit, Level

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OPEN = "open"


class DayFilter(django_filters.DateFilter):
    field_class = DayField


class UnitFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField


def area_units(user):
    """Districts, communes and villages of the user's area, to narrow the list to one of them."""
    units = AdminUnit.objects.filter(level__in=[Level.PROVINCE, Level.DISTRICT, Level.COMMUNE, Level.VILLAGE])
    return units.for_user(user, VIEW).select_related("parent").order_by("path")


def owner_choices(user, queryset) -> list[tuple[str, str]]:
    choices = [("me", _("Me")), ("none", _("Nobody yet"))]
    owners = (
        queryset.exclude(owner__isnull=True)
        .exclude(owner=user)
        .order_by()
        .values_list("owner_id", "owner__full_name", "owner__username")
        .distinct()
    )
    choices += sorted(((str(pk), name or login) for pk, name, login in owners), key=lambda c: c[1])
    return choices


class AlertFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=AlertKind.choices, empty_label=_("All"))
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=[(OPEN, _("Open (new or taken)")), *AlertState.choices],
        empty_label=_("All"),
        method="in_state",
    )
    owner = django_filters.ChoiceFilter(label=_("Owner"), choices=[], empty_label=_("Anyone"), method="of_owner")
    unit = UnitFilter(
        label=_("Unit"), queryset=AdminUnit.objects.none(), to_field_name="code", method="in_unit", empty_label=_("All")
    )
    day = DayFilter(label=_("Raised on"), field_name="day", widget=DATE)
    open_on = DayFilter(label=_("Open on"), method="open_at_end_of", widget=DATE)

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        user = request.user if request else None
        self.filters["unit"].queryset = area_units(user) if user else AdminUnit.objects.none()
        self.filters["owner"].extra["choices"] = owner_choices(user, queryset) if user else []

    def in_state(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(state__in=OPEN_STATES)
        return queryset.filter(state=value) if value else queryset

    def of_owner(self, queryset, name, value):
        if value == "me":
            return queryset.filter(owner=self.request.user)
        if value == "none":
            return queryset.filter(owner__isnull=True)
        return queryset.filter(owner_id=int(value)) if value and value.isdigit() else queryset

    def in_unit(self, queryset, name, value):
        return queryset.within(value) if value else queryset

    def open_at_end_of(self, queryset, name, value):
        return open_on(queryset, value) if value else queryset

    def results(self):
        """The filtered alerts; none while a filter is invalid, so an export never widens silently."""
        qs = self.qs if not self.is_bound or self.is_valid() else self.queryset.none()
        return qs.order_by("-raised_at", "-pk")
