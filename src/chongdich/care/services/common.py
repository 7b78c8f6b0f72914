"""Checks shared by the care services: scope, dates, idempotent re-sends."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from chongdich.core.roles import Cap
from chongdich.core.scoping import Scope, scope_for


def edit_scope(actor) -> Scope:
    return scope_for(actor, Cap.CARE_EDIT)


def check_person_in_scope(actor, person) -> None:
    if not edit_scope(actor).contains(person.unit_path):
        raise PermissionDenied(_("You may only make care decisions for people who live in your area."))


def check_facility_in_scope(actor, facility) -> None:
    if not edit_scope(actor).contains(facility.unit_path):
        raise PermissionDenied(_("You may only manage facilities in your area."))


def check_facility_visible(actor, facility) -> None:
    if not scope_for(actor, Cap.CARE_VIEW).contains(facility.unit_path):
        raise PermissionDenied(_("This facility is outside your area."))


def user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def fmt(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def not_future(day: date | None, label: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError(_("%(label)s cannot be in the future (today is %(today)s).")
                              % {"label": label, "today": fmt(timezone.localdate())})  # fmt: skip


def required(value, message: str) -> None:
    if value in (None, ""):
        raise ValidationError(message)
