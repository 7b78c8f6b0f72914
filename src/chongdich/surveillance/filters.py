"""Filters of the case and cluster lists (django-filter), shared by each page and its Excel export.

A filter that does not validate is ignored rather than emptying the list (a mistyped date in a link
from the dashboard still shows the other filters' cases); what the filters mean lives in the selectors
(``narrow_cases``, ``narrow_clusters``), which the FilterSets call with the valid values.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.surveillance.models import Case, Cluster, DetectedIn, Outcome, Setting, Severity, TreatmentPlace
from chongdich.surveillance.selectors import clusters_for, narrow_cases, narrow_clusters

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _ValuesFilterSet(django_filters.FilterSet):
    """Every filter is applied by the selector at once (``narrow``), from the valid, non-empty values."""

    def values(self) -> dict:
        """The valid filters in use (an invalid one is ignored)."""
        self.is_valid()
        return {k: v for k, v in getattr(self.form, "cleaned_data", {}).items() if v not in (None, "")}

    def filter_queryset(self, queryset):
        return self.narrow(queryset, self.values())

    def narrow(self, queryset, values: dict):
        raise NotImplementedError


def _declared(queryset, name, value):
    return queryset  # applied with the others in ``narrow``


class CaseFilter(_ValuesFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method=_declared)
    outcome = django_filters.ChoiceFilter(
        label=_("Outcome"), choices=Outcome.choices, empty_label=_("All"), method=_declared
    )
    detected_in = django_filters.ChoiceFilter(
        label=_("Detected"), choices=DetectedIn.choices, empty_label=_("All"), method=_declared
    )
    treatment_place = django_filters.ChoiceFilter(
        label=_("Treatment place"), choices=TreatmentPlace.choices, empty_label=_("All"), method=_declared
    )
    severity = django_filters.ChoiceFilter(
        label=_("Severity"), choices=Severity.choices, empty_label=_("All"), method=_declared
    )
    cluster = django_filters.ModelChoiceFilter(
        label=_("Cluster"), queryset=Cluster.objects.none(), empty_label=_("All"), method=_declared
    )
    confirmed_from = django_filters.DateFilter(label=_("Confirmed from"), widget=DATE, method=_declared)
    confirmed_to = django_filters.DateFilter(label=_("Confirmed until"), widget=DATE, method=_declared)
    # What the dashboard's figures count, by dates: under treatment at the end of a day (then the
    # treatment place is where the case was that day), and outcomes (deaths…) over a period.
    active_on = django_filters.DateFilter(label=_("Under treatment on"), widget=DATE, method=_declared)
    outcome_from = django_filters.DateFilter(label=_("Outcome from"), widget=DATE, method=_declared)
    outcome_to = django_filters.DateFilter(label=_("Outcome until"), widget=DATE, method=_declared)
    unit = django_filters.CharFilter(label=_("Unit code"), method=_declared)

    class Meta:
        model = Case
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.user = user
        self.filters["cluster"].queryset = clusters_for(user).order_by("-opened_on", "name")

    def narrow(self, queryset, values: dict):
        return narrow_cases(queryset, self.user, values)


class ClusterFilter(_ValuesFilterSet):
    q = django_filters.CharFilter(label=_("Name"), method=_declared)
    setting = django_filters.ChoiceFilter(
        label=_("Setting"), choices=Setting.choices, empty_label=_("All"), method=_declared
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=[("open", _("Open")), ("closed", _("Closed"))], empty_label=_("All"), method=_declared
    )

    class Meta:
        model = Cluster
        fields: list[str] = []

    def narrow(self, queryset, values: dict):
        return narrow_clusters(queryset, values)
