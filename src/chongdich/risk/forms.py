from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.risk.models import FrameworkChoice, ProvinceRiskSetting, TaskStatus
from chongdich.risk.rules import scale


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DayForm(forms.Form):
    """The day a page shows (default today)."""

    date = forms.DateField(label=_("Day"), required=False, widget=date_input())


class OverviewForm(DayForm):
    unit = forms.CharField(label=_("Unit code"), required=False, max_length=20)


class OverrideForm(forms.Form):
    level = forms.TypedChoiceField(label=_("Level to apply"), coerce=int, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason and decision"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("E.g. the number and date of the committee's decision, and why a stronger level is needed."),
    )
    valid_from = forms.DateField(label=_("From"), widget=date_input())
    valid_to = forms.DateField(
        label=_("Until (last day)"),
        required=False,
        widget=date_input(),
        help_text=_("Leave empty until the committee decides otherwise."),
    )

    def __init__(self, *args, framework: str, lang: str = "vi", **kwargs):
        super().__init__(*args, **kwargs)
        levels = scale(framework)
        label = levels.label_en if lang == "en" else levels.label_vi
        name = levels.name_en if lang == "en" else levels.name_vi
        self.fields["level"].choices = [(level, f"{label(level)} — {name(level)}") for level in levels.levels]


class ReadinessForm(forms.Form):
    ready = forms.TypedChoiceField(
        label=_("Treatment capacity"),
        coerce=lambda value: value == "yes",
        choices=[("yes", _("Ready")), ("no", _("Not ready"))],
        widget=forms.RadioSelect,
    )
    effective_from = forms.DateField(label=_("From"), widget=date_input())
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_(
            "E.g. oxygen at every commune health station, mobile health stations planned, "
            "treatment facilities operating."
        ),
    )


class ProvinceSettingForm(forms.ModelForm):
    effective_from = forms.DateField(label=_("From"), widget=date_input())

    class Meta:
        model = ProvinceRiskSetting
        fields = [
            "effective_from",
            "framework",
            "raise_border_by",
            "raise_next_to_higher_by",
            "notice_hours",
            "scenario_tier",
            "scenario_2_from",
            "scenario_3_above",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].choices = [("", _("By date (national)")), *FrameworkChoice.choices]


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(choices=TaskStatus.choices)
    note = forms.CharField(required=False, max_length=2000)


class MeasuresForm(DayForm):
    framework = forms.ChoiceField(
        label=_("Framework"), required=False, choices=[("", _("In force on the day")), *FrameworkChoice.choices]
    )
    province = forms.CharField(
        label=_("Province code"),
        required=False,
        max_length=8,
        help_text=_("Shows the province's own changes to the national catalogue."),
    )
