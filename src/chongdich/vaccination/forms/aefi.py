"""The AEFI report form: onset as a day and an hour, the WHO classes as choices."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.core.dates import WindowedDateField
from chongdich.vaccination.models import AefiOutcome, AefiReport, Causality, Severity

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class AefiForm(forms.Form):
    onset_day = WindowedDateField(
        label=_("Onset: day"), widget=DATE, window="vaccination.aefi_onset", initial=clock.today
    )
    onset_time = forms.TimeField(
        label=_("Onset: hour"), required=False, widget=TIME, help_text=_("Leave empty when not known.")
    )
    manifestation = forms.CharField(
        label=_("Manifestation"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was seen: fever, rash, difficult breathing, fainting…"),
    )
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, widget=forms.RadioSelect)
    treatment = forms.CharField(label=_("Treatment"), max_length=300, required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=AefiOutcome.choices, initial=AefiOutcome.UNKNOWN)
    reporter = forms.CharField(label=_("Reported by"), max_length=120, required=False)
    causality = forms.ChoiceField(
        label=_("Causality (WHO)"),
        choices=Causality.choices,
        initial=Causality.PENDING,
        help_text=_("Assessed later by the district's AEFI council; leave “Not yet assessed” meanwhile."),
    )
    note = forms.CharField(label=_("Note"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, dose, **kwargs):
        super().__init__(*args, **kwargs)
        self.dose = dose

    def onset(self) -> datetime:
        """The day and hour typed; without an hour, the start of the day — or the time of the dose when
        it was given that day (a reaction never begins before its dose)."""
        data = self.cleaned_data
        onset = timezone.make_aware(datetime.combine(data["onset_day"], data.get("onset_time") or time(0, 0)))
        given_at = self.dose.given_at
        if data.get("onset_time") is None and given_at is not None and given_at > onset:
            if timezone.localtime(given_at).date() == data["onset_day"]:
                return given_at
        return onset

    def report_data(self) -> dict:
        data = self.cleaned_data
        return {
            "onset_at": self.onset(),
            "manifestation": data["manifestation"],
            "severity": data["severity"],
            "treatment": data.get("treatment") or "",
            "outcome": data["outcome"],
            "reporter": data.get("reporter") or "",
            "causality": data["causality"],
            "note": data.get("note") or "",
        }

    @staticmethod
    def initial_of(report: AefiReport) -> dict:
        onset = timezone.localtime(report.onset_at)
        return {
            "onset_day": onset.date(),
            "onset_time": onset.time().replace(second=0, microsecond=0),
            "manifestation": report.manifestation,
            "severity": report.severity,
            "treatment": report.treatment,
            "outcome": report.outcome,
            "reporter": report.reporter,
            "causality": report.causality,
            "note": report.note,
        }
