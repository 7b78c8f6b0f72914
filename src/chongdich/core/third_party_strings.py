"""Strings of third-party packages that reach our pages but are missing or not picked up in their
Vietnamese catalogues; listed here so that makemessages puts them into ours."""

from django.utils.translation import gettext_noop, ngettext_lazy

THIRD_PARTY_STRINGS = (
    gettext_noop("previous"),  # django-tables2 pagination
    gettext_noop("next"),
    gettext_noop("This password is too common."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        8,
    ),
)
