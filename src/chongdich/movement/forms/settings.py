"""The form of the province's movement settings (the watched units come from a unit search)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.movement.actions.settings import BOUNDS, MAX_WATCHED

LEVEL_CHOICES = (
    ("green", _("Level 1 – green (new normal)")),
    ("yellow", _("Level 2 – yellow (medium risk)")),
    ("orange", _("Level 3 – orange (high risk)")),
    ("red", _("Level 4 – red (very high risk)")),
)
MINUTES = {"inputmode": "numeric"}


class MovementSettingsForm(forms.Form):
    alert_levels = forms.MultipleChoiceField(
        label=_("Arrivals from communes at these levels raise an alert"),
        choices=LEVEL_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    watched_units = forms.MultipleChoiceField(
        label=_("Watched units (whatever their level)"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    trip_grace_minutes = forms.IntegerField(
        label=_("Grace period of a green-lane trip (minutes)"),
        min_value=BOUNDS["trip_grace_minutes"][0],
        max_value=BOUNDS["trip_grace_minutes"][1],
        widget=forms.NumberInput(attrs=MINUTES),
        help_text=_("A trip not confirmed by its expected arrival plus this becomes an alert."),
    )
    checkin_stay_minutes = forms.IntegerField(
        label=_("Assumed stay at a venue (minutes)"),
        min_value=BOUNDS["checkin_stay_minutes"][0],
        max_value=BOUNDS["checkin_stay_minutes"][1],
        widget=forms.NumberInput(attrs=MINUTES),
        help_text=_("When a check-in has no check-out."),
    )
    checkin_margin_minutes = forms.IntegerField(
        label=_("Overlap margin of check-ins (minutes)"),
        min_value=BOUNDS["checkin_margin_minutes"][0],
        max_value=BOUNDS["checkin_margin_minutes"][1],
        widget=forms.NumberInput(attrs=MINUTES),
        help_text=_("Two visits closer than this count as overlapping (candidate contacts)."),
    )
    unit_query = forms.CharField(
        label=_("Add a province, district or commune"),
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "enterkeyhint": "search"}),
    )

    def __init__(self, *args, unit_choices, **kwargs):
        """``unit_choices``: (code, label) of the watched units and of the units found by the search."""
        super().__init__(*args, **kwargs)
        self.fields["watched_units"].choices = unit_choices

    def clean_watched_units(self):
        codes = self.cleaned_data["watched_units"]
        if len(codes) > MAX_WATCHED:
            raise forms.ValidationError(
                _("At most %(most)s watched units: pick a district or a province instead.") % {"most": MAX_WATCHED}
            )
        return codes

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "alert_levels": data.get("alert_levels") or [],
            "watched_units": data.get("watched_units") or [],
            "trip_grace_minutes": data["trip_grace_minutes"],
            "checkin_stay_minutes": data["checkin_stay_minutes"],
            "checkin_margin_minutes": data["checkin_margin_minutes"],
        }
