"""The notification settings form: muted kinds, channels by severity, the daily digest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.notices.models import Threshold


class MarkReadForm(forms.Form):
    notice = forms.IntegerField(required=False, min_value=1, max_value=2**62)
    all = forms.BooleanField(required=False)


class SettingsForm(forms.Form):
    email = forms.ChoiceField(label=_("By email"), choices=Threshold.choices)
    sms = forms.ChoiceField(label=_("By SMS"), choices=Threshold.choices)
    zalo = forms.ChoiceField(label=_("By Zalo"), choices=Threshold.choices)
    digest = forms.BooleanField(label=_("A daily digest by email of the day's unread notifications"), required=False)
    receive = forms.MultipleChoiceField(
        label=_("Kinds you receive"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, kind_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receive"].choices = list(kind_choices)
