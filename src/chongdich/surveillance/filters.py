"""Filters of the lists (cases, clusters, chains, the tracing lists; django-filter), shared by each page
and its Excel export.

A filter that does not validate is ignored rather than emptying the list (a mistyped date in a link
from the dashboard still shows the other filters' cases); what the filters mean lives in the selectors
(``narrow_cases``, ``narrow_clusters``), which the FilterSets call with the valid values.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from chongdich.surveillance.models import (
    Case,
    Chain,
    Cluster,
    Contact,
    ContactStatus,
    DetectedIn,
    Outcome,
    Setting,
    Severity,
    TreatmentPlace,
)
from chongdich.surveillance.selectors import (
    RANKS,
    clusters_for,
    narrow_cases,
    narrow_chains,
    narrow_clusters,
    narrow_contacts,
)

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


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ChainFilter(_ValuesFilterSet):
    """The chains list: its order (most active cases first unless asked) and a minimum size."""

    order = django_filters.ChoiceFilter(
        label=_("Order"),
        choices=[("active", _("Most active cases")), ("size", _("Largest")), ("recent", _("Latest case"))],
        empty_label=None,
        method=_declared,
    )
    min_size = IntegerFilter(label=_("At least (cases)"), min_value=1, method=_declared)

    class Meta:
        model = Chain
        fields: list[str] = []

    def narrow(self, queryset, values: dict):
        return narrow_chains(queryset, values)


STATUS_CHOICES = [("open", _("Not yet released")), *ContactStatus.choices, ("", _("All"))]


class TracingFilter(_ValuesFilterSet):
    """The tracing list of one case: by tracing status (every status unless asked) and rank."""

    default_status = ""

    status = django_filters.ChoiceFilter(
        label=_("Tracing status"), choices=STATUS_CHOICES, empty_label=None, method=_declared
    )
    rank = django_filters.ChoiceFilter(
        label=_("Rank"), choices=[(r, f"F{r}") for r in RANKS], empty_label=_("All"), method=_declared
    )

    class Meta:
        model = Contact
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, user, **kwargs):
        # A list opened without a status (the menu, a page link) shows — and says it shows — its default.
        data = data.copy() if data is not None else QueryDict(mutable=True)
        data.setdefault("status", self.default_status)
        super().__init__(data, queryset, **kwargs)
        self.user = user

    def narrow(self, queryset, values: dict):
        return narrow_contacts(queryset, self.user, values)


class WorklistFilter(TracingFilter):
    """Every contact in the user's area: those to find unless asked, by rank, unit code or a search."""

    default_status = ContactStatus.TO_FIND

    unit = django_filters.CharFilter(label=_("Unit code"), method=_declared)
    q = django_filters.CharFilter(label=_("Search"), method=_declared)
