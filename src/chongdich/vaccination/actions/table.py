"""The ``do_*`` actions of sessions and of the vaccination table: sessions (create, edit, open, close,
cancel), pre-vaccination screening, recording a dose, the end of the 30-minute observation, voiding a
dose.

Each one checks the actor's scope (``vaccination.edit`` where the session's site is; where the person
lives for what is written about a person), validates with messages that say how to fix the input,
writes in one transaction and appends an audit event.  A re-sent ``client_id`` returns the original
record; a dose is also unique per (person, kind, number), so a second attempt that slipped past the
client id answers with the dose already recorded.

A dose's number and kind are what ``rules.check_new_dose`` says; its problems (interval, age, mixing…)
stop it unless the actor gives a reason, which is stored with the problems and audited.
"""

from __future__ import annotations

from contextlib import contextmanager, nullcontext
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chongdich.core import audit, clock, dates
from chongdich.core.recorded import replay
from chongdich.core.scoping import in_scope
from chongdich.people.models import Person
from chongdich.tallies.engine import tracked
from chongdich.territory.models import AGE_BANDS
from chongdich.vaccination.models import (
    EDIT,
    Dose,
    DoseKind,
    DoseSource,
    Invitation,
    InvitationStatus,
    Lot,
    Screening,
    ScreeningOutcome,
    Session,
    SessionStatus,
    Shift,
    Site,
)
from chongdich.vaccination.rules import InputError, check_new_dose, screen
from chongdich.vaccination.selectors.table import (
    STOPPING,
    config_for,
    enrolments_of,
    group_numbers,
    language,
    last_screening,
    observation_end,
    person_doses,
    person_in,
    problem_labels,
    products_on,
    staff_in_area,
)

SESSION_FIELDS = ("day", "shift", "planned", "staff_note", "note")
MAX_PLANNED = 5000
# Problems no reason can override: the product is not in the catalogue, or the day is in the future.
HARD_STOPS = {"unknown_product", "dose_in_future"}


def _outside_area() -> str:
    return _("You may only vaccinate in your own area.")


def check_can_vaccinate_in(actor, target) -> None:
    if not in_scope(actor, EDIT, target):
        raise PermissionDenied(_outside_area())


def _replay(actor, model, client_id: str | None):
    return replay(actor, model, client_id, capability=EDIT, refusal=_outside_area())


@contextmanager
def _tallied(*records):
    """``tallies.engine.tracked`` once doses feed the tallies (``Dose.tally_contributions``); until
    then a plain transaction, so that the dose actions never depend on that method existing."""
    feeds = hasattr(Dose, "tally_contributions")
    with tracked(*records) if feeds else nullcontext(_NoTracker()) as tracker:
        yield tracker


class _NoTracker:
    def add(self, record) -> None:
        pass


# -- sessions ----------------------------------------------------------------------------------------------
def _check_lots(lots, day: date, province: str | None) -> list[Lot]:
    lots = list(lots or [])
    in_force = products_on(day, province)
    bad = []
    for lot in lots:
        if lot.expires_on < day:
            bad.append(
                _("Lot %(lot)s expired on %(date)s.") % {"lot": lot, "date": lot.expires_on.strftime("%d/%m/%Y")}
            )
        elif lot.product not in in_force:
            bad.append(_("Lot %(lot)s is of a vaccine not in use on that day.") % {"lot": lot})
    if bad:
        raise ValidationError({"lots": bad})
    return lots


def _check_staff(actor, staff) -> list:
    staff = list(staff or [])
    allowed = staff_in_area(actor, staff)
    outside = [user for user in staff if user.pk not in allowed]
    if outside:
        raise ValidationError(
            {"staff": _("%(names)s hold no role in your area.") % {"names": ", ".join(str(u) for u in outside)}}
        )
    return staff


