"""Filters of the certificates list: people of the area with at least one dose, found by name, CCCD or phone."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from chongdich.people.selectors import search_people

MAX_QUERY = 100


class CertificateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name, citizen ID or phone"), method="search", max_length=MAX_QUERY)

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.user = request.user if request is not None else None

    def search(self, queryset, name, value):
        return search_people(self.user, value, base=queryset) if value and value.strip() else queryset

    def results(self):
        """The people found; none while the search is invalid (a list never widens silently)."""
        return self.qs if not self.is_bound or self.is_valid() else self.queryset.none()
