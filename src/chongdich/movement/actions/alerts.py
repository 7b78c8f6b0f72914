"""Alerts to the commune: raised by the system (an arrival from an epidemic area, a declaration with
symptoms, a green-lane trip overdue) or reported by a person (an undeclared arrival); taken by an
officer, done with an outcome.

``raise_alert`` runs inside the caller's transaction (the event ingest's ``after`` step, the trip
sweep): one alert per (kind, source) — a re-sent source returns None and writes nothing — and the
alerts' tallies are kept.  An arrival's alert carries the plan the care rules give for an arrival
from an epidemic area on that day (R-52, counted from the day of arrival, as for an entrant) so the
commune sees what to order before opening anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chongdich.care import plans
from chongdich.care.actions.orders import do_order_home_quarantine
from chongdich.care.models import HomeOrder, OrderKind
from chongdich.care.rules import ConfigError, InputError
from chongdich.core import audit, clock, dates
from chongdich.core.roles import Cap
from chongdich.core.scoping import in_scope
from chongdich.movement.models import EDIT, VIEW, Alert, AlertKind, AlertOutcome, AlertState, Direction, PassageAction
from chongdich.movement.selectors.watch import origin_status
from chongdich.people.actions import do_create_person
from chongdich.people.duplicates import similar_people
from chongdich.people.identity import normalize_phone
from chongdich.people.models import Person
from chongdich.tallies.engine import tracked
from chongdich.territory.models import AdminUnit
from chongdich.testing.actions import do_register_sample
from chongdich.testing.models import Sample, SampleReason

# -- the plan the care rules give -----------------------------------------------------------------------


def arrival_plan(arrived_on: date, province_code: str | None) -> dict:
    """The quarantine or monitoring plan of the care rules for an arrival from an epidemic area on
    ``arrived_on`` (the day of arrival is day 1, as the last exposure of an F1), as stored in an
    alert's ``detail["plan"]``; ``{"error": …}`` when the rules give none for that day."""

    try:
        plan = plans.f1_plan(arrived_on, province=province_code or None)
    except (InputError, ConfigError, ValueError) as exc:
        return {"error": str(exc)[:200], "arrived_on": arrived_on.isoformat()}
    return {
        "arrived_on": arrived_on.isoformat(),
        "place": str(plan.place),
        "place_vi": plan.place.vi,
        "place_en": plan.place.en,
        "days": plan.days,
        "start": plan.start.isoformat(),
        "end": plan.end.isoformat() if plan.end else None,
        "self_monitor_days": plan.self_monitor_days,
        "self_monitor_until": plan.self_monitor_end.isoformat() if plan.self_monitor_end else None,
        "test_days": sorted({d.isoformat() for d in plan.test_days}),
        "rule_version": plan.rule_version,
        "reasons": plans.reasons_json(plan.reasons),
    }


# -- raising --------------------------------------------------------------------------------------------


def raise_alert(
    kind: str,
    source_ref: str,
    unit,
    *,
    day: date,
    raised_at: datetime,
    full_name: str = "",
    phone: str = "",
    birth_year: int | None = None,
    person=None,
    origin_commune_code: str = "",
    origin_level: str = "",
    arrived_on: date | None = None,
    trip=None,
    detail: dict | None = None,
) -> Alert | None:
    """Raise an alert of ``kind`` from ``source_ref`` ("declaration:12", "passage:7", "trip:3",
    "report:…") to the commune ``unit`` that must act; None when that source raised it before (or
    there is no unit to tell).  The alert is placed in ``unit`` — a village's alert is the commune's
    too, and its village team sees it.  Runs in the caller's transaction; no actor (the system)."""
    if unit is None or not source_ref:
        return None
    if Alert.objects.filter(kind=kind, source_ref=source_ref).exists():
        return None
    alert = Alert(
        kind=kind,
        source_ref=source_ref[:40],
        raised_at=raised_at,
        day=day,
        full_name=(full_name or "")[:120],
        phone=(phone or "")[:16],
        birth_year=birth_year,
        person=person,
        origin_commune_code=origin_commune_code or "",
        origin_level=(origin_level or "")[:8],
        arrived_on=arrived_on,
        trip=trip,
        detail=detail or {},
    ).stamp(None)
    alert.place_in(unit)
    with tracked() as tally:
        try:
            with transaction.atomic():
                alert.save()
        except IntegrityError:  # raised concurrently by another sender of the same source
            return None
        tally.add(alert)
    return alert


