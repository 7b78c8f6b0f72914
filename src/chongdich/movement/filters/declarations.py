"""Filters of the officers' list of health declarations: days, commune, symptoms, epidemic area, and a
search by name, phone or receipt code."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chongdich.movement.actions.declarations import normalise_receipt
from chongdich.movement.selectors.declarations import area_communes
from chongdich.people.identity import IdentityError, normalize_phone
from chongdich.territory.models import AdminUnit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class DeclarationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name, phone or receipt"),
        method="search",
        max_length=60,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, phone or receipt")}),
    )
    day_from = django_filters.DateFilter(label=_("From"), field_name="day", lookup_expr="gte", widget=DATE)
    day_to = django_filters.DateFilter(label=_("Until"), field_name="day", lookup_expr="lte", widget=DATE)
    commune = django_filters.ModelChoiceFilter(
        label=_("Commune"),
        queryset=AdminUnit.objects.none(),
        to_field_name="code",
        method="in_commune",
        empty_label=_("All"),
    )
    symptomatic = django_filters.ChoiceFilter(
        label=_("With symptoms"), choices=YES_NO, method="yes_no", empty_label=_("All")
    )
    from_watched_area = django_filters.ChoiceFilter(
        label=_("From an epidemic area"), choices=YES_NO, method="yes_no", empty_label=_("All")
    )

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["commune"].queryset = area_communes(request.user) if request else AdminUnit.objects.none()

    def in_commune(self, queryset, name, value):
        return queryset.within(value) if value else queryset

    def yes_no(self, queryset, name, value):
        return queryset.filter(**{name: value == "yes"}) if value in ("yes", "no") else queryset

    def search(self, queryset, name, value):
        text = (value or "").strip()
        if not text:
            return queryset
        receipt = normalise_receipt(text)
        condition = Q(full_name__icontains=text)
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
