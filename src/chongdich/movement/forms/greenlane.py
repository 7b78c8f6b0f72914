"""Forms of the green lane: they parse and bound what an officer typed; the actions decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.core.dates import WindowedDateField
from chongdich.core.text import fold
from chongdich.movement.actions.greenlane import MAX_PEOPLE, normalise_phone, normalise_plate
from chongdich.movement.models import GreenCard, VehicleType
from chongdich.movement.selectors.greenlane import cards_for, issuing_units, plate_display
from chongdich.people.forms import UnitChoiceField
from chongdich.territory.models import AdminUnit, Level

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
PLATE = {"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false", "placeholder": "51C-123.45"}
TEL = forms.TextInput(attrs={"inputmode": "tel", "type": "tel"})


def _checked(check, value: str, field: str) -> str:
    """``value`` as typed when the action's check accepts it (the action normalises it again); its
    refusal on the field otherwise, so every mistake of the form shows at once."""
    try:
        check(value, field)
    except forms.ValidationError as exc:
        raise forms.ValidationError(exc.message_dict[field]) from None
    return value


def now_minute():
    return timezone.localtime(clock.now()).replace(second=0, microsecond=0)


class CardForm(forms.Form):
    unit = UnitChoiceField(label=_("Issued by"), queryset=AdminUnit.objects.none(), to_field_name="code")
    number = forms.CharField(
        label=_("Card number"),
        max_length=24,
        required=False,
        help_text=_("Leave empty for the next number of the province (province code, year, sequence)."),
    )
    plate = forms.CharField(label=_("Plate"), max_length=20, widget=forms.TextInput(attrs=PLATE))
    vehicle_type = forms.ChoiceField(label=_("Vehicle type"), choices=VehicleType.choices, initial=VehicleType.TRUCK)
    operator = forms.CharField(label=_("Transport operator"), max_length=160)
    driver_name = forms.CharField(label=_("Driver"), max_length=120)
    driver_phone = forms.CharField(label=_("Driver's phone"), max_length=20, widget=TEL)
    goods = forms.CharField(label=_("Goods"), max_length=200)
    essential = forms.BooleanField(label=_("Essential goods"), required=False, initial=True)
    itinerary = forms.CharField(
        label=_("Itinerary"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("From, through, to."),
    )
    valid_from = WindowedDateField(
        label=_("Valid from"), widget=DATE, initial=clock.today, window="movement.card_valid_from"
    )
    valid_to = WindowedDateField(label=_("Valid to"), widget=DATE, window="movement.card_valid_to")

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = issuing_units(user)
        if editing:  # the number and the issuing unit of a card do not change
            del self.fields["unit"]
            del self.fields["number"]

    def clean_plate(self):
        return _checked(normalise_plate, self.cleaned_data["plate"], "plate")

    def clean_driver_phone(self):
        return _checked(normalise_phone, self.cleaned_data["driver_phone"], "driver_phone")

    def card_data(self) -> dict:
        data = self.cleaned_data
        return {
            "plate": data["plate"],
            "vehicle_type": data["vehicle_type"],
            "operator": data["operator"],
            "driver_name": data["driver_name"],
            "driver_phone": data["driver_phone"],
            "goods": data["goods"],
            "essential": bool(data.get("essential")),
            "itinerary": data["itinerary"],
            "valid_from": data["valid_from"],
            "valid_to": data["valid_to"],
        }


def card_initial(card: GreenCard) -> dict:
    return {
        "plate": plate_display(card.plate),
        "vehicle_type": card.vehicle_type,
        "operator": card.operator,
        "driver_name": card.driver_name,
        "driver_phone": card.driver_phone,
        "goods": card.goods,
        "essential": card.essential,
        "itinerary": card.itinerary,
        "valid_from": card.valid_from,
        "valid_to": card.valid_to,
    }


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": _("Reason")}),
    )


# -- trips ------------------------------------------------------------------------------------------
class CommuneField(forms.CharField):
    """A commune typed by name (diacritics optional; ``name, district`` to tell two apart) or by code;
    cleaned to the unit, with the candidates named when the name is ambiguous."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 120)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        communes = AdminUnit.objects.current().filter(level=Level.COMMUNE)
        if text.strip().isdigit():
            found = list(communes.filter(code=text.strip())[:2])
        else:
            name, _sep, above = text.partition(",")
            rows = communes
            for word in fold(name).split()[:6]:
                rows = rows.filter(folded_name__contains=word)
            for word in fold(above).split()[:6]:
                rows = rows.filter(parent__folded_name__contains=word)
            found = list(rows.select_related("parent").order_by("path")[:6])
            exact = [unit for unit in found if fold(unit.name) == fold(name)]
            found = exact if len(exact) == 1 else found
        if not found:
            raise forms.ValidationError(_("No commune is named so: type its name (e.g. Đức Hạnh) or its code."))
        if len(found) > 1:
            names = "; ".join(
                f"{unit.name}, {unit.parent.name if unit.parent_id else ''} ({unit.code})" for unit in found[:5]
            )
            raise forms.ValidationError(
                gettext("Several communes match: %(names)s. Add the district after a comma, or type the code.")
                % {"names": names}
            )
        return found[0]


