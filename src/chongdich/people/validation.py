"""Turn identity errors into translated, actionable messages (what is wrong, how to fix it)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chongdich.people.identity import FEMALE, IdentityError, normalize_phone, validate_cccd

MESSAGES = {
    "cccd_format": gettext_lazy("The citizen ID “%(value)s” must have exactly 12 digits (e.g. 070090001234)."),
    "cccd_province": gettext_lazy(
        "The citizen ID %(value)s starts with %(province)s, which is not a province code "
        "(the first 3 digits are the province of birth registration, 001–096)."
    ),
    "cccd_sex": gettext_lazy(
        "The citizen ID %(value)s belongs to a %(cccd_sex)s (4th digit), but the person is recorded as %(sex)s. "
        "Check the sex or the ID number."
    ),
    "cccd_century": gettext_lazy(
        "The citizen ID %(value)s does not match the year of birth %(year)s (the 4th digit gives the century). "
        "Check the year of birth or the ID number."
    ),
    "cccd_year": gettext_lazy(
        "The citizen ID %(value)s gives a year of birth ending in %(suffix)s (digits 5–6), "
        "but the year of birth is %(year)s."
    ),
    "phone_format": gettext_lazy(
        "“%(value)s” is not a Vietnamese phone number. Write 10 digits starting with 0 (e.g. 0912 345 678) or +84."
    ),
}


def identity_message(error: IdentityError) -> str:
    params = dict(error.params)
    if error.code == "cccd_sex":
        params["cccd_sex"] = _("woman") if params.get("cccd_sex") == FEMALE else _("man")
        params["sex"] = _("a woman") if params.get("sex") == FEMALE else _("a man")
    template = MESSAGES.get(error.code)
    return str(template) % params if template else str(error)


def clean_cccd_field(value: str | None, *, sex: str | None, birth_year: int | None) -> str | None:
    if not value or not str(value).strip():
        return None
    try:
        return validate_cccd(str(value), sex=sex, birth_year=birth_year)
    except IdentityError as error:
        raise ValidationError(identity_message(error), code=error.code) from error


def clean_phone_field(value: str | None) -> str:
    try:
        return normalize_phone(value)
    except IdentityError as error:
        raise ValidationError(identity_message(error), code=error.code) from error
