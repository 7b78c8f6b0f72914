"""Filters of the AEFI list: severity, causality, outcome, onset, unit, and the district's inbox."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.territory.models import AdminUnit
from chongdich.vaccination.filters.stock import UnitFilter, area_units
from chongdich.vaccination.models import AefiOutcome, Causality, Severity
from chongdich.vaccination.selectors.aefi import inbox

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AefiFilter(django_filters.FilterSet):
    severity = django_filters.ChoiceFilter(label=_("Severity"), choices=Severity.choices, empty_label=_("All"))
    causality = django_filters.ChoiceFilter(label=_("Causality"), choices=Causality.choices, empty_label=_("All"))
    outcome = django_filters.ChoiceFilter(label=_("Outcome"), choices=AefiOutcome.choices, empty_label=_("All"))
    onset_from = django_filters.DateFilter(
        label=_("Onset from"), field_name="onset_at__date", lookup_expr="gte", widget=DATE
    )
    onset_to = django_filters.DateFilter(
        label=_("Onset until"), field_name="onset_at__date", lookup_expr="lte", widget=DATE
    )
    unit = UnitFilter(
        label=_("Unit"), queryset=AdminUnit.objects.none(), to_field_name="code", method="in_unit", empty_label=_("All")
    )
    inbox = django_filters.BooleanFilter(
        label=_("Only serious reactions not yet acknowledged"), method="in_inbox", widget=forms.CheckboxInput
    )

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["unit"].queryset = area_units(request.user) if request else AdminUnit.objects.none()

    def in_unit(self, queryset, name, value):
        return queryset.within(value) if value else queryset

    def in_inbox(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=[report.pk for report in inbox(self.request.user)])

    def results(self):
        return self.qs if not self.is_bound or self.is_valid() else self.queryset.none()
