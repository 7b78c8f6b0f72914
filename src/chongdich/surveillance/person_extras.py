"""What surveillance adds to a person's page: confirm as a case, record an exposure, cases and contact ranks."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from chongdich.core.panels import Action, Panel, PersonExtras
from chongdich.core.roles import Cap
from chongdich.core.scoping import in_scope
from chongdich.surveillance.models import Case, Contact, Outcome


def surveillance_extras(user, person) -> PersonExtras | None:
    if not in_scope(user, Cap.CASES_VIEW, person):
        return None
    extras = PersonExtras()
    cases = list(Case.objects.filter(person=person).order_by("-confirmed_on"))
    if in_scope(user, Cap.CASES_EDIT, person):
        if not any(c.outcome == Outcome.ACTIVE for c in cases):
            extras.actions.append(
                Action(
                    _("Confirm as a case (F0)"),
                    reverse("surveillance:confirm") + f"?person={person.pk}",
                    "outline-danger",
                )
            )
        extras.actions.append(
            Action(_("Record an exposure"), reverse("surveillance:exposure_create", args=[person.pk]))
        )
    contacts = list(
        Contact.objects.filter(person=person).select_related("index_case").order_by("rank", "-last_exposure")[:10]
    )
    if cases or contacts:
        extras.panels.append(Panel("surveillance/panels/person_cases.html", {"cases": cases, "contacts": contacts}))
    return extras
