"""Filters of the forecast lists (the growth ranking and what runs out first), shared by the pages
and their Excel exports."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from chongdich.core.text import fold
from chongdich.forecast.models import Estimate, Runout, RunoutKind

WITHIN = (("7", _("within 7 days")), ("14", _("within 14 days")), ("28", _("within 28 days")))


class _Results:
    def results(self):
        """The filtered rows; none while a filter is invalid, so that an export never widens silently."""
        return self.qs if not self.is_bound or self.is_valid() else self.queryset.none()


class RankingFilter(_Results, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Unit name"), method="search", max_length=60)
    reliable = django_filters.ChoiceFilter(
        label=_("Estimates"),
        choices=(("yes", _("Enough cases only")), ("no", _("Too few cases only"))),
        empty_label=_("All"),
        method="by_reliable",
    )

    class Meta:
        model = Estimate
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.filter(unit__folded_name__contains=fold(value)) if value.strip() else queryset

    def by_reliable(self, queryset, name, value):
        return queryset.filter(reliable=value == "yes")


class RunoutFilter(_Results, django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Threshold"), choices=RunoutKind.choices, empty_label=_("All"))
    within = django_filters.ChoiceFilter(
        label=_("Reached at the earliest"), choices=WITHIN, empty_label=_("Any time"), method="reached_within"
    )

    class Meta:
        model = Runout
        fields: list[str] = []

    def reached_within(self, queryset, name, value):
        """Reached within ``value`` days at the earliest (the 95% projection)."""
        return queryset.filter(days_early__isnull=False, days_early__lte=int(value))
