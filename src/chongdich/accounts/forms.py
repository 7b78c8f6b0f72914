from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from chongdich.accounts.models import RoleChoice


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"), max_length=150, regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Use letters, digits and . @ + - _ only, without spaces.")},
    )  # fmt: skip
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=16, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=150, required=False)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    role = forms.ChoiceField(label=_("Role"), choices=RoleChoice.choices)
    unit = forms.CharField(label=_("Unit code"), max_length=20)

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password


class GrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=RoleChoice.choices)
    unit = forms.CharField(label=_("Unit code"), max_length=20)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Device or integration name"), max_length=80)
