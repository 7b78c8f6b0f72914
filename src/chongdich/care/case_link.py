"""Keeping a case's treatment place in step with where the person is (R-55).

When an F0 is admitted to, moved between or discharged from facilities, or starts or ends home care,
the case's treatment episodes must follow, or "active cases" would no longer equal the sum over
treatment places.  This is the only module of the care app that calls the case services; it passes
the same actor, so the case change is checked, tallied and audited like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from chongdich.care.models import DischargeReason, Facility, FacilityKind
from chongdich.care.placement import PLACE_OF_KIND, facility_of
from chongdich.surveillance import actions as cases
from chongdich.surveillance.models import Case, Outcome, TreatmentPlace

T = TypeVar("T")

CLOSING_REASONS = {DischargeReason.RECOVERED: Outcome.RECOVERED, DischargeReason.DIED: Outcome.DIED}


def active_case_of(person_id: int) -> Case | None:
    return Case.objects.filter(person_id=person_id, outcome=Outcome.ACTIVE).first()


def _as_case_officer(action: Callable[[], T], case: Case) -> T:
    try:
        return action()
    except PermissionDenied as exc:
        raise PermissionDenied(
            _(
                "This also changes case %(number)s, which needs the right to edit cases where the person lives. "
                "Ask the commune health station or the district steering committee."
            )
            % {"number": case.case_number}
        ) from exc


def case_admitted(actor, case: Case, facility: Facility, on: date) -> None:
    """The case is now treated in ``facility`` from ``on``."""
    place = PLACE_OF_KIND[FacilityKind(facility.kind)]
    if case.outcome != Outcome.ACTIVE or (case.treatment_place == place and facility_of(case) == facility):
        return
    _as_case_officer(lambda: cases.do_move_case(actor, case, place=place, on=on, facility=facility), case)


def case_discharged(actor, case: Case, facility: Facility, on: date, reason: str) -> None:
    """Leaving ``facility``: recovered or died closes the case; otherwise treatment continues at home.

    A transfer is not handled here (the admission to the next facility moves the case), nor a case
    that had already moved elsewhere.
    """
    case.refresh_from_db()
    if case.outcome != Outcome.ACTIVE or facility_of(case) != facility or reason == DischargeReason.TRANSFERRED:
        return
    outcome = CLOSING_REASONS.get(DischargeReason(reason))
    if outcome is not None:
        _as_case_officer(lambda: cases.do_close_case(actor, case, outcome=outcome, on=on), case)
    else:
        _as_case_officer(lambda: cases.do_move_case(actor, case, place=TreatmentPlace.HOME, on=on), case)


def case_home(actor, case: Case, on: date) -> None:
    """Home care starts: the case is treated at home from ``on``."""
    if case.outcome == Outcome.ACTIVE and case.treatment_place != TreatmentPlace.HOME:
        _as_case_officer(lambda: cases.do_move_case(actor, case, place=TreatmentPlace.HOME, on=on), case)


def case_recovered(actor, case: Case, on: date) -> None:
    """Home care completed: the station certifies recovery."""
    case.refresh_from_db()
    if case.outcome == Outcome.ACTIVE:
        _as_case_officer(lambda: cases.do_close_case(actor, case, outcome=Outcome.RECOVERED, on=on), case)