def _local_day(at: datetime) -> date:
    return timezone.localtime(at).date()


def alerts_for_declarations(rows: Iterable) -> list[Alert]:
    """The ``after`` step of the declarations' ingest: an arrival alert for a declarant from an
    epidemic area (as the row says), a symptoms alert for one with symptoms (to the health station's
    list, for a test)."""
    raised: list[Alert] = []
    for row in rows:
        common = {
            "day": row.day,
            "raised_at": row.received_at,
            "full_name": row.full_name,
            "phone": row.phone,
            "birth_year": row.birth_year,
            "origin_commune_code": row.arrived_from_commune_code,
            "origin_level": row.arrived_from_level,
            "arrived_on": row.arrived_on,
        }
        ref = f"declaration:{row.pk}"
        if row.from_watched_area:
            arrived = row.arrived_on or row.day
            detail = {
                "receipt": row.receipt,
                "sex": row.sex,
                "came_from": row.arrived_from_text,
                "transport": row.transport,
                "symptoms": list(row.symptoms or []),
                "exposures": list(row.exposures or []),
                "plan": arrival_plan(arrived, row.province_code),
            }
            alert = raise_alert(AlertKind.WATCHED_ARRIVAL, ref, row.unit, detail=detail, **common)
            if alert is not None:
                raised.append(alert)
        if row.symptomatic:
            detail = {
                "receipt": row.receipt,
                "sex": row.sex,
                "symptoms": list(row.symptoms or []),
                "exposures": list(row.exposures or []),
            }
            alert = raise_alert(AlertKind.SYMPTOMS, ref, row.unit, detail=detail, **common)
            if alert is not None:
                raised.append(alert)
    return raised


def _person_or_none(pk):
    """The person a passage names (its reference carries no constraint: the person may be gone)."""
    if not pk:
        return None

    return Person.objects.filter(pk=pk).first()


def alerts_for_passages(rows: Iterable) -> list[Alert]:
    """The ``after`` step of the passages' ingest: an inbound passage from an epidemic area (as the
    row says) that was not turned back is an arrival for the destination commune (the checkpoint's
    commune when no destination was given).  A green-lane trip is followed by its own alerts."""
    raised: list[Alert] = []
    destinations: dict[str, AdminUnit | None] = {}
    for row in rows:
        if not row.from_watched_area or row.direction != Direction.IN or row.action == PassageAction.TURNED_BACK:
            continue
        if row.trip_id:
            continue
        code = row.destination_commune_code
        if code and code not in destinations:
            destinations[code] = AdminUnit.objects.filter(code=code).first()
        unit = destinations.get(code) if code else None
        unit = unit or row.unit
        day = row.day or _local_day(row.at)
        detail = {
            "checkpoint": row.checkpoint_id,
            "plate": row.plate,
            "people_on_board": row.people_on_board,
            "checkpoint_action": row.action,
            "plan": arrival_plan(day, unit.province_code if unit is not None else row.province_code),
        }
        alert = raise_alert(
            AlertKind.WATCHED_ARRIVAL,
            f"passage:{row.pk}",
            unit,
            day=day,
            raised_at=row.at,
            full_name=row.full_name,
            phone=row.phone,
            person=_person_or_none(row.person_id),
            origin_commune_code=row.origin_commune_code,
            origin_level=row.origin_level,
            arrived_on=day,
            detail=detail,
        )
        if alert is not None:
            raised.append(alert)
    return raised


