from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chongdich.portal.models import AnnouncementKind


def datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Find your commune, ward or district"), required=False, max_length=80)


class AnnouncementForm(forms.Form):
    unit = forms.CharField(
        label=_("Area (unit code)"),
        max_length=20,
        widget=forms.TextInput(attrs={"list": "scope-units", "inputmode": "numeric"}),
        help_text=_(
            "The commune, district or province the announcement is for; it also shows on the pages of the areas inside it."
        ),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=AnnouncementKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20_000,
        help_text=_("Public text: never write names of people, cases or addresses of households."),
    )
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=datetime_input(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        help_text=_("Leave empty to publish now. A change of level is announced 48 hours before it takes effect."),
    )
    expires_at = forms.DateTimeField(
        label=_("Show until"),
        required=False,
        widget=datetime_input(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
    )


class AutomaticAnnouncementForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to keep the title the system wrote from the change."),
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20_000,
        required=False,
        help_text=_("Public text: never write names of people, cases or addresses of households."),
    )


class HotlineForm(forms.Form):
    unit = forms.CharField(label=_("Area (unit code)"), max_length=20)
    label = forms.CharField(label=_("Whose number"), max_length=120)
    number = forms.CharField(label=_("Number"), max_length=30)
    position = forms.IntegerField(
        label=pgettext_lazy("position in a list", "Order"), min_value=0, max_value=99, initial=0, required=False
    )
