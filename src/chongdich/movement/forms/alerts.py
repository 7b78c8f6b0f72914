"""Forms of the alert pages: finish (outcome, note), reopen, the one-click order and sample, and the
report of an undeclared arrival."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.movement.forms.checkpoints import CommuneField
from chongdich.movement.models import VIEW, AlertOutcome
from chongdich.people.forms import UnitChoiceField
from chongdich.people.validation import clean_phone_field
from chongdich.territory.models import AdminUnit, Level
from chongdich.testing.models import SampleKind

FIRST_DAY = date(2019, 12, 1)  # nothing of the epidemic before


class DayField(forms.DateField):
    """A day of the epidemic up to today; anything else is refused with a message (no server error)."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def validate(self, value):
        super().validate(value)
        if value is not None and not FIRST_DAY <= value <= clock.today():
            raise forms.ValidationError(
                _("Choose a day between %(first)s and today.") % {"first": FIRST_DAY.strftime("%d/%m/%Y")},
                code="date_window",
            )


class FinishForm(forms.Form):
    outcome = forms.ChoiceField(label=_("How it ended"), choices=[("", "—"), *AlertOutcome.choices])
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ReopenForm(forms.Form):
    note = forms.CharField(label=_("Why reopen"), max_length=300, required=False)


class OrderForm(forms.Form):
    """The one-click order: the person (one of the matches, or register them) and, when the rule
    prescribes a facility, the reason for home quarantine."""

    person = forms.CharField(required=False, max_length=12)  # a person's id, or "new"
    confirm_new = forms.BooleanField(required=False, label=_("This is a different person: register them"))
    override_reason = forms.CharField(label=_("Reason for home quarantine"), max_length=300, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class SampleForm(forms.Form):
    person = forms.CharField(required=False, max_length=12)
    confirm_new = forms.BooleanField(required=False, label=_("This is a different person: register them"))
    kind = forms.ChoiceField(label=_("Test"), choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["kind"].choices = [(SampleKind.RAPID_ANTIGEN, SampleKind.RAPID_ANTIGEN.label)] + [
            (k, label)
            for k, label in SampleKind.choices
            if k not in (SampleKind.RAPID_ANTIGEN, SampleKind.POOLED_RT_PCR)
        ]
        self.fields["kind"].initial = SampleKind.RAPID_ANTIGEN


def report_units(user):
    units = AdminUnit.objects.filter(level__in=[Level.COMMUNE, Level.VILLAGE])
    return units.for_user(user, VIEW).select_related("parent").order_by("path")


class ReportForm(forms.Form):
    """Someone arrived and did not declare: who, where they stay, from where and when."""

    full_name = forms.CharField(label=_("Full name"), max_length=120)
    phone = forms.CharField(label=_("Phone"), max_length=16, required=False)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900, max_value=2100)
    unit = UnitChoiceField(label=_("Stays in"), queryset=AdminUnit.objects.none(), to_field_name="code")
    address = forms.CharField(label=_("Address (house, street)"), max_length=200, required=False)
    origin = CommuneField(label=_("Came from (commune), if known"))
    came_from = forms.CharField(label=_("Came from"), max_length=160, required=False)
    arrived_on = DayField(label=_("Arrived on"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = report_units(user) if user is not None else AdminUnit.objects.none()
        self.fields["unit"].queryset = units
        if not self.is_bound and "unit" not in self.initial:
            own = [u for u in units[:2]]
            if len(own) == 1 or (own and own[0].level == Level.VILLAGE):
                self.initial["unit"] = own[0].code
        if not self.is_bound and "arrived_on" not in self.initial:
            self.initial["arrived_on"] = clock.today()

    def clean_phone(self):

        return clean_phone_field(self.cleaned_data.get("phone"))
