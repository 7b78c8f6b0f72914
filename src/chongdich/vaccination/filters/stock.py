"""Filters of the site list, the stock page (and its export) and the lot list."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.core.scoping import for_user
from chongdich.people.forms import UnitChoiceField
from chongdich.territory.models import AdminUnit, Level
from chongdich.vaccination.forms.stock import product_choices
from chongdich.vaccination.models import VIEW, SiteKind


class UnitFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField


def area_units(user):
    """Districts and communes of the user's area, to narrow a list to one of them."""
    units = AdminUnit.objects.filter(level__in=[Level.DISTRICT, Level.COMMUNE])
    return for_user(units, user, VIEW, path_field="path").select_related("parent").order_by("path")


class AreaSiteFilter(django_filters.FilterSet):
    """Sites of the user's area by name, unit and kind."""

    q = django_filters.CharFilter(label=_("Name"), field_name="name", lookup_expr="icontains")
    unit = UnitFilter(
        label=_("Unit"), queryset=AdminUnit.objects.none(), to_field_name="code", method="in_unit", empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=SiteKind.choices, empty_label=_("All"))

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["unit"].queryset = area_units(request.user) if request else AdminUnit.objects.none()

    def in_unit(self, queryset, name, value):
        return queryset.within(value) if value else queryset

    def results(self):
        """The filtered sites; none while a filter is invalid, so an export never widens silently."""
        return self.qs if not self.is_bound or self.is_valid() else self.queryset.none()


class SiteFilter(AreaSiteFilter):
    """The site list: closed sites only when asked."""

    closed = django_filters.BooleanFilter(
        label=_("Include closed sites"), method="with_closed", widget=forms.CheckboxInput
    )

    def with_closed(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset if self.form.cleaned_data.get("closed") else queryset.filter(active=True)


class StockFilter(AreaSiteFilter):
    """The stock page: the sites of ``SiteFilter`` (closed ones included: they may still hold doses)
    and one vaccine."""

    product = django_filters.ChoiceFilter(label=_("Vaccine"), choices=(), method="by_product", empty_label=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["product"].extra["choices"] = [("", _("All"))] + product_choices()[1:]

    def by_product(self, queryset, name, value):
        return queryset  # applied to the lines (stock_lines(product=…)), not to the sites

    def product_value(self) -> str:
        return (self.form.cleaned_data.get("product") or "") if self.is_bound and self.is_valid() else ""


class LotFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Lot number"), field_name="number", lookup_expr="icontains")
    product = django_filters.ChoiceFilter(label=_("Vaccine"), choices=(), empty_label=_("All"))
    expired = django_filters.BooleanFilter(
        label=_("Include expired lots"), method="with_expired", widget=forms.CheckboxInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["product"].extra["choices"] = product_choices()[1:]

    def with_expired(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("expired"):
            return queryset
        return queryset.filter(Q(expires_on__gte=clock.today()))
