"""Checkpoints, their shifts and the passages logged at them: the only writers of that area.

A checkpoint stands in a commune of the actor's area (``movement.edit`` there); its shifts and
passages are scoped like it.  A passage is an event row written through ``movement.ingest.save_events``
(a re-sent form — the same ``client_id`` — returns the passage it made), with what the rules advised
and what the officer did stored side by side (``advice``, ``action``), the origin's level and whether
it is a watched area as they were at that moment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chongdich.core import audit, clock, dates
from chongdich.core.recorded import replay
from chongdich.core.scoping import in_scope
from chongdich.movement import ingest, rules
from chongdich.movement.actions.alerts import alerts_for_passages
from chongdich.movement.models import (
    EDIT,
    Checkpoint,
    CheckpointKind,
    Direction,
    Force,
    Passage,
    PassageAction,
    Shift,
    ShiftMember,
    Subject,
    TestKind,
    TestResult,
    VehicleType,
    Way,
)
from chongdich.movement.selectors import checkpoints as selectors
from chongdich.territory.models import AdminUnit, Level

CHECKPOINT_FIELDS = (
    "name",
    "kind",
    "way",
    "route",
    "latitude",
    "longitude",
    "opened_on",
    "closed_on",
    "active",
    "note",
)
SHIFT_FIELDS = ("starts_at", "ends_at", "leader", "note")
MAX_SHIFT_HOURS = 24
MAX_MEMBERS = 40
MAX_ON_BOARD = 200
CLOCK_SKEW = timedelta(minutes=10)  # a device's clock a little ahead of the server's
TEMPERATURE = (Decimal("30.0"), Decimal("45.0"))
# Viet Nam (with its islands) as a box: a point outside is a mistyped coordinate.
LATITUDE = (Decimal("8.0"), Decimal("23.5"))
LONGITUDE = (Decimal("102.0"), Decimal("117.5"))

WINDOWS = {
    "movement.checkpoint_opened": dates.Window(gettext_lazy("The opening date")),
    "movement.checkpoint_closed": dates.Window(gettext_lazy("The closing date"), future_days=366),
    "movement.shift": dates.Window(gettext_lazy("The shift"), future_days=31),
    "movement.passage": dates.Window(gettext_lazy("The time of the passage"), future_days=1),
    "movement.test": dates.Window(gettext_lazy("The time of the test result"), future_days=1),
}


def register_windows() -> None:
    """The date windows of the checkpoint forms, added to ``core.dates.WINDOWS`` at start-up."""
    for key, window in WINDOWS.items():
        dates.WINDOWS.setdefault(key, window)


def outside_area() -> str:
    return _("You may only manage checkpoints in your area.")


def check_checkpoint(actor, checkpoint: Checkpoint) -> None:
    if not in_scope(actor, EDIT, checkpoint):
        raise PermissionDenied(outside_area())


def _check_commune(actor, unit: AdminUnit | None) -> None:
    if unit is None or unit.level != Level.COMMUNE:
        raise ValidationError({"unit": _("Choose the commune where the checkpoint stands.")})
    if not in_scope(actor, EDIT, unit.path):
        raise PermissionDenied(outside_area())


# -- checkpoints --------------------------------------------------------------------------------------
def _validate_checkpoint(data: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not (data.get("name") or "").strip():
        errors["name"] = _("Enter the checkpoint's name (e.g. Chốt Cầu Đắk Ơ).")
    if data.get("kind") not in CheckpointKind.values:
        errors["kind"] = _("Choose the kind of checkpoint.")
    if data.get("way") not in Way.values:
        errors["way"] = _("Choose road, track, waterway or railway.")
    lat, lon = data.get("latitude"), data.get("longitude")
    if (lat is None) != (lon is None):
        errors["latitude" if lat is None else "longitude"] = _(
            "Give both the latitude and the longitude, or neither (click the map)."
        )
    if lat is not None and not LATITUDE[0] <= lat <= LATITUDE[1]:
        errors["latitude"] = _("The latitude %(value)s is outside Viet Nam (between 8 and 23.5).") % {"value": lat}
    if lon is not None and not LONGITUDE[0] <= lon <= LONGITUDE[1]:
        errors["longitude"] = _("The longitude %(value)s is outside Viet Nam (between 102 and 117.5).") % {"value": lon}
    for field, key in (("opened_on", "movement.checkpoint_opened"), ("closed_on", "movement.checkpoint_closed")):
        message = dates.problem(key, data.get(field))
        if message:
            errors[field] = message
    opened, closed = data.get("opened_on"), data.get("closed_on")
    if opened and closed and closed < opened and "closed_on" not in errors:
        errors["closed_on"] = _("The closing date cannot be before the opening date.")
    if errors:
        raise ValidationError(errors)


def _new_code(commune: AdminUnit) -> str:
    """The next free code of the commune's checkpoints: C25222-01, C25222-02…"""
    prefix = f"C{commune.code}-"
    taken = set(Checkpoint.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    n = len(taken) + 1
    while f"{prefix}{n:02d}" in taken:
        n += 1
    return f"{prefix}{n:02d}"


def _clean_code(code: str) -> str:
    code = "".join((code or "").split()).upper()
    if len(code) > 24 or not all(ch.isalnum() or ch in "-_." for ch in code):
        raise ValidationError({"code": _("A code has up to 24 letters, digits, dots or dashes.")})
    return code


@transaction.atomic
def do_create_checkpoint(
    actor, *, unit: AdminUnit, data: dict[str, Any], code: str = "", client_id: str | None = None
) -> tuple[Checkpoint, bool]:
    """A checkpoint in ``unit`` (a commune of the actor's area); the code is made when none is given."""
    existing = replay(actor, Checkpoint, client_id, capability=EDIT, refusal=outside_area())
    if existing is not None:
        return existing, False
    _check_commune(actor, unit)
    _validate_checkpoint(data)
    code = _clean_code(code) or _new_code(unit)
    if Checkpoint.objects.filter(code=code).exists():
        raise ValidationError(
            {"code": _("The code %(code)s is taken; leave it empty to get a new one.") % {"code": code}}
        )
    checkpoint = Checkpoint(code=code, **{k: data[k] for k in CHECKPOINT_FIELDS if k in data}).stamp(actor, client_id)
    checkpoint.name = checkpoint.name.strip()
    checkpoint.place_in(unit)
    checkpoint.save()
    audit.record(actor, audit.AuditAction.CREATE, checkpoint)
    return checkpoint, True


@transaction.atomic
def do_update_checkpoint(actor, checkpoint: Checkpoint, *, unit: AdminUnit | None = None, data: dict[str, Any]):
    check_checkpoint(actor, checkpoint)
    merged = {k: getattr(checkpoint, k) for k in CHECKPOINT_FIELDS} | data
    _validate_checkpoint(merged)
    changed = {}
    for name in CHECKPOINT_FIELDS:
        if name in data and getattr(checkpoint, name) != data[name]:
            changed[name] = [str(getattr(checkpoint, name)), str(data[name])]
            setattr(checkpoint, name, data[name])
    if unit is not None and unit.pk != checkpoint.unit_id:
        _check_commune(actor, unit)
        if Passage.objects.filter(checkpoint=checkpoint).exists():
            raise ValidationError(
                {"unit": _("A checkpoint with passages cannot move to another commune; close it and open a new one.")}
            )
        changed["unit"] = [checkpoint.unit.code, unit.code]
        checkpoint.place_in(unit)
    if changed:
        checkpoint.name = checkpoint.name.strip()
        checkpoint.stamp(actor)
        checkpoint.save()
        audit.record(actor, audit.AuditAction.UPDATE, checkpoint, detail={"changed": changed})
    return checkpoint


# -- shifts -------------------------------------------------------------------------------------------
def _validate_shift(checkpoint: Checkpoint, data: dict[str, Any], members: list[dict[str, Any]]) -> None:
    errors: dict[str, Any] = {}
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if starts is None:
        errors["starts_at"] = _("Enter when the shift starts.")
    if ends is None:
        errors["ends_at"] = _("Enter when the shift ends.")
    if starts is not None:
        message = dates.problem("movement.shift", timezone.localtime(starts).date())
        if message:
            errors["starts_at"] = message
    if starts is not None and ends is not None and "starts_at" not in errors:
        if ends <= starts:
            errors["ends_at"] = _("The shift must end after it starts.")
        elif ends - starts > timedelta(hours=MAX_SHIFT_HOURS):
            errors["ends_at"] = _("A shift lasts at most %(hours)s hours; open the next shift separately.") % {
                "hours": MAX_SHIFT_HOURS
            }
    if len(members) > MAX_MEMBERS:
        errors["__all__"] = _("A shift has at most %(n)s people on duty.") % {"n": MAX_MEMBERS}
    for member in members:
        if not (member.get("full_name") or "").strip():
            errors["__all__"] = _("Enter the name of every person on duty (or clear the row).")
        if member.get("force") not in Force.values:
            errors["__all__"] = _("Choose the force of every person on duty.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def do_open_shift(
    actor, checkpoint: Checkpoint, *, data: dict[str, Any], members: list[dict[str, Any]], client_id: str | None = None
) -> tuple[Shift, bool]:
    """A shift at ``checkpoint`` with the people on duty (name, force, phone)."""
    existing = replay(actor, Shift, client_id, capability=EDIT, refusal=outside_area())
    if existing is not None:
        return existing, False
    check_checkpoint(actor, checkpoint)
    _validate_shift(checkpoint, data, members)
    shift = Shift(checkpoint=checkpoint, **{k: data.get(k) or "" for k in ("leader", "note")})
    shift.starts_at, shift.ends_at = data["starts_at"], data["ends_at"]
    shift.leader = shift.leader.strip()
    shift.stamp(actor, client_id)
    shift.place_in(checkpoint.unit)
    shift.save()
    ShiftMember.objects.bulk_create(
        ShiftMember(
            shift=shift,
            full_name=member["full_name"].strip(),
            force=member["force"],
            phone=member.get("phone") or "",
        )
        for member in members
    )
    audit.record(actor, audit.AuditAction.CREATE, shift, detail={"members": len(members)})
    return shift, True


@transaction.atomic
def do_update_shift(actor, shift: Shift, *, data: dict[str, Any], members: list[dict[str, Any]]) -> Shift:
    """Change a shift's times, leader or note and replace its people on duty."""
    check_checkpoint(actor, shift.checkpoint)
    merged = {k: getattr(shift, k) for k in SHIFT_FIELDS} | data
    _validate_shift(shift.checkpoint, merged, members)
    changed = {}
    for name in SHIFT_FIELDS:
        value = merged[name] if name in ("starts_at", "ends_at") else (merged[name] or "").strip()
        if getattr(shift, name) != value:
            changed[name] = [str(getattr(shift, name)), str(value)]
            setattr(shift, name, value)
    before = [(m.full_name, m.force, m.phone) for m in shift.members.all()]
    after = [(m["full_name"].strip(), m["force"], m.get("phone") or "") for m in members]
    if before != after:
        changed["members"] = [len(before), len(after)]
        shift.members.all().delete()
        ShiftMember.objects.bulk_create(ShiftMember(shift=shift, full_name=n, force=f, phone=p) for n, f, p in after)
    if changed:
        shift.stamp(actor)
        shift.save()
        audit.record(actor, audit.AuditAction.UPDATE, shift, detail={"changed": changed})
    return shift


# -- passages -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Recorded:
    passage: Passage
    replayed: bool


def _plate(data: dict[str, Any]) -> str:
    raw = (data.get("plate") or "").strip()
    if not raw:
        return ""
    try:
        return rules.normalise_plate(raw)
    except rules.InputError as error:
        raise ValidationError({"plate": selectors.plate_message(raw, error)}) from error


def _at(data: dict[str, Any]) -> datetime:
    at = data.get("at") or clock.now()
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    now = clock.now()
    if at > now + CLOCK_SKEW:
        raise ValidationError({"at": _("The time of the passage cannot be in the future.")})
    if at < now - ingest.REPLAY_WINDOW:
        raise ValidationError(
            {"at": _("A passage older than %(days)s days cannot be logged.") % {"days": ingest.REPLAY_WINDOW.days}}
        )
    return at


def build_passage(actor, checkpoint: Checkpoint, data: dict[str, Any], client_id: str | None = None) -> Passage:
    """The unsaved passage of what the officer entered (validated; the card, the person's colour, the
    origin's level and the rules' advice looked up).  Also the preview of the screen (not saved)."""
    errors: dict[str, str] = {}
    at = _at(data)
    try:
        plate = _plate(data)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        plate = ""
    subject = data.get("subject") or (Subject.VEHICLE if plate or data.get("vehicle_type") else Subject.PERSON)
    if subject not in Subject.values:
        errors["subject"] = _("Choose a vehicle or a person on foot.")
    vehicle_type = data.get("vehicle_type") or ""
    if vehicle_type and vehicle_type not in VehicleType.values:
        errors["vehicle_type"] = _("Choose a vehicle type of the list.")
    if subject == Subject.VEHICLE and not plate and vehicle_type not in ("", VehicleType.BOAT, VehicleType.OTHER):
        errors.setdefault("plate", _("Enter the plate of the vehicle (e.g. 51C-123.45), or choose a person on foot."))
    direction = data.get("direction") or Direction.IN
    if direction not in Direction.values:
        errors["direction"] = _("Choose inbound or outbound.")
    on_board = data.get("people_on_board")
    on_board = 1 if on_board is None else on_board
    if not 1 <= on_board <= MAX_ON_BOARD:
        errors["people_on_board"] = _("People on board: between 1 and %(n)s.") % {"n": MAX_ON_BOARD}
    test_result = data.get("test_result") or ""
    test_kind = data.get("test_kind") or ""
    test_at = data.get("test_at")
    if test_result not in TestResult.values:
        errors["test_result"] = _("Choose the test result shown.")
    if test_kind and test_kind not in TestKind.values:
        errors["test_kind"] = _("Choose RT-PCR or a rapid antigen test.")
    if test_result:
        if not test_kind:
            errors["test_kind"] = _("Choose the kind of test of the result shown.")
        if test_at is None:
            errors["test_at"] = _("Enter the time of the test result (the 72 hours count from it).")
        elif test_at > at + CLOCK_SKEW:
            errors["test_at"] = _("The test result cannot be later than the passage.")
        else:
            message = dates.problem("movement.test", timezone.localtime(test_at).date())
            if message:
                errors["test_at"] = message
    else:
        test_kind, test_at = "", None
    temperature = data.get("temperature")
    if temperature is not None and not TEMPERATURE[0] <= temperature <= TEMPERATURE[1]:
        errors["temperature"] = _("A body temperature is between 30 and 45 °C.")
    action = data.get("action") or ""
    if action and action not in PassageAction.values:
        errors["action"] = _("Choose what was done: let through, tested, turned back or sent to quarantine.")
    colour = data.get("colour") or ""
    if colour not in ("", "green", "yellow", "red"):
        errors["colour"] = _("Choose green, yellow or red.")
    origin, destination = data.get("origin"), data.get("destination")
    for field, unit in (("origin", origin), ("destination", destination)):
        if unit is not None and unit.level != Level.COMMUNE:
            errors[field] = _("Choose a commune.")
    if errors:
        raise ValidationError(errors)

    card = selectors.card_for(plate, at) if plate else None
    person = selectors.person_for(actor, cccd=data.get("cccd") or "", phone=data.get("phone") or "")
    if person is not None:
        colour = selectors.colour_of(person, at) or colour
    level, watched = selectors.origin_status(
        origin.code if origin else "", timezone.localtime(at).date(), checkpoint.province_code
    )
    passage = Passage(
        at=at,
        day=timezone.localtime(at).date(),
        received_at=clock.now(),
        client_id=client_id or None,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        checkpoint=checkpoint,
        shift=selectors.shift_at(checkpoint, at),
        direction=direction,
        subject=subject,
        plate=plate,
        vehicle_type=vehicle_type if subject == Subject.VEHICLE else "",
        people_on_board=on_board,
        full_name=(data.get("full_name") or "").strip(),
        phone=data.get("phone") or "",
        cccd=data.get("cccd") or "",
        person=person,
        origin_commune_code=origin.code if origin else "",
        origin_level=level or "",
        from_watched_area=bool(watched),
        destination_commune_code=destination.code if destination else "",
        green_card=card,
        trip=selectors.trip_for(card, plate, at) if plate else None,
        declaration_shown=bool(data.get("declaration_shown")),
        test_result=test_result,
        test_kind=test_kind,
        test_at=test_at,
        colour=colour,
        temperature=temperature,
        action=action,
        note=(data.get("note") or "").strip(),
    )
    passage.place_in(checkpoint.unit)
    try:
        advice = selectors.advice_for(passage)
    except rules.InputError as error:
        raise ValidationError({error.field: error.text(selectors.language())}) from error
    passage.advice = advice.action if advice else ""
    passage.rule_version = advice.version if advice else ""
    passage.advice_reasons = advice.reasons if advice else ()
    return passage


def do_record_passage(actor, checkpoint: Checkpoint, data: dict[str, Any], client_id: str | None = None) -> Recorded:
    """Log a person or a vehicle at ``checkpoint``: what the officer did (``data["action"]``) and what
    the rules advised.  A re-sent form (same ``client_id``) returns the passage it made."""
    check_checkpoint(actor, checkpoint)
    if not checkpoint.active:
        raise ValidationError(_("This checkpoint is closed: open it again on its page to log passages."))
    passage = build_passage(actor, checkpoint, data, client_id)
    if not passage.action:
        raise ValidationError({"action": _("Tap what was done: let through, tested, turned back or quarantine.")})
    with transaction.atomic():
        saved = ingest.save_events(Passage, [passage], after=alerts_for_passages)[0]
        record = saved.record
        if saved.replayed:
            if record.checkpoint_id != checkpoint.pk or not in_scope(actor, EDIT, record):
                raise PermissionDenied(outside_area())
        else:
            audit.record(
                actor,
                audit.AuditAction.CREATE,
                record,
                detail={"action": record.action, "advice": record.advice, "checkpoint": checkpoint.code},
            )
    return Recorded(record, saved.replayed)


def shift_day(at: datetime) -> date:
    return timezone.localtime(at).date()