def _clean_session(data: dict[str, Any]) -> dict[str, Any]:
    errors = {}
    day = data.get("day")
    if day is None:
        errors["day"] = _("Enter the date of the session.")
    else:
        message = dates.problem("vaccination.session_day", day)
        if message:
            errors["day"] = message
    shift = data.get("shift") or Shift.ALL_DAY
    if shift not in Shift.values:
        errors["shift"] = _("Choose a shift.")
    planned = data.get("planned") or 0
    if not isinstance(planned, int) or not 0 <= planned <= MAX_PLANNED:
        errors["planned"] = _("Enter the number of people planned, from 0 to %(max)s.") % {"max": MAX_PLANNED}
    if errors:
        raise ValidationError(errors)
    return {
        "day": day,
        "shift": shift,
        "planned": planned,
        "staff_note": (data.get("staff_note") or "").strip()[:300],
        "note": (data.get("note") or "").strip()[:300],
    }


def _check_site(actor, site: Site | None) -> Site:
    if site is None:
        raise ValidationError({"site": _("Choose the vaccination site.")})
    check_can_vaccinate_in(actor, site)
    if not site.active:
        raise ValidationError({"site": _("%(site)s is no longer active; choose another site.") % {"site": site}})
    return site


@transaction.atomic
def do_create_session(
    actor, *, site: Site | None, data: dict[str, Any], lots=(), staff=(), client_id: str | None = None
) -> tuple[Session, bool]:
    """Plan a session at a site on a day; returns (session, created)."""
    existing = _replay(actor, Session, client_id)
    if existing is not None:
        return existing, False
    site = _check_site(actor, site)
    values = _clean_session(data)
    lots = _check_lots(lots, values["day"], site.province_code or None)
    staff = _check_staff(actor, staff)
    session = Session(site=site, **values).stamp(actor, client_id)
    session.place_in(site.unit)
    session.save()
    session.lots.set(lots)
    session.staff.set(staff)
    audit.record(
        actor,
        audit.AuditAction.CREATE,
        session,
        detail={"lots": [str(lot) for lot in lots], "staff": [u.get_username() for u in staff]},
    )
    return session, True


@transaction.atomic
def do_update_session(actor, session: Session, *, data: dict[str, Any], lots=None, staff=None, site=None) -> Session:
    """Change a planned or open session (its site only while it has no dose)."""
    check_can_vaccinate_in(actor, session)
    if session.status in (SessionStatus.CLOSED, SessionStatus.CANCELLED):
        raise ValidationError(_("A closed or cancelled session cannot be changed; reopen it first."))
    merged = {name: getattr(session, name) for name in SESSION_FIELDS} | data
    values = _clean_session(merged)
    changed: dict[str, list[str]] = {}
    if site is not None and site.pk != session.site_id:
        _check_site(actor, site)
        if session.doses.exists():
            raise ValidationError({"site": _("Doses were recorded in this session: its site cannot change.")})
        changed["site"] = [str(session.site), str(site)]
        session.site = site
        session.place_in(site.unit)
    if session.doses.exists() and values["day"] != session.day:
        raise ValidationError({"day": _("Doses were recorded in this session: its date cannot change.")})
    for name, value in values.items():
        if getattr(session, name) != value:
            changed[name] = [str(getattr(session, name)), str(value)]
            setattr(session, name, value)
    if lots is not None:
        lots = _check_lots(lots, session.day, session.site.province_code or None)
        before = set(session.lots.values_list("pk", flat=True))
        if before != {lot.pk for lot in lots}:
            changed["lots"] = [str(sorted(before)), str(sorted(lot.pk for lot in lots))]
            session.lots.set(lots)
    if staff is not None:
        staff = _check_staff(actor, staff)
        before = set(session.staff.values_list("pk", flat=True))
        if before != {u.pk for u in staff}:
            changed["staff"] = [str(sorted(before)), str(sorted(u.pk for u in staff))]
            session.staff.set(staff)
    if changed:
        session._history_user = actor
        session.save()
        audit.record(actor, audit.AuditAction.UPDATE, session, detail={"changed": changed})
    return session


