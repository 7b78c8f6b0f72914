"""Filters of the session list."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.vaccination.models import SessionStatus, Site
from chongdich.vaccination.selectors.table import sites_for

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SessionFilter(django_filters.FilterSet):
    site = django_filters.ModelChoiceFilter(label=_("Site"), queryset=Site.objects.none(), empty_label=_("All"))
    day = django_filters.DateFilter(label=_("Date"), field_name="day", widget=DATE)
    day_from = django_filters.DateFilter(label=_("From"), field_name="day", lookup_expr="gte", widget=DATE)
    day_to = django_filters.DateFilter(label=_("Until"), field_name="day", lookup_expr="lte", widget=DATE)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SessionStatus.choices, empty_label=_("All"))

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["site"].queryset = sites_for(request.user) if request else Site.objects.none()

    def results(self):
        """The filtered sessions; none while a filter is invalid (a list never widens silently)."""
        return self.qs if not self.is_bound or self.is_valid() else self.queryset.none()