# -- an officer's work on an alert ----------------------------------------------------------------------


def _outside_area() -> str:
    return _("This alert is not in your area.")


def check_can_act(actor, alert: Alert) -> None:
    if not in_scope(actor, EDIT, alert):
        raise PermissionDenied(_outside_area())


def _locked(alert: Alert) -> Alert:
    """The alert re-read under a row lock (two officers clicking at once act one after the other)."""
    return Alert.objects.select_for_update().get(pk=alert.pk)


def _save(actor, alert: Alert, fields: list[str], what: str, detail: dict) -> Alert:
    alert._history_user = actor
    with tracked(alert) as tally:
        alert.save(update_fields=fields)
        tally.records[0] = alert
    audit.record(actor, audit.AuditAction.UPDATE, alert, detail={"what": what, **detail})
    return alert


@transaction.atomic
def do_take_alert(actor, alert: Alert) -> Alert:
    """Take a new alert: the actor owns it from now.  Taking an alert someone else took is refused
    (they are named); taking one's own again changes nothing."""
    check_can_act(actor, alert)
    alert = _locked(alert)
    if alert.state == AlertState.DONE:
        raise ValidationError(_("This alert is already done; reopen it first."), code="done")
    if alert.state == AlertState.TAKEN:
        if alert.owner_id == actor.pk:
            return alert
        raise ValidationError(
            _("%(name)s took this alert at %(time)s.")
            % {"name": alert.owner.get_full_name() or alert.owner.get_username(), "time": _hm(alert.taken_at)},
            code="taken",
        )
    alert.state, alert.owner, alert.taken_at = AlertState.TAKEN, actor, clock.now()
    return _save(actor, alert, ["state", "owner", "taken_at"], "take", {})


def _hm(at: datetime | None) -> str:
    return timezone.localtime(at).strftime("%H:%M %d/%m/%Y") if at else ""


def _finish(actor, alert: Alert, outcome: str, note: str, extra: dict | None = None) -> Alert:
    if outcome not in AlertOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    if alert.state == AlertState.DONE:
        raise ValidationError(_("This alert is already done."), code="done")
    now = clock.now()
    if alert.state == AlertState.NEW or alert.owner_id is None:
        alert.owner, alert.taken_at = actor, alert.taken_at or now
    alert.state, alert.outcome, alert.outcome_note, alert.done_at = AlertState.DONE, outcome, note[:300], now
    fields = ["state", "owner", "taken_at", "outcome", "outcome_note", "done_at"]
    if extra:
        alert.detail = {**(alert.detail or {}), **extra}
        fields.append("detail")
    return _save(actor, alert, fields, "finish", {"outcome": outcome, **(extra or {})})


@transaction.atomic
def do_finish_alert(actor, alert: Alert, *, outcome: str, note: str = "") -> Alert:
    """Close an alert with its outcome (and a note); an alert nobody took is taken by the actor."""
    check_can_act(actor, alert)
    alert = _locked(alert)
    if alert.state == AlertState.TAKEN and alert.owner_id not in (None, actor.pk) and not note.strip():
        raise ValidationError(
            {"note": _("Someone else took this alert: say in the note why you close it.")}, code="not_owner"
        )
    return _finish(actor, alert, outcome, (note or "").strip())


@transaction.atomic
def do_reopen_alert(actor, alert: Alert, *, note: str = "") -> Alert:
    """Open a done alert again (a wrong outcome, a person who came back): taken by the actor."""
    check_can_act(actor, alert)
    alert = _locked(alert)
    if alert.state != AlertState.DONE:
        raise ValidationError(_("Only a done alert can be reopened."), code="not_done")
    previous = {"outcome": alert.outcome, "done_at": alert.done_at.isoformat() if alert.done_at else None}
    alert.state, alert.owner, alert.taken_at = AlertState.TAKEN, actor, clock.now()
    alert.outcome, alert.done_at, alert.outcome_note = "", None, (note or "").strip()[:300]
    return _save(actor, alert, ["state", "owner", "taken_at", "outcome", "done_at", "outcome_note"], "reopen", previous)