# Which status each step leads from.
STEPS = {
    "open": ({SessionStatus.PLANNED, SessionStatus.CLOSED}, SessionStatus.OPEN),
    "close": ({SessionStatus.OPEN}, SessionStatus.CLOSED),
    "cancel": ({SessionStatus.PLANNED, SessionStatus.OPEN}, SessionStatus.CANCELLED),
}


@transaction.atomic
def do_set_session_status(actor, session: Session, step: str) -> Session:
    """Open (or reopen), close or cancel a session."""
    check_can_vaccinate_in(actor, session)
    if step not in STEPS:
        raise ValidationError(_("Choose open, close or cancel."))
    given, session = session, Session.objects.select_for_update().get(pk=session.pk)
    allowed, target = STEPS[step]
    if session.status == target:
        given.status = target
        return session  # a re-sent click
    if session.status not in allowed:
        raise ValidationError(
            _("A session that is “%(status)s” cannot be changed this way.") % {"status": session.get_status_display()}
        )
    if step == "open" and session.day > clock.today():
        raise ValidationError(_("A session opens on its day (%(date)s).") % {"date": session.day.strftime("%d/%m/%Y")})
    if step == "cancel" and session.doses.filter(voided_at__isnull=True).exists():
        raise ValidationError(_("Doses were recorded in this session: close it instead of cancelling it."))
    before = session.status
    session.status = target
    session._history_user = actor
    session.save(update_fields=["status"])
    given.status = target
    audit.record(actor, audit.AuditAction.UPDATE, session, detail={"changed": {"status": [before, target]}})
    return session


# -- screening -----------------------------------------------------------------------------------------------
def _check_open(session: Session) -> None:
    if session.status != SessionStatus.OPEN:
        raise ValidationError(_("The session is not open: open it before screening or vaccinating."))
    if session.day > clock.today():
        raise ValidationError(_("The session is on a later day."))


def _set_invitation(person: Person, session: Session, status: str, actor) -> None:
    invitation = Invitation.objects.filter(person=person, session=session).first()
    if invitation is None or invitation.status == status:
        return
    if invitation.status == InvitationStatus.VACCINATED and status != InvitationStatus.VACCINATED:
        return  # a later screening does not undo the dose
    invitation.status = status
    invitation._history_user = actor
    invitation.save(update_fields=["status"])


STRICTNESS = [
    ScreeningOutcome.ELIGIBLE,
    ScreeningOutcome.CAUTION,
    ScreeningOutcome.POSTPONE,
    ScreeningOutcome.CONTRAINDICATED,
]


@transaction.atomic
def do_screen(
    actor,
    *,
    person: Person,
    session: Session,
    answers: dict[str, Any],
    temperature: Decimal | None = None,
    blood_pressure: str = "",
    outcome: str | None = None,
    note: str = "",
    client_id: str | None = None,
) -> tuple[Screening, bool]:
    """Record the pre-vaccination screening; the outcome is the rules' (the doctor may only make it
    stricter).  Returns (screening, created)."""
    existing = _replay(actor, Screening, client_id)
    if existing is not None:
        return existing, False
    check_can_vaccinate_in(actor, session)
    check_can_vaccinate_in(actor, person)
    _check_open(session)
    if temperature is not None and not Decimal("34") <= temperature <= Decimal("43"):
        raise ValidationError({"temperature": _("Enter the temperature in °C, between 34 and 43.")})
    province = session.province_code or None
    try:
        result = screen(answers, config_for(province), session.day, province=province)
    except InputError as exc:
        raise ValidationError(exc.text(language())) from exc
    computed = str(result.outcome)
    chosen = outcome or computed
    if chosen not in STRICTNESS:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    if STRICTNESS.index(chosen) < STRICTNESS.index(computed):
        raise ValidationError(
            {
                "outcome": _("The answers call for “%(outcome)s”: the outcome cannot be less strict.")
                % {"outcome": ScreeningOutcome(computed).label}
            }
        )
    screening = Screening(
        person=person,
        session=session,
        screened_at=clock.now(),
        answers=dict(answers),
        temperature=temperature,
        blood_pressure=(blood_pressure or "").strip()[:12],
        outcome=chosen,
        reasons=[str(reason) for reason in result.reasons],
        note=(note or "").strip()[:300],
    ).stamp(actor, client_id)
    screening.place_in(person.unit)
    screening.save()
    _set_invitation(person, session, InvitationStatus.POSTPONED if chosen in STOPPING else InvitationStatus.CAME, actor)
    audit.record(actor, audit.AuditAction.CREATE, screening, detail={"outcome": chosen, "session": session.pk})
    return screening, True