def commune_text(unit: AdminUnit | None) -> str:
    if unit is None:
        return ""
    return f"{unit.name}, {unit.parent.name}" if unit.parent_id else unit.name


class CardChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, card: GreenCard) -> str:
        return f"{plate_display(card.plate)} · {card.number} · {card.operator}"


class TripEditForm(forms.Form):
    """What of a trip under way may be corrected (``do_update_trip``)."""

    expected_at = forms.DateTimeField(label=_("Expected arrival"), widget=DATETIME)
    people_on_board = forms.IntegerField(
        label=_("People on board"),
        min_value=1,
        max_value=MAX_PEOPLE,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    driver_name = forms.CharField(label=_("Driver"), max_length=120, required=False)
    driver_phone = forms.CharField(label=_("Driver's phone"), max_length=20, required=False, widget=TEL)
    goods = forms.CharField(label=_("Goods"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean_driver_phone(self):
        phone = self.cleaned_data.get("driver_phone") or ""
        return _checked(normalise_phone, phone, "driver_phone") if phone.strip() else ""


class TripForm(forms.Form):
    card = CardChoiceField(
        label=_("Green-lane card"),
        queryset=GreenCard.objects.none(),
        required=False,
        empty_label=_("— no card of my area: enter the plate —"),
    )
    plate = forms.CharField(
        label=_("Plate"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs=PLATE),
        help_text=_("A plate with a valid card anywhere is linked to its card."),
    )
    origin = CommuneField(label=_("From commune"))
    destination = CommuneField(label=_("To commune"))
    departed_at = forms.DateTimeField(label=_("Departed at"), initial=now_minute, widget=DATETIME)
    expected_at = forms.DateTimeField(label=_("Expected arrival"), widget=DATETIME)
    people_on_board = forms.IntegerField(
        label=_("People on board"),
        min_value=1,
        max_value=MAX_PEOPLE,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    driver_name = forms.CharField(
        label=_("Driver"), max_length=120, required=False, help_text=_("Empty: the card's driver.")
    )
    driver_phone = forms.CharField(label=_("Driver's phone"), max_length=20, required=False, widget=TEL)
    goods = forms.CharField(label=_("Goods"), max_length=200, required=False, help_text=_("Empty: the card's goods."))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        today = clock.today()
        self.fields["card"].queryset = cards_for(user).filter(
            revoked_at__isnull=True, valid_from__lte=today, valid_to__gte=today
        )

    def clean_plate(self):
        plate = self.cleaned_data.get("plate") or ""
        return _checked(normalise_plate, plate, "plate") if plate.strip() else ""

    def clean_driver_phone(self):
        phone = self.cleaned_data.get("driver_phone") or ""
        return _checked(normalise_phone, phone, "driver_phone") if phone.strip() else ""

    def trip_data(self) -> dict:
        data = self.cleaned_data
        return {
            "card": data.get("card"),
            "plate": data.get("plate") or "",
            "origin": data["origin"],
            "destination": data["destination"],
            "departed_at": data["departed_at"],
            "expected_at": data["expected_at"],
            "people_on_board": data["people_on_board"],
            "driver_name": data.get("driver_name") or "",
            "driver_phone": data.get("driver_phone") or "",
            "goods": data.get("goods") or "",
            "note": data.get("note") or "",
        }


class ArrivalForm(forms.Form):
    at = forms.DateTimeField(label=_("Arrived at"), initial=now_minute, widget=DATETIME)
