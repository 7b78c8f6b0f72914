from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.core.dates import WindowedDateField


class CatalogueDayForm(forms.Form):
    on = WindowedDateField(label=_("Rules in force on"), required=False, window="vaccination.session_day")


class ProvinceRulesForm(forms.Form):
    versions = forms.CharField(
        label=_("The province's rule versions (JSON)"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 14, "class": "font-monospace", "spellcheck": "false"}),
        help_text=_(
            "A list of rule versions that override the national catalogue for this province from a date "
            "(see docs/vaccination/rules.md). An empty list [] removes the province's overrides."
        ),
    )
