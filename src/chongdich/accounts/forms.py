from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from chongdich.accounts.actions import grantable_roles, token_expiry_bounds
from chongdich.accounts.models import RoleChoice, User
from chongdich.core.roles import Cap
from chongdich.territory.models import AdminUnit

SELECT_LIMIT = 400


class RoleUnitFields:
    """Role limited to what the actor may grant; unit as a list of the actor's units when short."""

    def setup_role_unit(self, actor):
        allowed = set(grantable_roles(actor))
        self.fields["role"].choices = [("", "—")] + [
            (value, label) for value, label in RoleChoice.choices if value in allowed
        ]
        units = AdminUnit.objects.for_user(actor, Cap.USERS_MANAGE)
        if units.count() <= SELECT_LIMIT:
            choices = [("", "—")] + [
                (u.code, ("— " * max(0, u.path.count("/") - 2)) + u.name) for u in units.order_by("path")
            ]
            self.fields["unit"] = forms.ChoiceField(label=_("Unit"), choices=choices)
        else:
            self.fields["unit"].help_text = _(
                "The code of the province, district, commune or village (see the Units page)."
            )


class UserCreateForm(RoleUnitFields, forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Use letters, digits and . @ + - _ only, without spaces.")},
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=16, required=False)
    email = forms.EmailField(
        label=_("Email"), max_length=254, required=False, help_text=_("Notifications and the daily digest by email.")
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=150, required=False)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    role = forms.ChoiceField(label=_("Role"), choices=RoleChoice.choices)
    unit = forms.CharField(label=_("Unit code"), max_length=20)

    def clean_password(self):
        """Checked against the new account's username and name too (the account does not exist yet)."""
        password = self.cleaned_data["password"]
        account = User(
            username=self.cleaned_data.get("username", ""),
            full_name=self.cleaned_data.get("full_name", ""),
            phone=self.cleaned_data.get("phone", ""),
        )
        password_validation.validate_password(password, user=account)
        return password


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"), max_length=254, required=False, help_text=_("Notifications and the daily digest by email.")
    )


class GrantForm(RoleUnitFields, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=RoleChoice.choices)
    unit = forms.CharField(label=_("Unit code"), max_length=20)


class SetPasswordForm(forms.Form):
    """An officer sets the password of an account they manage."""

    password = forms.CharField(label=_("New password"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password, user=self.account)
        return password


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Device or integration name"), max_length=80)
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The token stops working after this day; ask for a new one then."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first, default, last = token_expiry_bounds()
        field = self.fields["valid_until"]
        field.initial = default
        field.widget.attrs.update({"min": first.isoformat(), "max": last.isoformat()})