# -- doses ------------------------------------------------------------------------------------------------------
def age_band(person: Person, day: date) -> str:
    """The person's band of ``territory.models.AGE_BANDS`` on ``day``, without the ``pop_`` prefix."""
    age = person.age_on(day)
    for band in AGE_BANDS:
        low, _sep, high = band.removeprefix("pop_").partition("_")
        if high == "plus" and age >= int(low) or high.isdigit() and int(low) <= age <= int(high):
            return band.removeprefix("pop_")
    return ""


def priority_of(person: Person, day: date, province: str | None, cfg=None) -> tuple[str, bool]:
    """(the highest-priority group the person is enrolled in, whether any of their groups is high-risk)."""
    enrolments = [e for e in enrolments_of(person) if e.since <= day]
    if not enrolments:
        return "", False
    numbers = group_numbers(day, province, cfg)
    best = min(enrolments, key=lambda e: (numbers.get(e.group, 999), e.group))
    return best.group, any(e.high_risk for e in enrolments)


def _check_lot(lot: Lot | None, session: Session) -> Lot:
    if lot is None:
        raise ValidationError({"lot": _("Choose the lot of the vial.")})
    if not session.lots.filter(pk=lot.pk).exists():
        raise ValidationError({"lot": _("Lot %(lot)s is not in use in this session.") % {"lot": lot}})
    if lot.expires_on < session.day:
        raise ValidationError({"lot": _("Lot %(lot)s has expired.") % {"lot": lot}})
    return lot


def _check_screened(person: Person, session: Session) -> Screening:
    screening = last_screening(person, session)
    if screening is None:
        raise ValidationError(_("Screen the person before recording the dose."))
    if screening.outcome in STOPPING:
        raise ValidationError(
            _("The screening says “%(outcome)s”: no dose today. %(advice)s")
            % {
                "outcome": screening.get_outcome_display(),
                "advice": _("Give the person a new appointment.")
                if screening.outcome == ScreeningOutcome.POSTPONE
                else _("Refer the person to a hospital for vaccination under supervision."),
            }
        )
    return screening


def _same_dose(person: Person, kind: str, number: int) -> Dose | None:
    return Dose.objects.valid().filter(person=person, kind=kind, number=number).first()


