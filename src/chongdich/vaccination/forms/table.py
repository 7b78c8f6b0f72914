"""Forms of sessions and of the vaccination table: parsing and field bounds; the rules are in the actions."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.core.dates import WindowedDateField
from chongdich.vaccination.models import Lot, ScreeningOutcome, Session, Shift, Site
from chongdich.vaccination.selectors.table import (
    checklist,
    lots_to_choose,
    session_lots,
    short_product_name,
    sites_to_choose,
    staff_to_choose,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CHECKS = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


MAX_ID = 2**63 - 1


def _check_ids(field, values) -> None:
    """An id the database cannot hold (not digits, beyond 64 bits) is a wrong choice, not a server error."""
    for value in values:
        text = str(value).strip()
        if text and (not text.isdigit() or int(text) > MAX_ID):
            raise forms.ValidationError(
                field.error_messages["invalid_choice"], code="invalid_choice", params={"value": text}
            )


class BoundedChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values:
            _check_ids(self, [value])
        return super().to_python(value)


class BoundedMultipleChoiceField(forms.ModelMultipleChoiceField):
    def clean(self, value):
        if value and isinstance(value, list | tuple):
            _check_ids(self, value)
        elif value and isinstance(value, str):
            _check_ids(self, [value])
        return super().clean(value)


class SiteChoiceField(BoundedChoiceField):
    def label_from_instance(self, site: Site) -> str:
        return f"{site.name} — {site.unit.name}"


class LotChoiceField(BoundedMultipleChoiceField):
    def label_from_instance(self, lot: Lot) -> str:
        return _("%(product)s lot %(number)s, expires %(date)s") % {
            "product": short_product_name(lot.product),
            "number": lot.number,
            "date": lot.expires_on.strftime("%d/%m/%Y"),
        }


class StaffChoiceField(BoundedMultipleChoiceField):
    def label_from_instance(self, user) -> str:
        name = getattr(user, "full_name", "") or ""
        return f"{name} ({user.get_username()})" if name else user.get_username()


class SessionForm(forms.Form):
    site = SiteChoiceField(label=_("Vaccination site"), queryset=Site.objects.none())
    day = WindowedDateField(label=_("Date"), widget=DATE, window="vaccination.session_day")
    shift = forms.ChoiceField(label=_("Shift"), choices=Shift.choices, initial=Shift.ALL_DAY)
    planned = forms.IntegerField(label=_("Planned number of people"), min_value=0, max_value=5000, initial=0)
    lots = LotChoiceField(label=_("Lots in use"), queryset=Lot.objects.none(), required=False, widget=CHECKS)
    staff = StaffChoiceField(label=_("Staff (users of the system)"), queryset=None, required=False, widget=CHECKS)
    staff_note = forms.CharField(
        label=_("Team"),
        max_length=300,
        required=False,
        help_text=_("Doctors, nurses and volunteers by name, e.g. “BS. Lan, ĐD. Hòa, 2 tình nguyện viên”."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, user, session: Session | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites_to_choose(user)
        today = clock.today()
        first_day: date = min(today, session.day) if session else today
        self.fields["lots"].queryset = lots_to_choose(first_day)
        self.fields["staff"].queryset = staff_to_choose(user)
        if session is None:
            self.fields["day"].initial = today

    def session_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("day", "shift", "planned", "staff_note", "note")}


class SessionStatusForm(forms.Form):
    step = forms.ChoiceField(choices=[("open", "open"), ("close", "close"), ("cancel", "cancel")])


class FindForm(forms.Form):
    q = forms.CharField(
        label=_("Citizen ID, phone, name or the invitation's QR code"), max_length=300, required=False, strip=True
    )


# -- screening --------------------------------------------------------------------------------------------
YES_NO = [("no", _("No")), ("yes", _("Yes"))]
BLOOD_PRESSURE = re.compile(r"^\s*(\d{2,3})\s*/\s*(\d{2,3})\s*$")


def question_key(question) -> str:
    return question.code


def question_text(question) -> str:
    return question.en if (get_language() or "vi").startswith("en") else question.vi


class ScreeningForm(forms.Form):
    """The rules' checklist in force on the session's day (one yes/no per question), then the
    measurements the rules judge (temperature, pulse, blood pressure, SpO2), each optional."""

    temperature = forms.DecimalField(
        label=_("Temperature (°C)"),
        required=False,
        min_value=Decimal("34"),
        max_value=Decimal("43"),
        max_digits=3,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )
    pulse = forms.IntegerField(label=_("Pulse (/min)"), required=False, min_value=20, max_value=250)
    blood_pressure = forms.CharField(
        label=_("Blood pressure (mmHg)"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "120/80", "inputmode": "numeric"}),
    )
    spo2 = forms.IntegerField(label=_("SpO2 (%)"), required=False, min_value=50, max_value=100)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("As the checklist says")), *ScreeningOutcome.choices],
        help_text=_("The doctor may choose a stricter outcome than the checklist's, never a less strict one."),
    )
    note = forms.CharField(label=_("Doctor's note"), max_length=300, required=False)

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = checklist(session.day, session.province_code or None)
        asked = {
            f"q_{question_key(q)}": forms.ChoiceField(
                label=f"{q.number}. {question_text(q)}", choices=YES_NO, widget=forms.RadioSelect, initial="no"
            )
            for q in self.questions
        }
        self.fields = {**asked, **self.fields}

    def clean_blood_pressure(self):
        value = self.cleaned_data["blood_pressure"].strip()
        if value and not BLOOD_PRESSURE.match(value):
            raise forms.ValidationError(_("Write the blood pressure as systolic/diastolic, e.g. 120/80."))
        return value

    def answers(self) -> dict:
        """{question code: True/False, measurement: number} for ``rules.screen``."""
        data = self.cleaned_data
        result: dict = {q.code: data.get(f"q_{question_key(q)}") == "yes" for q in self.questions}
        for name in ("temperature", "pulse", "spo2"):
            if data.get(name) is not None:
                result[name] = float(data[name])
        pressure = BLOOD_PRESSURE.match(data.get("blood_pressure") or "")
        if pressure:
            result["systolic"], result["diastolic"] = float(pressure[1]), float(pressure[2])
        return result


class LotRadioField(BoundedChoiceField):
    def label_from_instance(self, lot: Lot) -> str:
        return f"{short_product_name(lot.product)} · {lot.number} · {lot.expires_on:%d/%m/%Y}"


class DoseForm(forms.Form):
    lot = LotRadioField(
        label=_("Vaccine and lot"), queryset=Lot.objects.none(), widget=forms.RadioSelect, empty_label=None
    )
    override_reason = forms.CharField(
        label=_("Reason for giving the dose despite the warnings"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, session: Session, **kwargs):
        super().__init__(*args, **kwargs)
        lots = session_lots(session)
        self.fields["lot"].queryset = lots
        if not self.is_bound:
            only = list(lots[:2])
            if len(only) == 1:  # one lot in use: already chosen
                self.fields["lot"].initial = only[0].pk


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the dose voided?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. recorded for the wrong person, typed twice. The dose stays in the history, marked void."),
    )
