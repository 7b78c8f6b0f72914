"""Filters of the people list, shared by the page and its Excel export."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.core.roles import Cap
from chongdich.people.models import OccupationGroup, ResidenceStatus, Sex
from chongdich.people.selectors import people_for, search_people
from chongdich.territory.selectors import unit_by_code

AGE_RANGES = {"0-17": (0, 17), "18-49": (18, 49), "50-64": (50, 64), "65-": (65, 150)}
AGE_CHOICES = [("0-17", "0–17"), ("18-49", "18–49"), ("50-64", "50–64"), ("65-", "65+")]


class PersonFilter(django_filters.FilterSet):
    """People in the user's scope (for ``capability``) narrowed by the list's filters; a filter whose
    value is not valid is ignored."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    unit = django_filters.CharFilter(label=_("Unit code"), method="in_unit")
    sex = django_filters.ChoiceFilter(label=_("Sex"), choices=Sex.choices, empty_label=_("All"))
    age = django_filters.ChoiceFilter(label=_("Age"), choices=AGE_CHOICES, empty_label=_("All"), method="aged")
    residence_status = django_filters.ChoiceFilter(
        label=_("Residence status"), choices=ResidenceStatus.choices, empty_label=_("All")
    )
    occupation_group = django_filters.ChoiceFilter(
        label=_("Occupation"), choices=OccupationGroup.choices, empty_label=_("All")
    )

    def __init__(self, data=None, *, user, capability: str = Cap.PEOPLE_VIEW, **kwargs):
        self.user = user
        super().__init__(data, people_for(user, capability).select_related("unit"), **kwargs)
        for field in self.form.fields.values():  # Bootstrap's look, set here rather than by a script in the page
            if isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")

    def search(self, queryset, name, value):
        return search_people(self.user, value, base=queryset)

    def in_unit(self, queryset, name, value):
        """People of a unit's subtree; the scope still applies (a code can only narrow the list)."""
        unit = unit_by_code(value)
        return queryset.none() if unit is None else queryset.within(unit)

    def aged(self, queryset, name, value):
        low, high = AGE_RANGES[value]
        year = clock.today().year
        return queryset.filter(birth_year__gte=year - high, birth_year__lte=year - low)

    @property
    def people(self):
        """The filtered people: by relevance when searched by name, else by name."""
        people = self.qs  # validates the form
        searched = self.is_bound and self.form.cleaned_data.get("q")
        return people if searched else people.order_by("folded_name", "pk")
