"""What the testing app adds to a person's page: register a sample, the person's samples."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from chongdich.core.panels import Action, Panel, PersonExtras
from chongdich.core.roles import Cap
from chongdich.core.scoping import has_capability, in_scope
from chongdich.testing.selectors import samples_of_person


def testing_extras(user, person) -> PersonExtras | None:
    if not has_capability(user, Cap.TESTS_VIEW):
        return None
    extras = PersonExtras()
    if in_scope(user, Cap.TESTS_EDIT, person):
        extras.actions.append(Action(_("Register a sample"), reverse("testing:sample_create") + f"?person={person.pk}"))
    samples = list(samples_of_person(user, person)[:10])
    if samples:
        extras.panels.append(Panel("testing/panels/person_samples.html", {"samples": samples}))
    return extras
