"""Forms of the reconciliation page: attach to a candidate, create the person, dismiss."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chongdich.people.models import Sex


class AttachForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Person"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.full_name) for p in candidates]


class CreatePersonForm(forms.Form):
    unit = forms.ChoiceField(label=_("Lives in"))
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {u.code: u for u in units}
        self.fields["unit"].choices = [(u.code, u.name) for u in units]

    def clean_unit(self):
        return self.units[self.cleaned_data["unit"]]


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.TextInput)
