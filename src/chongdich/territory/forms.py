from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.territory.models import LEVEL_KINDS, AdminUnit, Kind, Level


class UnitPopulationForm(forms.ModelForm):
    class Meta:
        model = AdminUnit
        fields = [
            "population_total",
            "pop_0_17",
            "pop_18_49",
            "pop_50_64",
            "pop_65_plus",
            "population_as_of",
            "area_km2",
            "is_border",
            "lat",
            "lon",
        ]
        widgets = {"population_as_of": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class VillageForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, help_text=_("As written, e.g. “Thôn 3” or “Tổ dân phố 5”."))
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k.value, k.label) for k in Kind if k in LEVEL_KINDS[Level.VILLAGE]],
        initial=Kind.THON,
    )
    code = forms.CharField(
        label=_("Code"), max_length=20, required=False, help_text=_("Leave empty to number it automatically.")
    )
    population_total = forms.IntegerField(label=_("Population"), min_value=0, required=False)
