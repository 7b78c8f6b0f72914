from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.reports.actions import MAX_LENGTHS


class PickForm(forms.Form):
    """Which unit and day to open (the index page's form; works without JavaScript)."""

    unit = forms.CharField(label=_("Unit code"), required=False, max_length=20)
    date = forms.DateField(
        label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ReportForm(forms.Form):
    cut_off = forms.TimeField(
        label=_("Cut-off time"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("The report gives the figures up to this time (the province's setting by default)."),
    )
    number = forms.CharField(
        label=_("Document number"),
        required=False,
        max_length=MAX_LENGTHS["number"],
        help_text=_("E.g. 125/BC-BCĐ; leave empty to write it by hand."),
    )
    comments = forms.CharField(
        label=_("Comments of the committee"),
        required=False,
        max_length=MAX_LENGTHS["comments"],
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The situation, measures taken, difficulties and proposals."),
    )
    recipients = forms.CharField(
        label=_("Recipients"),
        required=False,
        max_length=MAX_LENGTHS["recipients"],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One recipient per line."),
    )
    signer = forms.CharField(
        label=_("Signed by"),
        required=False,
        max_length=MAX_LENGTHS["signer"],
        help_text=_("Name of the head of the steering committee who signs."),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why reopen the report"), max_length=500)


class CutOffForm(forms.Form):
    cut_off = forms.TimeField(
        label=_("Cut-off time"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("The hour up to which the daily reports of the province's units count, e.g. 18:00."),
    )
