"""The public health declaration form, and the officers' receipt lookup.

The form bounds what a phone can send (lengths, choices, a year as a number) and keeps what was
typed; the checks that the API shares (phone, CCCD, units, dates, codes) are ``build_declaration``'s,
whose refusal ``core.forms.submit`` puts on these same fields.  The commune is picked in a search box
(``commune_query``; the page's script fills the hidden ``commune_code``); without the script, a name
that names exactly one commune is taken, and several are offered to choose from.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.core.dates import year_bounds
from chongdich.movement.actions.declarations import build_declaration
from chongdich.movement.models import Sex, Transport
from chongdich.movement.selectors.declarations import (
    commune_label,
    commune_of,
    exposure_choices,
    search_communes,
    symptom_choices,
    villages_of,
)

TEXT = {"autocomplete": "off", "spellcheck": "false"}


class DeclarationForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name", "autocapitalize": "words"}),
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "bday-year", "placeholder": "1990"}),
        error_messages={"invalid": _("Enter the year of birth as 4 digits.")},
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=Sex.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        required=False,
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    cccd = forms.CharField(
        label=_("Citizen ID (CCCD), if you have one"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", **TEXT}),
    )
    commune_query = forms.CharField(
        label=_("Commune or ward where you stay"),
        max_length=120,
        required=False,
        help_text=_("Type the name without accents if you like, e.g. “duc hanh” or “phu van binh phuoc”."),
        widget=forms.TextInput(attrs={"type": "search", **TEXT}),
    )
    commune_code = forms.CharField(max_length=16, required=False, widget=forms.HiddenInput)
    village = forms.CharField(
        label=_("Village, hamlet or residential group"), max_length=16, required=False, widget=forms.Select
    )
    address = forms.CharField(
        label=_("House number, street"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    from_query = forms.CharField(
        label=_("Where you came from"),
        max_length=160,
        required=False,
        help_text=_("A commune in Viet Nam (pick it from the list), or a country. Leave empty if you did not travel."),
        widget=forms.TextInput(attrs={"type": "search", **TEXT}),
    )
    arrived_from_commune_code = forms.CharField(max_length=16, required=False, widget=forms.HiddenInput)
    arrived_on = forms.DateField(
        label=_("Day you arrived"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the day you arrived as a date (dd/mm/yyyy).")},
    )
    transport = forms.ChoiceField(label=_("Transport"), choices=[("", "—"), *Transport.choices], required=False)
    transport_detail = forms.CharField(
        label=_("Flight, train, coach or plate number"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
    )
    symptoms = forms.MultipleChoiceField(
        label=_("In the last 14 days, have you had any of these?"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    exposures = forms.MultipleChoiceField(
        label=_("In the last 14 days, have you…"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I have read the notice on personal data and agree that my declaration is processed for epidemic control."
        ),
        error_messages={"required": _("Tick the box to agree: without your consent the declaration cannot be sent.")},
    )

    def __init__(self, *args, lang: str = "vi", **kwargs):
        super().__init__(*args, **kwargs)
        earliest, latest = year_bounds()
        self.fields["birth_year"].widget.attrs.update(min=earliest, max=latest)
        self.fields["symptoms"].choices = symptom_choices(lang)
        self.fields["exposures"].choices = exposure_choices(lang)
        self.candidates: list[dict] = []  # communes offered when the name typed names several
        self.commune_picked = (self.data.get("commune_code") or "").strip()[:16] if self.is_bound else ""
        self._village_choices(self.commune_picked)

    def _village_choices(self, code: str) -> None:
        villages = villages_of(code) if code else []
        self.fields["village"].widget.choices = [("", "—"), *((v["code"], v["name"]) for v in villages)]

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        earliest, latest = year_bounds()
        if year is not None and not earliest <= year <= latest:
            raise forms.ValidationError(
                _("Enter the year of birth as 4 digits, between %(earliest)s and %(latest)s."),
                params={"earliest": earliest, "latest": latest},
            )
        return year

    def clean(self):
        data = super().clean()
        code, query = data.get("commune_code") or "", (data.get("commune_query") or "").strip()
        if not code and query:
            found = search_communes(query)
            if len(found) == 1:
                data["commune_code"] = self.commune_picked = found[0]["code"]
                self._village_choices(self.commune_picked)
            elif found:
                self.candidates = found
                self.add_error("commune_query", _("Several communes have this name: choose yours below."))
            else:
                self.add_error("commune_query", _("No commune or ward has this name: check the spelling."))
        elif not code:
            self.add_error("commune_query", _("Type the name of the commune or ward where you stay and pick it."))
        elif commune_of(code) is None:
            self.add_error("commune_query", _("Type the name of the commune or ward where you stay and pick it."))
        self._check_with_the_builder()
        return data

    def _check_with_the_builder(self) -> None:
        """Run the checks the API shares on what the form could read, so that every wrong field is
        named at once (the fields the form already refused keep their own message)."""
        try:
            build_declaration(self.declaration_data(), received_at=clock.now(), language="")
        except ValidationError as exc:
            shown = {"commune_code": "commune_query", "arrived_from_commune_code": "from_query"}
            for field, errors in exc.error_dict.items():
                if field not in self.fields or self.has_error(field) or self.has_error(shown.get(field, field)):
                    continue
                if field == "commune_code" and self.candidates:
                    continue
                self.add_error(field, ValidationError(errors).messages)

    def declaration_data(self) -> dict:
        """What ``build_declaration`` reads (the API's keys)."""
        data = self.cleaned_data
        origin = data.get("arrived_from_commune_code") or ""
        return {
            "full_name": data.get("full_name") or "",
            "birth_year": data.get("birth_year"),
            "sex": data.get("sex") or "",
            "phone": data.get("phone") or "",
            "cccd": data.get("cccd") or "",
            "commune_code": data.get("commune_code") or "",
            "village": data.get("village") or "",
            "address": data.get("address") or "",
            "arrived_from_commune_code": origin,
            "arrived_from_text": "" if origin else (data.get("from_query") or ""),
            "arrived_on": data.get("arrived_on"),
            "transport": data.get("transport") or "",
            "transport_detail": data.get("transport_detail") or "",
            "symptoms": list(data.get("symptoms") or []),
            "exposures": list(data.get("exposures") or []),
        }

    def picked_label(self, field: str) -> str:
        """The full name of a commune already picked (to show it back after a refused submission)."""
        code = (self.data.get(field) or "").strip() if self.is_bound else ""
        return commune_label(code) if code else ""


class ReceiptLookupForm(forms.Form):
    receipt = forms.CharField(
        label=_("Receipt code"),
        max_length=24,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "autofocus": True}),
    )
