"""Forms of checkpoints, shifts and the passage screen: they parse and bound what an officer typed;
the actions decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chongdich.core import clock
from chongdich.core.dates import WindowedDateField
from chongdich.movement import rules
from chongdich.movement.actions.checkpoints import MAX_MEMBERS, MAX_ON_BOARD
from chongdich.movement.models import (
    CheckpointKind,
    Direction,
    Force,
    PassageAction,
    Subject,
    TestKind,
    TestResult,
    VehicleType,
    Way,
)
from chongdich.movement.selectors import checkpoints as selectors
from chongdich.people.forms import UnitChoiceField
from chongdich.people.identity import IdentityError, clean_cccd
from chongdich.people.validation import clean_phone_field
from chongdich.territory.models import AdminUnit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
COUNT = {"inputmode": "numeric"}


def datetime_input():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def now_minute():
    return timezone.localtime(clock.now()).replace(second=0, microsecond=0)


# -- checkpoints --------------------------------------------------------------------------------------
class CheckpointForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    code = forms.CharField(
        label=_("Code"),
        max_length=24,
        required=False,
        help_text=_("Leave empty: a code is made from the commune (C25222-01…)."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CheckpointKind.choices)
    way = forms.ChoiceField(label=_("Way"), choices=Way.choices, initial=Way.ROAD)
    route = forms.CharField(
        label=_("Road or route"), max_length=120, required=False, help_text=_("QL14, ĐT741, sông Bé…")
    )
    unit = UnitChoiceField(label=_("Commune"), queryset=AdminUnit.objects.none(), to_field_name="code")
    latitude = forms.DecimalField(
        label=_("Latitude"),
        max_digits=9,
        decimal_places=6,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        max_digits=9,
        decimal_places=6,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.000001", "inputmode": "decimal"}),
    )
    opened_on = WindowedDateField(
        label=_("Opened on"), required=False, widget=DATE, window="movement.checkpoint_opened"
    )
    closed_on = WindowedDateField(
        label=_("Closed on"), required=False, widget=DATE, window="movement.checkpoint_closed"
    )
    active = forms.BooleanField(label=_("In operation (passages may be logged)"), required=False, initial=True)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        units = selectors.commune_units(user)
        self.fields["unit"].queryset = units
        if units.count() > selectors.SELECT_LIMIT:
            self.fields["unit"].widget = forms.TextInput(attrs={"placeholder": _("Commune code")})
            self.fields["unit"].help_text = _("Type the code of the commune (see the Units page).")
        elif units.count() == 1 and not self.is_bound:
            self.fields["unit"].initial = units.first().code
        if editing:
            del self.fields["code"]

    def checkpoint_data(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "kind": data["kind"],
            "way": data["way"],
            "route": (data.get("route") or "").strip(),
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
            "opened_on": data.get("opened_on"),
            "closed_on": data.get("closed_on"),
            "active": bool(data.get("active")),
            "note": (data.get("note") or "").strip(),
        }


# -- shifts -------------------------------------------------------------------------------------------
class ShiftForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts at"), input_formats=DATETIME_FORMATS, widget=datetime_input(), initial=now_minute
    )
    ends_at = forms.DateTimeField(label=_("Ends at"), input_formats=DATETIME_FORMATS, widget=datetime_input())
    leader = forms.CharField(label=_("Shift leader"), max_length=120, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def shift_data(self) -> dict:
        data = self.cleaned_data
        return {
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "leader": data.get("leader") or "",
            "note": data.get("note") or "",
        }


class MemberForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    force = forms.ChoiceField(label=_("Force"), choices=[("", "—"), *Force.choices])
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )

    def clean_phone(self):
        return clean_phone_field(self.cleaned_data.get("phone"))


class BaseMemberFormSet(forms.BaseFormSet):
    def members(self) -> list[dict]:
        return [
            {
                "full_name": f.cleaned_data["full_name"],
                "force": f.cleaned_data["force"],
                "phone": f.cleaned_data["phone"],
            }
            for f in self.forms
            if f.cleaned_data and f.cleaned_data.get("full_name")
        ]


MemberFormSet = forms.formset_factory(
    MemberForm, formset=BaseMemberFormSet, extra=4, max_num=MAX_MEMBERS, validate_max=True, absolute_max=MAX_MEMBERS
)


def member_formset(data=None, *, initial=None) -> BaseMemberFormSet:
    return MemberFormSet(data, initial=initial, prefix="m")


# -- the passage screen -------------------------------------------------------------------------------
class CommuneField(forms.CharField):
    """A commune of the whole country typed in the picker: its code in brackets (what the suggestions
    send), a code, or a name that matches one commune only (without diacritics)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "list": "commune-options",
                    "autocomplete": "off",
                    "data-commune-picker": "",
                    "spellcheck": "false",
                }
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        found = selectors.find_commune(text)
        if found.unit is None:
            raise forms.ValidationError(found.message)
        return found.unit


