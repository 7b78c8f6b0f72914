"""Writes of the target lists: enrolment in priority groups (one person, many at once) and invitations
to a session.  Every write is idempotent: enrolling someone already in the group, or inviting someone
already invited to the session, changes nothing and is not an error (the unique constraints
(person, group) and (session, person) back it up).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from chongdich.care.actions import inserts
from chongdich.core import audit, clock
from chongdich.core.recorded import replay, user_or_none
from chongdich.core.scoping import in_scope
from chongdich.people.models import Person
from chongdich.tallies import engine
from chongdich.vaccination.models import (
    EDIT,
    Enrolment,
    Invitation,
    InvitationStatus,
    Session,
    SessionStatus,
)
from chongdich.vaccination.selectors import targets as read

MAX_ENROL_AT_ONCE = 5000
MAX_INVITE_AT_ONCE = 2000
TOKEN_BYTES = 16  # secrets.token_urlsafe(16): 22 characters (the column holds 32)
OUT_OF_AREA = "This person is not in your area."


def _refuse_outside(actor, record) -> None:
    if not in_scope(actor, EDIT, record):
        raise PermissionDenied(_("This person is not in your area."))


def _tally(records) -> None:
    """Feed the tallies with new records (when the model counts in them)."""
    records = [r for r in records if r is not None]
    if records and hasattr(records[0], "tally_contributions"):
        engine.apply(engine.contributions_of(records))


def _untally(records) -> None:
    records = [r for r in records if r is not None]
    if records and hasattr(records[0], "tally_contributions"):
        engine.apply(engine.difference(engine.contributions_of(records), engine.Counter()))


def _group(code: str, day: date, province_code: str | None):
    for group in read.groups_on(day, province_code):
        if group.code == code:
            return group
    raise ValidationError({"group": _("Choose a priority group from the list.")})


# -- enrolment ------------------------------------------------------------------------------------------
def do_enrol(
    actor, person: Person, group: str, *, since: date | None = None, note: str = "", client_id: str | None = None
) -> tuple[Enrolment, bool]:
    """Put a person into a priority group; (enrolment, created).  Already in it: the enrolment as it is."""
    earlier = replay(actor, Enrolment, client_id, capability=EDIT, refusal=_(OUT_OF_AREA))
    if earlier is not None:
        return earlier, False
    _refuse_outside(actor, person)
    since = since or clock.today()
    chosen = _group(group, since, person.province_code)
    with transaction.atomic():
        existing = Enrolment.objects.select_for_update().filter(person=person, group=chosen.code).first()
        if existing is not None:
            return existing, False
        enrolment = Enrolment(
            person=person, group=chosen.code, high_risk=chosen.high_risk, since=since, note=note.strip()[:200]
        )
        enrolment.place_in(person.unit)
        enrolment.stamp(actor, client_id)
        enrolment.save()
        _tally([enrolment])
        audit.record(
            actor,
            audit.AuditAction.CREATE,
            person,
            detail={"priority_group": chosen.code},
            label=str(person),
        )
    return enrolment, True


def do_unenrol(actor, enrolment: Enrolment) -> None:
    """Take a person out of a priority group (entered by mistake, or no longer in it)."""
    _refuse_outside(actor, enrolment)
    with transaction.atomic():
        _untally([enrolment])
        person = enrolment.person
        group = enrolment.group
        enrolment._history_user = user_or_none(actor)
        enrolment.delete()
        audit.record(
            actor, audit.AuditAction.DELETE, person, detail={"priority_group_removed": group}, label=str(person)
        )


def _ids(people) -> list[int]:
    if isinstance(people, models.QuerySet):
        return list(people.order_by().values_list("pk", flat=True)[: MAX_ENROL_AT_ONCE + 1])
    return list(dict.fromkeys(p.pk if isinstance(p, Person) else int(p) for p in people))


def do_enrol_many(
    actor, people: models.QuerySet[Person] | Iterable[Person], group: str, *, since: date | None = None
) -> tuple[int, int]:
    """Put many people into a group at once (a filtered list, an uploaded list of CCCD): (added, already in
    it).  At most 5,000 at a time; everyone must live in the actor's area."""
    ids = _ids(people)
    if len(ids) > MAX_ENROL_AT_ONCE:
        raise ValidationError(
            _("At most %(max)s people can be put in a group at once; narrow the list.")
            % {"max": number_format(MAX_ENROL_AT_ONCE, force_grouping=True)}
        )
    if not ids:
        raise ValidationError(_("Nobody to put in the group: the list is empty."))
    since = since or clock.today()
    chosen_people = list(read.people_by_ids(actor, ids).select_related("unit"))
    if len(chosen_people) != len(set(ids)):
        raise PermissionDenied(_("Only people of your area can be put in a priority group."))
    provinces = {p.province_code for p in chosen_people}
    chosen = {code: _group(group, since, code) for code in provinces}
    with transaction.atomic():
        present = set(Enrolment.objects.filter(person_id__in=ids, group=group).values_list("person_id", flat=True))
        user = user_or_none(actor)
        new = []
        for person in chosen_people:
            if person.pk in present:
                continue
            row = Enrolment(person=person, group=group, high_risk=chosen[person.province_code].high_risk, since=since)
            row.place_in(person.unit)
            row.created_by = user
            new.append(row)
        inserts.insert(Enrolment, new)
        inserts.history(Enrolment, new, user=user)
        _tally(new)
        if new:
            audit.record(
                actor,
                audit.AuditAction.CREATE,
                None,
                detail={"priority_group": group, "people": [r.person_id for r in new][: audit.PEOPLE_LISTED]},
                object_type_label="vaccination.enrolment",
                label=_("Priority group %(group)s: %(count)s people") % {"group": group, "count": len(new)},
                unit_path=audit.common_path(r.unit_path for r in new),
            )
    return len(new), len(present)


