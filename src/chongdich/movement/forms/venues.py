"""Forms of venues, the public check-in page, the staff scan and device tokens: they parse and bound
what a person typed; the actions decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.core.scoping import for_user
from chongdich.movement.actions.devices import DEVICE_TOKEN_DAYS
from chongdich.movement.models import EDIT, Direction, VenueKind
from chongdich.people.forms import UnitChoiceField
from chongdich.surveillance.models import ExposureKind
from chongdich.territory.models import AdminUnit, Level

DIRECTIONS = [(Direction.IN.value, _("Check in")), (Direction.OUT.value, _("Check out"))]
PHONE = {"inputmode": "tel", "type": "tel", "autocomplete": "tel"}
TEMPERATURE = {"inputmode": "decimal", "placeholder": "36,5", "autocomplete": "off"}


def venue_units(user):
    """Units where the user may place a venue: communes and villages of their area."""
    units = AdminUnit.objects.filter(level__in=[Level.COMMUNE, Level.VILLAGE])
    return for_user(units, user, EDIT, path_field="path").select_related("parent").order_by("path")


class VenueForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    kind = forms.ChoiceField(label=_("Kind"), choices=VenueKind.choices)
    unit = UnitChoiceField(label=_("Commune / village"), queryset=AdminUnit.objects.none(), to_field_name="code")
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    contact_name = forms.CharField(label=_("Person in charge"), max_length=120, required=False)
    contact_phone = forms.CharField(
        label=_("Phone of the person in charge"), max_length=20, required=False, widget=forms.TextInput(attrs=PHONE)
    )
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, min_value=-90, max_value=90, max_digits=9, decimal_places=6
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180, max_digits=9, decimal_places=6
    )
    temperature_check = forms.BooleanField(
        label=_("Temperature is checked at the gate (offices, factories: plans 02 and 634)"), required=False
    )
    active = forms.BooleanField(label=_("Open (takes check-ins)"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = venue_units(user)

    def venue_data(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "kind": data["kind"],
            "address": data.get("address") or "",
            "contact_name": data.get("contact_name") or "",
            "contact_phone": data.get("contact_phone") or "",
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
            "temperature_check": bool(data.get("temperature_check")),
            "active": bool(data.get("active")),
        }


class CheckInForm(forms.Form):
    """The public page: phone and name (kept on the phone by the page's script), in or out."""

    phone = forms.CharField(label=_("Phone number"), max_length=20, widget=forms.TextInput(attrs=PHONE))
    full_name = forms.CharField(
        label=_("Full name"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    temperature = forms.CharField(
        label=_("Temperature measured at the gate (°C)"),
        max_length=5,
        required=False,
        widget=forms.TextInput(attrs=TEMPERATURE),
    )
    direction = forms.ChoiceField(choices=DIRECTIONS, initial=Direction.IN, widget=forms.HiddenInput)

    def __init__(self, *args, venue, **kwargs):
        super().__init__(*args, **kwargs)
        if not venue.temperature_check:
            del self.fields["temperature"]


class ScanForm(forms.Form):
    """The staff scan: what the scanner or the camera read (or a phone typed), a temperature."""

    code = forms.CharField(
        label=_("Scan or type: certificate QR, ID card QR, CCCD or phone"),
        max_length=1500,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
    full_name = forms.CharField(label=_("Full name (when not found)"), max_length=120, required=False)
    temperature = forms.CharField(
        label=_("Temperature (°C)"), max_length=5, required=False, widget=forms.TextInput(attrs=TEMPERATURE)
    )
    direction = forms.ChoiceField(
        label=_("In or out"), choices=DIRECTIONS, initial=Direction.IN, widget=forms.RadioSelect
    )

    def __init__(self, *args, venue, **kwargs):
        super().__init__(*args, **kwargs)
        if not venue.temperature_check:
            del self.fields["temperature"]


class DeviceForm(forms.Form):
    label = forms.CharField(label=_("Device"), max_length=80, help_text=_("e.g. “Gate 1 tablet”"))
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=DEVICE_TOKEN_DAYS, initial=DEVICE_TOKEN_DAYS
    )


class CandidateForm(forms.Form):
    """A decision on a candidate contact of the tracing page: which one (venue and phone), what."""

    venue = forms.IntegerField(min_value=1, max_value=2**62, widget=forms.HiddenInput)
    key = forms.CharField(max_length=24, widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("confirm", _("Confirm as F1")), ("dismiss", _("Not a contact"))])
    kind = forms.ChoiceField(
        label=_("How were they exposed?"),
        choices=ExposureKind.choices,
        initial=ExposureKind.SAME_ENCLOSED_SPACE,
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