@transaction.atomic
def do_record_dose(
    actor,
    *,
    person: Person,
    session: Session,
    lot: Lot | None,
    override_reason: str = "",
    client_id: str | None = None,
) -> tuple[Dose, bool]:
    """Record a dose given at the table; returns (dose, created).

    The number and kind are the rules'; problems found by the rules need ``override_reason``.  The
    dose already recorded is returned for a re-sent form (same ``client_id``) and for a second
    attempt at the same (person, kind, number) in the same session.
    """
    existing = _replay(actor, Dose, client_id)
    if existing is not None:
        return existing, False
    check_can_vaccinate_in(actor, session)
    check_can_vaccinate_in(actor, person)
    _check_open(session)
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one dose of a person at a time
    lot = _check_lot(lot, session)
    screening = _check_screened(person, session)
    day = session.day
    province = session.province_code or None
    doses = person_doses(person)
    repeat = next((d for d in doses if d.session_id == session.pk and d.product == lot.product), None)
    if repeat is not None:
        return repeat, False  # the same person, session and vaccine: the dose is already recorded
    cfg = config_for(province)
    try:
        verdict = check_new_dose(person_in(person, doses), lot.product, day, cfg, province=province)
    except InputError as exc:
        raise ValidationError(exc.text(language())) from exc
    problems = list(verdict.problems)
    hard = [code for code in problems if code in HARD_STOPS]
    if hard:
        raise ValidationError({"lot": problem_labels(hard)})
    reason = (override_reason or "").strip()
    if problems and not reason:
        raise ValidationError(
            {
                "override_reason": [
                    *problem_labels(problems),
                    _("To give the dose anyway, write the reason (it is kept and audited)."),
                ]
            }
        )
    if len(reason) > 300:
        raise ValidationError({"override_reason": _("Write the reason in at most 300 characters.")})
    kind, number = str(verdict.kind), int(verdict.number)
    same = next((d for d in doses if d.kind == kind and d.number == number), None)
    if same is not None:
        return same, False  # the rules' numbering and the stored one disagree: never a second copy
    group, high_risk = priority_of(person, day, province, cfg)
    now = clock.now()
    given_at = now if day == clock.today() else None
    dose = Dose(
        person=person,
        product=lot.product,
        lot=lot,
        lot_number=lot.number,
        given_on=day,
        given_at=given_at,
        site=session.site,
        site_name=session.site.name,
        session=session,
        screening=screening,
        source=DoseSource.TABLE,
        kind=kind if kind in DoseKind.values else DoseKind.PRIMARY,
        number=number,
        completes_primary=bool(verdict.completes_primary),
        age_band=age_band(person, day),
        priority_group=group,
        high_risk=high_risk,
        problems=problems if reason else [],
        override_reason=reason if problems else "",
        observed_until=observation_end(given_at) if given_at else None,
        observation_done=given_at is None,
    ).stamp(actor, client_id)
    dose.place_in(person.unit)
    try:
        with _tallied() as tally, transaction.atomic():
            dose.save()
            tally.add(dose)
    except IntegrityError:
        # Saved a moment ago by a concurrent send (same client id, or the same person's dose number).
        again = Dose.objects.filter(client_id=client_id).first() if client_id else None
        again = again or _same_dose(person, kind, number)
        if again is None:
            raise
        return again, False
    _set_invitation(person, session, InvitationStatus.VACCINATED, actor)
    audit.record(
        actor,
        audit.AuditAction.CREATE,
        dose,
        detail={
            "session": session.pk,
            "lot": str(lot),
            "kind": dose.kind,
            "number": dose.number,
            **({"problems": problems, "override_reason": reason} if problems else {}),
        },
    )
    return dose, True


@transaction.atomic
def do_end_observation(actor, dose: Dose) -> Dose:
    """The 30 minutes are over (or the person left under advice): the dose leaves the observation list."""
    check_can_vaccinate_in(actor, dose)
    if dose.observation_done:
        return dose
    if dose.voided_at is not None:
        raise ValidationError(_("This dose was voided."))
    dose.observation_done = True
    dose._history_user = actor
    dose.save(update_fields=["observation_done"])
    audit.record(actor, audit.AuditAction.UPDATE, dose, detail={"changed": {"observation_done": ["False", "True"]}})
    return dose


@transaction.atomic
def do_void_dose(actor, dose: Dose, *, reason: str) -> Dose:
    """Void a dose recorded by mistake (wrong person, typed twice): it stays, marked void, and no longer
    counts.  The reason is required and audited."""
    check_can_vaccinate_in(actor, dose)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write why the dose is voided.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("Write the reason in at most 300 characters.")})
    dose = Dose.objects.select_for_update().get(pk=dose.pk)
    if dose.voided_at is not None:
        return dose
    with _tallied(dose):
        dose.voided_at = clock.now()
        dose.void_reason = reason
        dose.observation_done = True
        dose._history_user = actor
        dose.save(update_fields=["voided_at", "void_reason", "observation_done"])
    audit.record(actor, audit.AuditAction.UPDATE, dose, detail={"voided": reason})
    return dose
