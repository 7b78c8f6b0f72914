"""Filters of the sample list, shared by the page and its Excel export."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chongdich.core.scoping import within_unit
from chongdich.testing.models import Lab, Sample, SampleKind, SampleReason, SampleStatus
from chongdich.testing.selectors import labs_for, labs_to_choose, pending_samples, search_samples

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SampleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Result"), choices=SampleStatus.choices, empty_label=_("All"))
    kind = django_filters.ChoiceFilter(label=_("Test"), choices=SampleKind.choices, empty_label=_("All"))
    reason = django_filters.ChoiceFilter(label=_("Reason"), choices=SampleReason.choices, empty_label=_("All"))
    lab = django_filters.ModelChoiceFilter(label=_("Laboratory"), queryset=Lab.objects.none(), empty_label=_("All"))
    taken_from = django_filters.DateFilter(label=_("Taken from"), field_name="taken_on", lookup_expr="gte", widget=DATE)
    taken_to = django_filters.DateFilter(label=_("Taken until"), field_name="taken_on", lookup_expr="lte", widget=DATE)
    # The dashboard counts tests by the day of their result: its links filter on that day.
    result_from = django_filters.DateFilter(
        label=_("Result from"), field_name="result_on", lookup_expr="gte", widget=DATE
    )
    result_to = django_filters.DateFilter(
        label=_("Result until"), field_name="result_on", lookup_expr="lte", widget=DATE
    )
    # The dashboard's "tests" count samples with a valid result (negative or positive), and "waiting"
    # the samples still without a result at the end of a day: its links ask for exactly these.
    tested = django_filters.BooleanFilter(
        label=_("Only valid results (negative or positive)"), method="with_result", widget=forms.HiddenInput
    )
    pending_on = django_filters.DateFilter(label=_("Waiting for a result on"), method="waiting_on", widget=DATE)
    unit = django_filters.CharFilter(label=_("Unit code"), method="in_unit", widget=forms.HiddenInput)

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["lab"].queryset = (
            labs_to_choose(request.user, active_only=False) if request else Lab.objects.none()
        )

    def in_unit(self, queryset, name, value):
        """Samples of a unit's subtree; the list's own scope still applies (a code can only narrow it)."""
        return within_unit(queryset, value)[0]

    def with_result(self, queryset, name, value):
        return queryset.filter(status__in=(SampleStatus.NEGATIVE, SampleStatus.POSITIVE)) if value else queryset

    def waiting_on(self, queryset, name, value):
        """Taken by ``value`` and without a result at the end of that day (as the tallies count them)."""
        return queryset.filter(taken_on__lte=value).filter(
            Q(status=SampleStatus.PENDING) | Q(result_on__isnull=True) | Q(result_on__gt=value)
        )

    def search(self, queryset, name, value):
        return search_samples(self.request.user, value, base=queryset)

    def results(self):
        """The filtered samples; none while a filter is invalid, so that an export never widens silently."""
        return self.qs if not self.is_bound or self.is_valid() else self.queryset.none()

    def rows(self):
        """The filtered samples as the list shows them."""
        return self.results().select_related("person", "lab")

    def active_filters(self) -> dict[str, str]:
        """The filters in use, for the audit of an export."""
        return {k: v for k, v in (self.data or {}).items() if v and k in self.filters}


class PendingFilter(django_filters.FilterSet):
    """Samples waiting for a result, of one lab (``?lab=<pk>``, a lab the user sees) or of all."""

    lab = django_filters.ModelChoiceFilter(queryset=Lab.objects.none(), widget=forms.HiddenInput)

    class Meta:
        model = Sample
        fields = ["lab"]

    def __init__(self, data=None, queryset=None, *, request, **kwargs):
        super().__init__(
            data, pending_samples(request.user) if queryset is None else queryset, request=request, **kwargs
        )
        self.filters["lab"].queryset = labs_for(request.user)

    def chosen_lab(self) -> Lab | None:
        return self.form.cleaned_data.get("lab") if self.is_bound and self.is_valid() else None