# -- invitations ------------------------------------------------------------------------------------------
def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def _check_session_open(actor, session: Session) -> None:
    if not in_scope(actor, EDIT, session):
        raise PermissionDenied(_("This session is not in your area."))
    if session.status not in (SessionStatus.PLANNED, SessionStatus.OPEN):
        raise ValidationError(
            {
                "session": _("This session is %(status)s: choose a planned or open session.")
                % {"status": session.get_status_display().lower()}
            }
        )
    if session.day < clock.today():
        raise ValidationError({"session": _("This session is over: choose a session from today on.")})


def do_invite(actor, session: Session, people: models.QuerySet[Person] | Iterable[Person]) -> tuple[int, int]:
    """Invite people to a session: (invited now, invited before).  Each invitation gets a token for the
    slip's QR code and the dose the person would receive (from the rules).  At most 2,000 at a time."""
    _check_session_open(actor, session)
    ids = _ids(people)
    if len(ids) > MAX_INVITE_AT_ONCE:
        raise ValidationError(
            _("At most %(max)s people can be invited at once; narrow the list.")
            % {"max": number_format(MAX_INVITE_AT_ONCE, force_grouping=True)}
        )
    if not ids:
        raise ValidationError(_("Nobody to invite: the list is empty."))
    chosen = list(read.people_by_ids(actor, ids).select_related("unit"))
    if len(chosen) != len(set(ids)):
        raise PermissionDenied(_("Only people of your area can be invited."))
    cfg = read.config_for(session.province_code)
    with transaction.atomic():
        Session.objects.select_for_update().filter(pk=session.pk).first()  # one invitation run at a time
        present = set(Invitation.objects.filter(session=session, person_id__in=ids).values_list("person_id", flat=True))
        todo = [p for p in chosen if p.pk not in present]
        plan = read.next_doses([p.pk for p in todo], session.day, cfg)
        user = user_or_none(actor)
        new = []
        for person in todo:
            kind, number = plan[person.pk]
            row = Invitation(session=session, person=person, token=new_token(), dose_kind=kind, dose_number=number)
            row.place_in(person.unit)
            row.created_by = user
            new.append(row)
        inserts.insert(Invitation, new)
        inserts.history(Invitation, new, user=user)
        if new:
            audit.record(
                actor,
                audit.AuditAction.UPDATE,
                session,
                detail={"invited": len(new), "people": [r.person_id for r in new][: audit.PEOPLE_LISTED]},
            )
    return len(new), len(present)


SETTABLE = (InvitationStatus.INVITED, InvitationStatus.CAME, InvitationStatus.ABSENT, InvitationStatus.POSTPONED)


def do_set_invitation_status(actor, invitation: Invitation, status: str) -> Invitation:
    """Mark an invitation: came, did not come, postponed (or back to invited).  "Vaccinated" follows from
    the dose recorded at the table, not from this mark."""
    _refuse_outside(actor, invitation)
    if status not in SETTABLE:
        raise ValidationError({"status": _("Choose came, did not come, postponed or invited.")})
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status == status:
            return invitation
        before = invitation.status
        invitation.status = status
        invitation._history_user = user_or_none(actor)
        invitation.save(update_fields=["status"])
        audit.record(
            actor,
            audit.AuditAction.UPDATE,
            invitation.session,
            detail={"invitation": invitation.pk, "person": invitation.person_id, "status": [before, status]},
        )
    return invitation