# -- an undeclared arrival reported -----------------------------------------------------------------------


@transaction.atomic
def do_report_undeclared(
    actor,
    *,
    unit,
    full_name: str,
    arrived_on: date,
    phone: str = "",
    birth_year: int | None = None,
    origin_commune_code: str = "",
    came_from: str = "",
    address: str = "",
    note: str = "",
    client_id: str | None = None,
) -> tuple[Alert, bool]:
    """A community team or an officer reports someone who arrived without declaring: an
    ``undeclared`` alert to the commune.  A re-sent form returns the alert it made."""
    if client_id:
        existing = Alert.objects.filter(kind=AlertKind.UNDECLARED, source_ref=f"report:{client_id}"[:40]).first()
        if existing is not None:
            if not in_scope(actor, VIEW, existing):
                raise PermissionDenied(_outside_area())
            return existing, False
    if unit is None or not in_scope(actor, VIEW, unit):
        refusal = PermissionDenied(_("You may only report arrivals in your area."))
        refusal.field = "unit"
        raise refusal
    if not unit.commune_code:
        raise ValidationError({"unit": _("Choose the commune or village where the person stays.")})
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise ValidationError({"full_name": _("Enter the name (or how neighbours call the person).")})
    dates.check("stay.last_exposure", arrived_on, field="arrived_on")  # the day of entry

    status = origin_status(origin_commune_code, arrived_on, province_code=unit.province_code)
    ref = f"report:{client_id}" if client_id else f"report:{actor.pk}:{clock.now().timestamp():.6f}"
    detail = {
        "reported_by": actor.get_full_name() or actor.get_username(),
        "reported_by_id": actor.pk,
        "came_from": came_from[:160],
        "address": address[:200],
        "note": note[:300],
        "watched": status.watched,
    }
    if status.watched:
        detail["plan"] = arrival_plan(arrived_on, unit.province_code)
    alert = raise_alert(
        AlertKind.UNDECLARED,
        ref[:40],
        unit,
        day=clock.today(),
        raised_at=clock.now(),
        full_name=full_name,
        phone=phone,
        birth_year=birth_year,
        origin_commune_code=origin_commune_code,
        origin_level=status.level_colour or "",
        arrived_on=arrived_on,
        detail=detail,
    )
    if alert is None:  # the same report twice in the same instant
        raise ValidationError(_("This report was just sent; reload the page."))
    alert.client_id = client_id or None
    if client_id:
        Alert.objects.filter(pk=alert.pk).update(client_id=client_id)
    audit.record(actor, audit.AuditAction.CREATE, alert, detail={"kind": alert.kind, "unit": unit.code})
    return alert, True


# -- one click to act: the person, the order, the sample ----------------------------------------------------

PERSON_SEX = {"male": "M", "female": "F"}


def person_data(alert: Alert) -> dict:
    """What the alert knows of the person, as the people app registers it."""

    try:
        phone = normalize_phone(alert.phone) if alert.phone else ""
    except ValueError:
        phone = ""
    data = {"full_name": alert.full_name, "birth_year": alert.birth_year, "phone": phone, "cccd": ""}
    sex = PERSON_SEX.get((alert.detail or {}).get("sex", ""))
    if sex:
        data["sex"] = sex
    return data


def matching_people(actor, alert: Alert) -> list:
    """People the actor may see who are probably the alert's person: same name and year, and the same
    phone or living in the alert's commune."""

    data = person_data(alert)
    found = similar_people(
        full_name=data["full_name"], birth_year=data["birth_year"], phone=data["phone"], unit=alert.unit
    )
    return [p for p in found if in_scope(actor, Cap.PEOPLE_VIEW, p)]


