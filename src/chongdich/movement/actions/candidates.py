"""An officer's decision on a candidate contact of a case (same venue, overlapping time): confirm them as
F1 (the exposure is recorded through surveillance's own action, ``do_trace_contact``, which registers a
person not yet known) or dismiss them.  Either way a ``CandidateReview`` keeps the decision, so the
candidate leaves the tracing page; one review per case, venue and phone."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chongdich.core import audit
from chongdich.core.recorded import replay
from chongdich.core.roles import Cap
from chongdich.core.scoping import in_scope
from chongdich.movement.models import CandidateDecision, CandidateReview
from chongdich.movement.selectors.candidates import find_candidate
from chongdich.people.actions import precheck_new_person
from chongdich.people.models import Person
from chongdich.surveillance.actions import do_trace_contact
from chongdich.surveillance.models import Case, ExposureKind


def cases_outside_area() -> str:
    return _("You may only trace the contacts of cases in your area.")


def _candidate(actor, case: Case, venue_id: int, key: str):
    if not in_scope(actor, Cap.CASES_EDIT, case):
        raise PermissionDenied(cases_outside_area())
    candidate = find_candidate(actor, case, venue_id, key)
    if candidate is None:
        raise ValidationError(_("This candidate is no longer on the list: someone reviewed them, or they were traced."))
    return candidate


def _review(actor, case: Case, candidate, decision: str, *, exposure=None, person=None, note="", client_id=None):
    review = CandidateReview(
        case=case,
        venue=candidate.venue,
        phone=candidate.phone,
        person=person or candidate.person,
        decision=decision,
        exposure=exposure,
        note=(note or "")[:200],
    ).stamp(actor, client_id)
    review.place_in(case.unit)
    review.save()
    audit.record(
        actor,
        audit.AuditAction.CREATE,
        review,
        label=f"{case.case_number}: {candidate.venue.name}",
        unit_path=case.unit_path,
        detail={"decision": decision, "venue": candidate.venue.pk, "exposure": getattr(exposure, "pk", None)},
    )
    return review


@transaction.atomic
def do_dismiss_candidate(
    actor, case: Case, *, venue_id: int, key: str, note: str = "", client_id: str | None = None
) -> CandidateReview:
    """ "Not a contact": the candidate leaves the case's list."""
    existing = replay(actor, CandidateReview, client_id, capability=Cap.CASES_EDIT, refusal=cases_outside_area())
    if existing is not None:
        return existing
    candidate = _candidate(actor, case, venue_id, key)
    return _review(actor, case, candidate, CandidateDecision.DISMISSED, note=note, client_id=client_id)


def do_confirm_candidate(
    actor,
    case: Case,
    *,
    venue_id: int,
    key: str,
    kind: str = ExposureKind.SAME_ENCLOSED_SPACE,
    new_person: dict[str, Any] | None = None,
    confirm_new: bool = False,
    client_id: str | None = None,
) -> CandidateReview:
    """ "Confirm as F1": an exposure of the case person with the candidate (the person the check-ins
    named, or ``new_person`` registered now) at the venue, at the time they were together."""
    existing = replay(actor, CandidateReview, client_id, capability=Cap.CASES_EDIT, refusal=cases_outside_area())
    if existing is not None:
        return existing
    candidate = _candidate(actor, case, venue_id, key)
    if kind not in ExposureKind.values:
        raise ValidationError({"kind": _("Choose how they were exposed.")})
    other = candidate.person
    if other is None and not new_person:
        raise ValidationError(_("Nobody is registered with this phone: register the person to confirm them as F1."))
    exposure = {
        "kind": kind,
        "start": candidate.exposure_start,
        "end": candidate.exposure_end,
        "place": candidate.venue.name[:200],
    }
    if other is None:
        # A possible duplicate is refused before the transaction, so its audited warning survives.
        data = dict(new_person)
        precheck_new_person(
            actor,
            unit=data.pop("unit"),
            data=data,
            confirm_new=confirm_new,
            client_id=f"{client_id}:exposure:person" if client_id else None,
        )
    with transaction.atomic():  # the exposure (and the new person) and the review, or nothing
        exposure_row, _created = do_trace_contact(
            actor,
            person=case.person,
            exposure=exposure,
            other=other,
            new_person=None if other is not None else new_person,
            forward=True,
            client_id=f"{client_id}:exposure" if client_id else None,
            confirm_new=True if other is None else confirm_new,
        )
        return _review(
            actor,
            case,
            candidate,
            CandidateDecision.CONFIRMED,
            exposure=exposure_row,
            person=Person.objects.filter(pk=exposure_row.contact_id).first(),
            client_id=client_id,
        )
