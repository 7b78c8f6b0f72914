"""Checks shared by the care services: scope, dates, idempotent re-sends."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from chongdich.care.selectors import facility_visible
from chongdich.core.recorded import replay, user_or_none  # noqa: F401 - user_or_none is used by every care service
from chongdich.core.roles import Cap
from chongdich.core.scoping import Scope, scope_for


def edit_scope(actor) -> Scope:
    return scope_for(actor, Cap.CARE_EDIT)


def people_outside_area() -> str:
    return _("You may only make care decisions for people who live in your area.")


def facilities_outside_area() -> str:
    return _("You may only manage facilities in your area.")


def check_person_in_scope(actor, person) -> None:
    if not edit_scope(actor).contains(person.unit_path):
        raise PermissionDenied(people_outside_area())


def check_facility_in_scope(actor, facility) -> None:
    if not edit_scope(actor).contains(facility.unit_path):
        raise PermissionDenied(facilities_outside_area())


def replay_care(actor, model, client_id: str | None, *, refusal: str, path="unit_path"):
    """``core.recorded.replay`` with the care officers' capability."""
    return replay(actor, model, client_id, capability=Cap.CARE_EDIT, refusal=refusal, path=path)


def check_facility_visible(actor, facility) -> None:
    if not facility_visible(actor, facility):
        raise PermissionDenied(_("This facility is outside your area."))


def fmt(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def already_staying_error(person, stay) -> ValidationError:
    return ValidationError(
        _("%(name)s is already staying at %(facility)s (since %(date)s). Discharge or transfer them there first.")
        % {"name": person.full_name, "facility": stay.facility.name, "date": fmt(stay.admitted_on)},
        code="already_staying",
    )