def do_register_alert_person(actor, alert: Alert, *, confirm_new: bool = False, client_id: str | None = None):
    """Register the alert's person in the alert's commune (the people app's duplicate rules apply:
    a probable twin is refused unless ``confirm_new``) and link them to the alert."""

    check_can_act(actor, alert)
    if alert.person_id:
        return alert.person
    if not alert.full_name or not alert.birth_year:
        raise ValidationError(
            _("The alert has no name or year of birth: find the person in the people list and link them.")
        )
    person, _created = do_create_person(
        actor, unit=alert.unit, data=person_data(alert), client_id=client_id, confirm_new=confirm_new
    )
    do_link_person(actor, alert, person)
    return person


@transaction.atomic
def do_link_person(actor, alert: Alert, person) -> Alert:
    """The alert is about ``person`` (a person the actor may see)."""

    check_can_act(actor, alert)
    if not in_scope(actor, Cap.PEOPLE_VIEW, person):
        raise PermissionDenied(_("You may only link people of your area."))
    alert = _locked(alert)
    if alert.person_id == person.pk:
        return alert
    alert.person = person
    return _save(actor, alert, ["person"], "person", {"person": person.pk})


def _order_outcome(order) -> str:

    return AlertOutcome.QUARANTINE if order.kind == OrderKind.HOME_QUARANTINE else AlertOutcome.MONITORING


@transaction.atomic
def do_order_from_alert(
    actor, alert: Alert, *, override_reason: str = "", note: str = "", client_id: str | None = None
) -> tuple[Alert, object]:
    """Order what the care rules give for the arrival — home quarantine, or self-monitoring when the
    rule in force no longer quarantines — through care's action (its checks apply: an active case, a
    person already in a facility or under an order; a facility the rule prescribes needs the reason
    for home quarantine), and close the alert with that outcome, linked to the order."""

    check_can_act(actor, alert)
    alert = _locked(alert)
    if alert.state == AlertState.DONE:
        order_id = (alert.detail or {}).get("order")
        if order_id:  # a re-sent click: the order it made
            return alert, HomeOrder.objects.filter(pk=order_id).first()
        raise ValidationError(_("This alert is already done."), code="done")
    if alert.person_id is None:
        raise ValidationError(_("Find or register the person first."), code="no_person")
    arrived = alert.arrived_on or alert.day
    order, _created = do_order_home_quarantine(
        actor,
        alert.person,
        last_exposure=arrived,
        override_reason=override_reason,
        client_id=client_id,
    )
    alert = _finish(actor, alert, _order_outcome(order), note or "", {"order": order.pk})
    return alert, order


@transaction.atomic
def do_sample_from_alert(
    actor, alert: Alert, *, kind: str, taken_on: date | None = None, client_id: str | None = None
) -> tuple[Alert, object]:
    """Register the test sample of a declarant with symptoms (testing's action: its checks apply) and
    close the alert as sampled, linked to the sample."""

    check_can_act(actor, alert)
    alert = _locked(alert)
    if alert.state == AlertState.DONE:
        sample_id = (alert.detail or {}).get("sample")
        if sample_id:
            return alert, Sample.objects.filter(pk=sample_id).first()
        raise ValidationError(_("This alert is already done."), code="done")
    if alert.person_id is None:
        raise ValidationError(_("Find or register the person first."), code="no_person")
    reason = SampleReason.FEVER_COUGH if alert.kind == AlertKind.SYMPTOMS else SampleReason.TRAVEL
    sample, _created = do_register_sample(
        actor,
        person=alert.person,
        kind=kind,
        reason=reason,
        taken_on=taken_on or clock.today(),
        client_id=client_id,
    )
    alert = _finish(actor, alert, AlertOutcome.TESTED, "", {"sample": sample.pk})
    return alert, sample
