from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.core.roles import Cap
from chongdich.people.models import IDENTITY_FIELDS, OccupationGroup, Relation, ResidenceStatus, Sex
from chongdich.people.validation import clean_cccd_field, clean_phone_field
from chongdich.territory.models import AdminUnit, Level

SELECT_LIMIT = 400


def units_in_scope(user, capability: str = Cap.PEOPLE_EDIT):
    """Communes and villages where the user may record people."""
    return (
        AdminUnit.objects.for_user(user, capability).filter(level__in=[Level.COMMUNE, Level.VILLAGE]).order_by("path")
    )


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return f"{unit.name} — {unit.parent.name}" if unit.level == Level.VILLAGE and unit.parent_id else unit.name


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"), required=False, min_value=1890, help_text=_("When the exact date is not known.")
    )
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
        widget=forms.TextInput(attrs={"inputmode": "tel", "type": "tel"}),
    )
    unit = UnitChoiceField(label=_("Village / commune of residence"), queryset=AdminUnit.objects.none())
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    residence_status = forms.ChoiceField(
        label=_("Residence status"), choices=ResidenceStatus.choices, initial=ResidenceStatus.PERMANENT
    )
    occupation_group = forms.ChoiceField(
        label=_("Occupation"), choices=[("", "—"), *OccupationGroup.choices], required=False
    )
    relation = forms.ChoiceField(label=_("Relation to head"), choices=[("", "—"), *Relation.choices], required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    confirm_new = forms.BooleanField(
        label=_("I checked the people above: this is a different person."), required=False, widget=forms.CheckboxInput
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = units_in_scope(user).select_related("parent")
        self.fields["unit"].queryset = units
        self.fields["unit"].to_field_name = "code"
        if units.count() > SELECT_LIMIT:
            self.fields["unit"].widget = forms.TextInput(attrs={"list": "unit-options", "placeholder": _("Unit code")})
            self.fields["unit"].help_text = _("Type the code of the village or commune (see the Units page).")
        elif units.count() == 1:
            self.fields["unit"].initial = units.first().code

    def clean_date_of_birth(self):
        value = self.cleaned_data.get("date_of_birth")
        if value and value > clock.today():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        return value

    def clean(self):
        data = super().clean()
        today = clock.today()
        dob: date | None = data.get("date_of_birth")
        year = dob.year if dob else data.get("birth_year")
        if not year:
            self.add_error("birth_year", _("Enter the date of birth or at least the year of birth."))
            return data
        if year > today.year:
            self.add_error("birth_year", _("The year of birth cannot be in the future."))
            return data
        data["birth_year"] = year
        if "cccd" in data and not self.has_error("sex"):
            try:
                data["cccd"] = clean_cccd_field(data.get("cccd"), sex=data.get("sex"), birth_year=year)
            except forms.ValidationError as exc:
                self.add_error("cccd", exc)
        try:
            data["phone"] = clean_phone_field(data.get("phone"))
        except forms.ValidationError as exc:
            self.add_error("phone", exc)
        return data

    def person_data(self) -> dict:
        keys = (
            *IDENTITY_FIELDS,
            "address",
            "residence_status",
            "occupation_group",
            "relation",
            "notes",
        )
        return {
            key: self.cleaned_data.get(key) or ("" if key not in ("date_of_birth", "cccd") else None) for key in keys
        }


class MergeForm(forms.Form):
    keep = forms.ChoiceField(label=_("Keep"), widget=forms.RadioSelect)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [(str(p.pk), str(p)) for p in people]


class TransferRequestForm(forms.Form):
    to_unit = UnitChoiceField(label=_("Move the person to"), queryset=AdminUnit.objects.none())
    note = forms.CharField(
        label=_("Why the person should move"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: moved in with their family in Thôn 1 in March; lives here now."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = units_in_scope(user).select_related("parent")
        self.fields["to_unit"].to_field_name = "code"


class TransferDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve: move the person")), ("refuse", _("Refuse"))])
    decision_note = forms.CharField(
        label=_("Answer to the requester"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
