"""Forms of sites, lots and stock movements: they parse and bound what a person typed; the actions decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.core.dates import WindowedDateField
from chongdich.core.scoping import for_user
from chongdich.people.forms import UnitChoiceField
from chongdich.territory.models import AdminUnit, Level
from chongdich.vaccination.actions.stock import MAX_DOSES
from chongdich.vaccination.models import EDIT, Lot, Site, SiteKind
from chongdich.vaccination.selectors.stock import product_catalogue, product_name

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
COUNT = {"inputmode": "numeric"}


def site_units(user):
    """Units where the user may place a site: their area, from the province down to villages."""
    units = AdminUnit.objects.filter(level__in=[Level.PROVINCE, Level.DISTRICT, Level.COMMUNE, Level.VILLAGE])
    return for_user(units, user, EDIT, path_field="path").select_related("parent").order_by("path")


class SiteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    kind = forms.ChoiceField(label=_("Kind"), choices=SiteKind.choices)
    unit = UnitChoiceField(label=_("Administrative unit"), queryset=AdminUnit.objects.none(), to_field_name="code")
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=16,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "type": "tel"}),
    )
    tables = forms.IntegerField(
        label=_("Vaccination tables"), min_value=1, max_value=200, initial=1, widget=forms.NumberInput(attrs=COUNT)
    )
    active = forms.BooleanField(label=_("Open (receives doses and sessions)"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = site_units(user)

    def site_data(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "kind": data["kind"],
            "address": data.get("address") or "",
            "phone": data.get("phone") or "",
            "tables": data["tables"],
            "active": bool(data.get("active")),
        }


def product_choices():
    return [("", "—")] + [(code, product.name) for code, product in sorted(product_catalogue().items())]


class LotForm(forms.Form):
    product = forms.ChoiceField(label=_("Vaccine"), choices=())
    number = forms.CharField(label=_("Lot number"), max_length=40)
    expires_on = WindowedDateField(label=_("Expiry date"), widget=DATE, window="vaccination.lot_expiry")
    doses_per_vial = forms.IntegerField(
        label=_("Doses per vial"),
        min_value=1,
        max_value=50,
        required=False,
        widget=forms.NumberInput(attrs=COUNT),
        help_text=_("Leave empty for the vaccine's usual vial (AstraZeneca 10, Pfizer 6, Vero Cell 1…)."),
    )
    source = forms.CharField(
        label=_("Source"), max_length=120, required=False, help_text=_("COVAX, purchase, donation of …")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = product_choices()


class LotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, lot: Lot) -> str:
        return f"{product_name(lot.product)} · {lot.number} · {_('expires')} {lot.expires_on:%d/%m/%Y}"


class SiteChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, site: Site) -> str:
        return f"{site.name} — {site.unit.name}"


class MovementForm(forms.Form):
    """The fields every movement has; ``lots`` are the lots offered (received: usable ones; the
    others: those on hand at the site)."""

    lot = LotChoiceField(label=_("Lot"), queryset=Lot.objects.none())
    doses = forms.IntegerField(
        label=_("Doses"), min_value=1, max_value=MAX_DOSES, widget=forms.NumberInput(attrs=COUNT)
    )
    day = WindowedDateField(label=_("Date"), widget=DATE, initial=clock.today, window="vaccination.stock_day")
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, lots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lot"].queryset = lots

    def movement(self) -> dict:
        data = self.cleaned_data
        return {"lot": data["lot"], "doses": data["doses"], "day": data["day"], "note": data.get("note") or ""}


class ReceiveForm(MovementForm):
    pass


class TransferForm(MovementForm):
    destination = SiteChoiceField(label=_("To site"), queryset=Site.objects.none())
    field_order = ("destination", "lot", "doses", "day", "note")

    def __init__(self, *args, destinations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination"].queryset = destinations

    def movement(self) -> dict:
        return super().movement() | {"destination": self.cleaned_data["destination"]}


class DiscardForm(MovementForm):
    opened = forms.TypedChoiceField(
        label=_("Vial"),
        choices=((0, _("Closed vial (expired, broken, cold chain lost)")), (1, _("Opened vial (doses left over)"))),
        coerce=int,
        widget=forms.RadioSelect,
        initial=1,
    )
    field_order = ("opened", "lot", "doses", "day", "note")

    def movement(self) -> dict:
        return super().movement() | {"opened": bool(self.cleaned_data["opened"])}


class AdjustForm(MovementForm):
    """A count corrected: doses signed, the reason required (stored as the movement's note)."""

    doses = forms.IntegerField(
        label=_("Doses found (+) or missing (−)"),
        min_value=-MAX_DOSES,
        max_value=MAX_DOSES,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(label=_("Reason"), max_length=200)

    def clean_doses(self):
        doses = self.cleaned_data["doses"]
        if doses == 0:
            raise forms.ValidationError(
                _("Enter the doses found (for example 5) or missing (for example -5) at the count.")
            )
        return doses

    def movement(self) -> dict:
        data = self.cleaned_data
        return {"lot": data["lot"], "doses": data["doses"], "day": data["day"], "reason": data.get("note") or ""}


MOVEMENT_FORMS = {"receive": ReceiveForm, "transfer": TransferForm, "discard": DiscardForm, "adjust": AdjustForm}
