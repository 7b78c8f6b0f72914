"""The ``do_*`` actions on cases: confirm, update, move between treatment places, close.

Every write checks scope, validates, keeps tallies in step (``tallies.engine.tracked``), keeps the
transmission chain up to date and is audited.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chongdich.core import audit, clock, dates
from chongdich.core.recorded import replay
from chongdich.core.roles import Cap
from chongdich.core.scoping import in_scope
from chongdich.people.models import Person
from chongdich.surveillance import chains, placement
from chongdich.surveillance.contacts import case_confirmed, exposure_recorded
from chongdich.surveillance.models import (
    CASE_DETAIL_FIELDS,
    Case,
    CaseCounter,
    Contact,
    ContactStatus,
    DetectedIn,
    Exposure,
    Outcome,
    TreatmentEpisode,
    TreatmentPlace,
)
from chongdich.surveillance.signals import case_changed
from chongdich.tallies.engine import tracked

FACILITY_PLACES = {
    TreatmentPlace.HOSPITAL,
    TreatmentPlace.FIELD_HOSPITAL,
    TreatmentPlace.TREATMENT_AREA,
    TreatmentPlace.CONCENTRATED,
}
# Places where the case is in a facility that must be named (a hospital may be outside the system).
NAMED_FACILITY_PLACES = FACILITY_PLACES - {TreatmentPlace.HOSPITAL}


def check_can_edit(actor, path: str, *, also: str | None = None) -> None:
    """Case officers of the area; ``also`` admits another capability (facility staff move and close the
    cases they treat: admission, transfer and discharge change the treatment place and the outcome)."""
    if in_scope(actor, Cap.CASES_EDIT, path) or (also and in_scope(actor, also, path)):
        return
    raise PermissionDenied(_cases_outside_area())


def _cases_outside_area() -> str:
    return _("You may only record cases of people who live in your area.")


def _exposures_outside_area() -> str:
    return _("You may only record exposures of people who live in your area.")


def next_case_number(province_code: str) -> str:
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(province_code=province_code)
    CaseCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db()
    return f"{province_code}-{counter.last:05d}"


def linked_cases(person: Person) -> list[Case]:
    """Cases of the people this person has an exposure with, in either direction."""
    others = set(Exposure.objects.filter(source=person).values_list("contact_id", flat=True))
    others |= set(Exposure.objects.filter(contact=person).values_list("source_id", flat=True))
    others.discard(person.pk)
    if not others:
        return []
    return list(Case.objects.filter(person_id__in=others).only("pk", "chain_id", "confirmed_on"))


@transaction.atomic
def do_confirm_case(
    actor,
    person: Person,
    *,
    confirmed_on: date,
    treatment_place: str = TreatmentPlace.HOME,
    facility=None,
    client_id: str | None = None,
    **details,
) -> tuple[Case, bool]:
    """Record a confirmed case (F0).  Returns (case, created); a re-sent ``client_id`` returns the original."""
    existing = replay(actor, Case, client_id, capability=Cap.CASES_EDIT, refusal=_cases_outside_area())
    if existing is not None:
        return existing, False
    check_can_edit(actor, person.unit_path)
    dates.check("case.confirmed_on", confirmed_on)
    onset = details.get("onset_date")
    dates.check("case.onset_date", onset)
    if onset and (confirmed_on - onset).days > 30:
        raise ValidationError(_("The symptom onset is more than 30 days before the confirmation: check the dates."))
    active = Case.objects.filter(person=person, outcome=Outcome.ACTIVE).first()
    if active is not None:
        raise ValidationError(
            _("%(name)s is already an active case (%(number)s).")
            % {"name": person.full_name, "number": active.case_number}
        )
    if treatment_place in NAMED_FACILITY_PLACES and facility is None:
        raise ValidationError(_("Choose the facility where the case is treated."))
    case = Case(
        person=person,
        confirmed_on=confirmed_on,
        treatment_place=treatment_place,
        **details,
    ).stamp(actor, client_id)
    case.place_in(person.unit)
    case.case_number = next_case_number(case.province_code)
    if not case.symptomatic and case.onset_date:
        case.symptomatic = True
    with tracked() as tally:
        case.save()
        TreatmentEpisode.objects.create(case=case, place=treatment_place, start=confirmed_on)
        tally.add(case)
    chain = chains.start_chain(case)
    for other in linked_cases(person):
        if other.pk != case.pk and other.chain_id:
            chain = chains.union(chain.pk, other.chain_id)
    if case.cluster_id:
        chain.clusters.add(case.cluster_id)
    Contact.objects.filter(person=person).exclude(status=ContactStatus.BECAME_CASE).update(
        status=ContactStatus.BECAME_CASE
    )
    audit.record(actor, audit.AuditAction.CREATE, case, label=case.case_number)
    case_changed.send(sender=Case, actor=actor, case=case, change="confirmed", facility=facility)
    case_confirmed(case, actor)
    return case, True


EDITABLE = (*CASE_DETAIL_FIELDS, "confirmed_on")


@transaction.atomic
def do_update_case(actor, case: Case, **changes) -> Case:
    check_can_edit(actor, case.unit_path)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    episodes = list(case.episodes.order_by("start", "pk"))
    new_date = changes.get("confirmed_on")
    if new_date is not None:
        dates.check("case.confirmed_on", new_date)
        if (len(episodes) > 1 and new_date > episodes[1].start) or (case.outcome_on and new_date > case.outcome_on):
            raise ValidationError(_("The confirmation date must come before the case's later changes."))
    dates.check("case.onset_date", changes.get("onset_date"))
    before = {name: getattr(case, name) for name in changes}
    # The confirmation date is also the day its contacts became contacts (Contact.found_on).
    contacts = list(case.contacts.all()) if new_date is not None and new_date != case.confirmed_on else []
    with tracked(case, *contacts):
        for name, value in changes.items():
            setattr(case, name, value)
        case._history_user = actor
        case.save()
        if new_date is not None and episodes:
            TreatmentEpisode.objects.filter(pk=episodes[0].pk).update(start=new_date)
    changed = {k: [str(before[k]), str(v)] for k, v in changes.items() if before[k] != v}
    if "cluster" in changed and case.cluster_id:
        chain = chains.root(case.chain_id)
        if chain is not None:
            chain.clusters.add(case.cluster_id)  # clusters link to the chains of their cases
    if changed:
        audit.record(actor, audit.AuditAction.UPDATE, case, detail={"changed": changed}, label=case.case_number)
    if "confirmed_on" in changed:
        case_changed.send(sender=Case, actor=actor, case=case, change="redated", was=before["confirmed_on"])
    return case


def _current_episode(case: Case) -> TreatmentEpisode:
    return case.episodes.filter(end__isnull=True).order_by("-start").first()


@transaction.atomic
def do_move_case(actor, case: Case, *, place: str, on: date, facility=None) -> Case:
    """The case changes treatment place on ``on`` (hospital → home, home → field hospital…)."""
    check_can_edit(actor, case.unit_path, also=Cap.CARE_EDIT)
    if case.outcome != Outcome.ACTIVE:
        raise ValidationError(_("This case is closed; reopen it before moving it."))
    dates.check("case.moved_on", on, field="on")
    current = _current_episode(case)
    if current is not None and on < current.start:
        raise ValidationError(
            _("The move cannot be before %(date)s, when the case arrived at its current place.")
            % {"date": current.start.strftime("%d/%m/%Y")}
        )
    if current is not None and current.place == place and placement.facilities().of_episode(current) == facility:
        raise ValidationError(_("The case is already treated there."))
    with tracked(case):
        if current is not None:
            if current.start == on:  # same-day correction: replace rather than leave a zero-length episode
                current.delete()
            else:
                current.end = on
                current.save(update_fields=["end"])
        TreatmentEpisode.objects.create(case=case, place=place, start=on)
        case.treatment_place = place
        case._history_user = actor
        case.save()
    audit.record(
        actor,
        audit.AuditAction.UPDATE,
        case,
        label=case.case_number,
        detail={"changed": {"treatment_place": [current.place if current else "", place]}, "on": on.isoformat()},
    )
    case_changed.send(sender=Case, actor=actor, case=case, change="moved", on=on, facility=facility)
    return case


@transaction.atomic
def do_close_case(actor, case: Case, *, outcome: str, on: date) -> Case:
    """Recovered, died or transferred out of the province on ``on``."""
    check_can_edit(actor, case.unit_path, also=Cap.CARE_EDIT)
    if outcome not in (Outcome.RECOVERED, Outcome.DIED, Outcome.TRANSFERRED_OUT):
        raise ValidationError(_("Choose recovered, died or transferred out."))
    if case.outcome != Outcome.ACTIVE:
        raise ValidationError(_("This case is already closed."))
    dates.check("case.outcome_on", on, field="on")
    if on < case.confirmed_on:
        raise ValidationError(
            _("The case cannot end before it was confirmed (%(date)s).")
            % {"date": case.confirmed_on.strftime("%d/%m/%Y")}
        )
    current = _current_episode(case)
    if current is not None and on < current.start:
        raise ValidationError(
            _("The case cannot end before %(date)s, when it arrived at its current place.")
            % {"date": current.start.strftime("%d/%m/%Y")}
        )
    with tracked(case):
        if current is not None:
            current.end = on
            current.save(update_fields=["end"])
        case.outcome, case.outcome_on = outcome, on
        case._history_user = actor
        case.save()
    chains.case_closed(case)
    audit.record(
        actor,
        audit.AuditAction.UPDATE,
        case,
        label=case.case_number,
        detail={"changed": {"outcome": [Outcome.ACTIVE, outcome]}, "on": on.isoformat()},
    )
    case_changed.send(sender=Case, actor=actor, case=case, change="closed")
    return case


@transaction.atomic
def do_reopen_case(actor, case: Case) -> Case:
    """Undo a closure entered by mistake: the last episode continues."""
    check_can_edit(actor, case.unit_path)
    if case.outcome == Outcome.ACTIVE:
        return case
    if Case.objects.filter(person=case.person, outcome=Outcome.ACTIVE).exclude(pk=case.pk).exists():
        raise ValidationError(_("This person has another active case."))
    last = case.episodes.order_by("-start").first()
    with tracked(case):
        if last is not None:
            last.end = None
            last.save(update_fields=["end"])
        previous, closed_on = case.outcome, case.outcome_on
        case.outcome, case.outcome_on = Outcome.ACTIVE, None
        case._history_user = actor
        case.save()
    chains.case_reopened(case)
    audit.record(
        actor,
        audit.AuditAction.UPDATE,
        case,
        label=case.case_number,
        detail={"changed": {"outcome": [previous, Outcome.ACTIVE]}},
    )
    case_changed.send(sender=Case, actor=actor, case=case, change="reopened", closed_on=closed_on)
    return case


def community_filter() -> Q:
    return Q(detected_in=DetectedIn.COMMUNITY)


@transaction.atomic
def do_record_exposure(
    actor,
    *,
    source: Person,
    contact: Person,
    kind: str,
    start,
    end=None,
    masked=None,
    distance_m=None,
    duration_min=None,
    place: str = "",
    cluster=None,
    client_id: str | None = None,
) -> tuple[Exposure, bool]:
    """Record that ``source`` and ``contact`` met; links chains and updates contact ranks."""
    # Either person's officers may record an exposure (it belongs to the source's area).
    existing = replay(
        actor,
        Exposure,
        client_id,
        capability=Cap.CASES_EDIT,
        refusal=_exposures_outside_area(),
        path=("source__unit_path", "contact__unit_path"),
    )
    if existing is not None:
        return existing, False
    if source.pk == contact.pk:
        raise ValidationError(_("An exposure needs two different people."))
    if not (in_scope(actor, Cap.CASES_EDIT, source) or in_scope(actor, Cap.CASES_EDIT, contact)):
        raise PermissionDenied(_exposures_outside_area())
    now = clock.now()
    start_at = _as_datetime(start)
    end_at = _as_datetime(end) if end else None
    dates.check("exposure.start", timezone.localtime(start_at).date(), field="start_date")
    if end_at:
        dates.check("exposure.end", timezone.localtime(end_at).date(), field="end_date")
    if start_at > now or (end_at and end_at > now):
        raise ValidationError(_("An exposure cannot be in the future."))
    if end_at and end_at < start_at:
        raise ValidationError(_("The exposure cannot end before it starts."))
    if distance_m is not None and distance_m < 0:
        raise ValidationError(_("The distance cannot be negative."))
    exposure = Exposure(
        source=source,
        contact=contact,
        kind=kind,
        start=start_at,
        end=end_at,
        masked=masked,
        distance_m=distance_m,
        duration_min=duration_min,
        place=place,
        cluster=cluster,
    ).stamp(actor, client_id)
    exposure.place_in(source.unit)
    exposure.save()
    case_a = Case.objects.filter(person=source).order_by("-confirmed_on").only("pk", "chain_id").first()
    case_b = Case.objects.filter(person=contact).order_by("-confirmed_on").only("pk", "chain_id").first()
    if case_a and case_b and case_a.chain_id and case_b.chain_id:
        chains.union(case_a.chain_id, case_b.chain_id)
    exposure_recorded(exposure, actor)
    _audit_exposure(actor, exposure, source, contact)
    return exposure, True


def _audit_exposure(actor, exposure: Exposure, source: Person, contact: Person) -> None:
    """Two people of different areas: one event in each area, each naming only its own person, so that
    an auditor never reads the name of someone outside their area."""
    if source.unit_path == contact.unit_path:
        audit.record(actor, audit.AuditAction.CREATE, exposure, label=f"{source.full_name} → {contact.full_name}")
        return
    audit.record(actor, audit.AuditAction.CREATE, exposure, label=f"{source.full_name} → …", unit_path=source.unit_path)
    audit.record(
        actor, audit.AuditAction.CREATE, exposure, label=f"… → {contact.full_name}", unit_path=contact.unit_path
    )


def _as_datetime(value):
    """A date alone means that day (from its start, so an exposure "today" is never in the future)."""
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return clock.start_of(value)
