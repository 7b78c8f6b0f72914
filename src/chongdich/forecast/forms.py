"""Forms of the forecast pages: the place and day a page shows, a run started by hand, and the
province's forecast settings (every field empty = the rules' default; the rules check the whole)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock, dates
from chongdich.forecast.rules import config
from chongdich.forecast.selectors import RANKINGS

SHARES = (
    ("treatment", _("Share of cases treated in hospital beds")),
    ("oxygen", _("Share of cases needing oxygen")),
    ("icu", _("Share of cases needing intensive care")),
    ("home", _("Share of cases cared for at home")),
)
STAYS = (
    ("treatment", _("Days in a treatment bed")),
    ("oxygen", _("Days on oxygen")),
    ("icu", _("Days in intensive care")),
    ("active", _("Days a case stays active")),
    ("quarantine", _("Days in quarantine")),
)
SCALARS = (  # (key, label, field class, bounds, help)
    ("si_mean", _("Serial interval, mean (days)"), "float", (1.05, 20), _("Default 4.0 (Delta).")),
    ("si_sd", _("Serial interval, standard deviation (days)"), "float", (0.5, 15), _("Default 2.9 (Delta).")),
    ("window", _("Estimation window (days)"), "int", (3, 28), _("Default 7.")),
    ("min_cases", _("Fewest cases in the window for an estimate"), "int", (1, 1000), _("Default 12.")),
    ("f1_per_case", _("Close contacts (F1) per case"), "float", (0, 200), ""),
    ("tests_per_case", _("Tests per case"), "float", (0, 1000), ""),
    ("alert_days", _("Alert when a threshold may be reached within (days)"), "int", (1, 28), _("Default 7.")),
    (
        "alert_probability",
        _("Alert when Rt > 1 with a probability of at least"),
        "float",
        (0.5, 0.999),
        _("Default 0.95."),
    ),
)
IMPORTED = (
    ("imported", _("As imported: they infect others but were not infected locally")),
    ("local", _("As local cases")),
)


class PlaceForm(forms.Form):
    """The place, day and ranking a page shows; anything odd falls back to the default."""

    unit = forms.CharField(label=_("Unit"), required=False, max_length=20)
    day = forms.DateField(label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    by = forms.ChoiceField(
        label=_("Rank by"),
        required=False,
        choices=(("growth", _("Week-over-week growth")), ("rt", _("Rt"))),
    )

    def value(self, name: str):
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name) if name not in self.errors else None

    def day_shown(self) -> date:
        return dates.shown_day(self.value("day"))

    def ranking(self) -> str:
        return self.value("by") if self.value("by") in RANKINGS else "growth"


class RunForm(forms.Form):
    day = forms.DateField(label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = clock.today()
        self.fields["day"].widget.attrs.update({"min": dates.epidemic_start().isoformat(), "max": today.isoformat()})
        self.fields["day"].initial = today

    def clean_day(self):
        day = self.cleaned_data["day"]
        today = clock.today()
        if day > today:
            raise forms.ValidationError(_("A forecast can only be made up to today."))
        if day < dates.epidemic_start():
            raise forms.ValidationError(_("A forecast can only be made from the start of the epidemic."))
        return day


def _num(value: float) -> str:
    return number_format(value)


def _field(kind: str, label, bounds, help_text) -> forms.Field:
    low, high = bounds
    if kind == "int":
        return forms.IntegerField(label=label, required=False, min_value=low, max_value=high, help_text=help_text)
    return forms.FloatField(
        label=label,
        required=False,
        min_value=low,
        max_value=high,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )


class SettingsForm(forms.Form):
    """The province's overrides of the forecast configuration; the rules check the whole
    (``rules.config``) when the action saves it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label, kind, bounds, help_text in SCALARS:
            self.fields[key] = _field(kind, label, bounds, help_text)
        self.fields["imported"] = forms.ChoiceField(
            label=_("Cases found in quarantine, lockdown or at the border count"),
            required=False,
            choices=[("", _("Default (as imported)")), *IMPORTED],
        )
        defaults = config()
        for key, label in SHARES:
            self.fields[f"share_{key}"] = _field(
                "float",
                label,
                (0, 1),
                _("Default %(value)s; the shares add up to at most 1.") % {"value": _num(defaults.shares[key])},
            )
        for key, label in STAYS:
            self.fields[f"stay_{key}"] = _field(
                "int", label, (1, 90), _("Default %(value)s.") % {"value": defaults.stay_days[key]}
            )
        for key in ("f1_per_case", "tests_per_case"):
            self.fields[key].help_text = _("Default %(value)s.") % {"value": _num(getattr(defaults, key))}

    @staticmethod
    def initial_from(overrides: dict) -> dict:
        initial = {key: overrides[key] for key, *_rest in SCALARS if key in overrides}
        if overrides.get("imported"):
            initial["imported"] = overrides["imported"]
        for key, _label in SHARES:
            if key in (overrides.get("shares") or {}):
                initial[f"share_{key}"] = overrides["shares"][key]
        for key, _label in STAYS:
            if key in (overrides.get("stay_days") or {}):
                initial[f"stay_{key}"] = overrides["stay_days"][key]
        return initial

    def overrides(self) -> dict:
        """The fields filled in, as the rules' overrides (nested for shares and lengths of stay)."""
        data = self.cleaned_data
        result: dict = {key: data[key] for key, *_rest in SCALARS if data.get(key) is not None}
        if data.get("imported"):
            result["imported"] = data["imported"]
        shares = {key: data[f"share_{key}"] for key, _label in SHARES if data.get(f"share_{key}") is not None}
        stays = {key: data[f"stay_{key}"] for key, _label in STAYS if data.get(f"stay_{key}") is not None}
        if shares:
            result["shares"] = shares
        if stays:
            result["stay_days"] = stays
        return result

    def groups(self):
        """The fields in the page's sections."""
        scalars = [self[key] for key, *_rest in SCALARS]
        return [
            (_("Reproduction number"), [*scalars[:4], self["imported"]]),
            (_("Demand"), [self[f"share_{key}"] for key, _l in SHARES] + [self[f"stay_{key}"] for key, _l in STAYS]),
            (_("Contacts and tests"), scalars[4:6]),
            (_("Alerts"), scalars[6:]),
        ]
