"""The reconciliation work list's filters: status (open by default), problem, import, name or CCCD."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chongdich.core.text import fold_words
from chongdich.vaccination.models import Mismatch, PlatformRecord, ReconcileStatus
from chongdich.vaccination.selectors.platform import records_for


class PlatformRecordFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ReconcileStatus.choices, empty_label=_("All"), method="by_status"
    )
    problem = django_filters.ChoiceFilter(label=_("Problem"), choices=Mismatch.choices, empty_label=_("All"))
    job = django_filters.NumberFilter(field_name="import_job_id", widget=forms.HiddenInput)
    q = django_filters.CharFilter(label=_("Name or citizen ID"), method="search", max_length=60)

    class Meta:
        model = PlatformRecord
        fields = ["status", "problem", "job", "q"]

    def __init__(self, data=None, queryset=None, *, request, **kwargs):
        data = data.copy() if data is not None else {}
        if "status" not in data:
            data["status"] = ReconcileStatus.OPEN  # the work to do, unless asked otherwise
        super().__init__(data, records_for(request.user) if queryset is None else queryset, request=request, **kwargs)

    def by_status(self, queryset, name, value):
        return queryset.filter(status=value) if value else queryset

    def search(self, queryset, name, value):
        digits = "".join(ch for ch in value if ch.isdigit())
        folded = fold_words(value)
        condition = Q(pk__in=[])
        if len(digits) >= 6:
            condition |= Q(cccd__startswith=digits) | Q(phone__contains=digits[-9:])
        if folded:
            condition |= Q(folded_name__contains=folded)
        return queryset.filter(condition)

    @property
    def without_problem(self):
        """The rows of every filter but the problem (what the counts by problem are taken from)."""
        queryset = self.queryset
        if not self.is_valid():
            return queryset.filter(status=ReconcileStatus.OPEN)
        for name, value in self.form.cleaned_data.items():
            if name != "problem" and value not in (None, ""):
                queryset = self.filters[name].filter(queryset, value)
        return queryset
