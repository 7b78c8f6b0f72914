"""Filters of the officers' list of health declarations: a day or days, a unit of the area, symptoms,
epidemic area, and a search by name, phone or receipt code.  The movement index's figures link here with
``unit``, ``day`` and ``symptomatic=1``: the list then equals the figure."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chongdich.core.text import fold
from chongdich.movement.actions.declarations import normalise_receipt
from chongdich.movement.filters.alerts import DayFilter, UnitFilter, area_units
from chongdich.people.identity import IdentityError, normalize_phone
from chongdich.territory.models import AdminUnit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = [("1", _("Yes")), ("0", _("No"))]


class DeclarationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name, phone or receipt"),
        method="search",
        max_length=60,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, phone or receipt")}),
    )
    day = DayFilter(label=_("Day"), field_name="day", widget=DATE)
    day_from = DayFilter(label=_("From"), field_name="day", lookup_expr="gte", widget=DATE)
    day_to = DayFilter(label=_("Until"), field_name="day", lookup_expr="lte", widget=DATE)
    unit = UnitFilter(
        label=_("Unit"), queryset=AdminUnit.objects.none(), to_field_name="code", method="in_unit", empty_label=_("All")
    )
    symptomatic = django_filters.ChoiceFilter(
        label=_("With symptoms"), choices=YES_NO, method="yes_no", empty_label=_("All")
    )
    from_watched_area = django_filters.ChoiceFilter(
        label=_("From an epidemic area"), choices=YES_NO, method="yes_no", empty_label=_("All")
    )

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["unit"].queryset = area_units(request.user) if request else AdminUnit.objects.none()

    def in_unit(self, queryset, name, value):
        return queryset.within(value) if value else queryset

    def yes_no(self, queryset, name, value):
        return queryset.filter(**{name: value == "1"}) if value in ("1", "0") else queryset

    def search(self, queryset, name, value):
        text = (value or "").strip()
        if not text:
            return queryset
        receipt = normalise_receipt(text)
        condition = Q(full_name__icontains=text)
        folded = fold(text)
        if folded:  # "nguyen van a" finds "Nguyễn Văn A"
            condition |= Q(folded_name__contains=folded)
        if receipt:
            condition |= Q(receipt=receipt)
        digits = "".join(ch for ch in text if ch.isdigit() or ch == "+")
        if len(digits) >= 9:
            try:
                condition |= Q(phone=normalize_phone(digits))
            except IdentityError:
                pass
        return queryset.filter(condition)

    def results(self):
        return self.qs if not self.is_bound or self.is_valid() else self.queryset.none()
