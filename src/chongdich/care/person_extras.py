"""What care adds to a person's page: the link to their quarantine and care page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from chongdich.core.panels import Action, PersonExtras
from chongdich.core.roles import Cap
from chongdich.core.scoping import in_scope


def care_extras(user, person) -> PersonExtras | None:
    if not in_scope(user, Cap.CARE_VIEW, person):
        return None
    return PersonExtras(
        actions=[Action(_("Quarantine and care"), reverse("care:person", args=[person.pk]), "outline-primary")]
    )