class PassageForm(forms.Form):
    at = forms.DateTimeField(required=False, widget=forms.HiddenInput, input_formats=DATETIME_FORMATS)
    direction = forms.ChoiceField(
        label=pgettext_lazy("passage", "Direction"),
        choices=[
            (Direction.IN, pgettext_lazy("passage direction", "In")),
            (Direction.OUT, pgettext_lazy("passage direction", "Out")),
        ],
        initial=Direction.IN,
        widget=forms.RadioSelect,
    )
    subject = forms.ChoiceField(
        label=_("Who"), choices=Subject.choices, initial=Subject.VEHICLE, widget=forms.RadioSelect
    )
    plate = forms.CharField(
        label=_("Plate"),
        max_length=20,
        required=False,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "51C-123.45",
            }
        ),
    )
    vehicle_type = forms.ChoiceField(
        label=_("Vehicle type"), choices=VehicleType.choices, required=False, widget=forms.RadioSelect
    )
    people_on_board = forms.IntegerField(
        label=_("People on board"),
        min_value=1,
        max_value=MAX_ON_BOARD,
        initial=1,
        widget=forms.NumberInput(attrs=COUNT),
    )
    origin = CommuneField(label=_("From (commune)"))
    destination = CommuneField(label=_("To (commune)"))
    declaration_shown = forms.BooleanField(label=_("Health declaration shown"), required=False)
    test_result = forms.ChoiceField(
        label=_("Test result"),
        choices=[
            ("", pgettext_lazy("test shown", "None")),
            (TestResult.NEGATIVE, TestResult.NEGATIVE.label),
            (TestResult.POSITIVE, TestResult.POSITIVE.label),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    test_kind = forms.ChoiceField(
        label=_("Test"),
        choices=[
            ("", "—"),
            (TestKind.PCR, TestKind.PCR.label),
            (TestKind.RAT, pgettext_lazy("test kind", "Rapid test")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    test_at = forms.DateTimeField(
        label=_("Time of the result"), required=False, input_formats=DATETIME_FORMATS, widget=datetime_input()
    )
    full_name = forms.CharField(label=_("Full name"), max_length=120, required=False)
    cccd = forms.CharField(
        label=_("Citizen ID (CCCD)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    colour = forms.ChoiceField(
        label=_("Colour shown on the traveller's app"),
        choices=[
            ("", pgettext_lazy("test shown", "None")),
            ("green", _("Green")),
            ("yellow", _("Yellow")),
            ("red", _("Red")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    temperature = forms.DecimalField(
        label=_("Temperature (°C)"),
        max_digits=3,
        decimal_places=1,
        min_value=30,
        max_value=45,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    action = forms.ChoiceField(choices=PassageAction.choices, required=False, widget=forms.HiddenInput)

    def clean_plate(self):
        raw = (self.cleaned_data.get("plate") or "").strip()
        if not raw:
            return ""
        try:
            return rules.normalise_plate(raw)
        except (rules.InputError, ValueError) as error:
            raise forms.ValidationError(selectors.plate_message(raw, error)) from error

    def clean_cccd(self):
        value = clean_cccd(self.cleaned_data.get("cccd"))
        if value and (not value.isdigit() or len(value) != 12):
            raise forms.ValidationError(_("A citizen ID (CCCD) has 12 digits."))
        return value

    def clean_phone(self):
        try:
            return clean_phone_field(self.cleaned_data.get("phone"))
        except IdentityError:  # pragma: no cover - clean_phone_field raises ValidationError
            raise forms.ValidationError(_("Check the phone number.")) from None

    def passage_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["vehicle_type"] = data.get("vehicle_type") or ""
        return data
