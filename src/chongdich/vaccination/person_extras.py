"""What vaccination adds to a person's page: doses (product, date, lot, site), priority groups, the next
dose due, upcoming invitations, the certificate link; enrolment in a group for those who may edit."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from chongdich.core import clock
from chongdich.core.panels import Action, Panel, PersonExtras
from chongdich.core.scoping import in_scope
from chongdich.vaccination.forms.targets import EnrolForm
from chongdich.vaccination.models import EDIT, VIEW
from chongdich.vaccination.selectors import targets as read


def vaccination_extras(user, person) -> PersonExtras | None:
    if not in_scope(user, VIEW, person):
        return None
    today = clock.today()
    shown = read.person_vaccination(person, today)
    can_edit = in_scope(user, EDIT, person)
    extras = PersonExtras()
    if shown.certificate_url:
        extras.actions.append(Action(_("Vaccination certificate"), shown.certificate_url))
    extras.panels.append(
        Panel(
            "vaccination/targets/person_panel.html",
            {
                "person": person,
                "shown": shown,
                "today": today,
                "can_edit": can_edit,
                "form": EnrolForm(province_code=person.province_code) if can_edit else None,
                "enrol_url": reverse("vaccination:person_enrol", args=[person.pk]),
            },
        )
    )
    return extras
