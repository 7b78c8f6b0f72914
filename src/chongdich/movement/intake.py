"""What the API takes into the event tables: the JSON shapes, their checks, the rows they become and the
answers — one implementation behind both doors:

- the django-ninja operations (``movement.api``: OpenAPI, the schema tests, any deployment), and
- the fast front (``movement.front``), a WSGI layer in front of Django that answers exactly these POSTs
  without the middleware stack.

Each ``accept_*`` takes the parsed JSON (a dict), the caller (client address or device token) and gives
an ``Answer(status, body)``; a row is saved only through ``ingest.save_events``.
"""

# No ``from __future__ import annotations``: django-ninja and pydantic read the annotations at run time.
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, BaseModel
from pydantic import ValidationError as PydanticError
from pydantic_core import PydanticCustomError

from chongdich.core import clock
from chongdich.core.webapi.errors import validation_answer
from chongdich.core.webapi.schemas import BirthYear, ClientId, Id, Text, field_length
from chongdich.movement import ingest, limits
from chongdich.movement.actions.alerts import alerts_for_declarations, alerts_for_passages
from chongdich.movement.actions.declarations import build_declaration
from chongdich.movement.models import (
    CheckIn,
    CheckInMethod,
    Checkpoint,
    Declaration,
    Direction,
    GreenCard,
    Passage,
    PassageAction,
    Sex,
    Shift,
    Subject,
    TestKind,
    TestResult,
    VehicleType,
    Venue,
)
from chongdich.movement.rules import InputError, normalise_plate
from chongdich.movement.selectors import checkpoints as checkpoint_selectors
from chongdich.movement.selectors.watch import origin_status
from chongdich.people.identity import IdentityError, normalize_phone
from chongdich.people.models import Person
from chongdich.territory.models import AdminUnit, Level

# -- shapes ----------------------------------------------------------------------------------------------
CODE = 16  # unit codes
MAX_CODES = 20
# A device queues entries offline; older than the replay window they could no longer be matched to a
# re-sent copy, so they are refused.  A few minutes ahead is a phone's clock running fast.
AT_PAST = ingest.REPLAY_WINDOW
AT_FUTURE = timedelta(minutes=10)


def _refuse(message: str) -> PydanticCustomError:
    return PydanticCustomError("chongdich_invalid", "{message}", {"message": message})


def _event_time(value: datetime) -> datetime:
    if timezone.is_naive(value):
        value = timezone.make_aware(value)  # the deployment's time zone, as the device shows it
    now = clock.now()
    if value > now + AT_FUTURE:
        raise _refuse(_("The time is in the future."))
    if value < now - AT_PAST:
        raise _refuse(_("The time is more than %(days)s days ago.") % {"days": AT_PAST.days})
    return value


def _arrival_day(value: date) -> date:
    today = clock.today()
    if value > today + timedelta(days=1):
        raise _refuse(_("The arrival date is in the future."))
    if value < today - timedelta(days=60):
        raise _refuse(_("The arrival date is more than 60 days ago."))
    return value


EventTime = Annotated[datetime, AfterValidator(_event_time)]
ArrivalDay = Annotated[date, AfterValidator(_arrival_day)]
Temperature = Annotated[Decimal, Field(ge=Decimal("30.0"), le=Decimal("45.0"), max_digits=3, decimal_places=1)]
CodeList = Annotated[list[Text(24)], Field(max_length=MAX_CODES)]


class DeclarationIn(BaseModel):
    client_id: ClientId = Field(..., description="The form's own id: a re-sent declaration returns the first receipt")
    full_name: Text(field_length(Declaration, "full_name"), required=True)
    birth_year: BirthYear
    sex: Sex
    phone: Text(20, required=True) = Field(..., description="Vietnamese phone number (0912 345 678 or +84…)")
    cccd: Text(12) = Field("", description="Citizen ID (CCCD), 12 digits; optional")
    commune_code: Text(CODE, required=True) = Field(..., description="Code of the commune where you stay")
    village: Text(CODE) = Field("", description="Code of the village (thôn, tổ dân phố) in that commune; optional")
    arrived_from_commune_code: Text(CODE) = Field("", description="Code of the commune you came from; optional")
    arrived_on: ArrivalDay | None = None
    symptoms: CodeList = Field([], description="Symptom codes in the last 14 days (fever, cough, …)")
    exposures: CodeList = Field([], description="Exposure codes (contact_case, epidemic_area, …)")


class DeclarationReceipt(Schema):
    receipt: str
    client_id: str | None
    received_at: datetime
    commune_code: str
    symptomatic: bool


class CheckInIn(BaseModel):
    client_id: ClientId
    venue: Text(field_length(Venue, "code"), required=True) = Field(..., description="The venue's code (on its QR)")
    phone: Text(20) = Field("", description="Phone number of the person; or person_id")
    person_id: Id | None = Field(None, description="The person's id (from their QR); or phone")
    full_name: Text(field_length(CheckIn, "full_name")) = ""
    at: EventTime = Field(..., description="When (ISO 8601; without an offset: local time)")
    direction: Direction = Direction.IN
    temperature: Temperature | None = None


class CheckInOut(Schema):
    id: int
    client_id: str | None
    venue: str
    at: datetime


class PassageIn(BaseModel):
    client_id: ClientId
    checkpoint: Text(field_length(Checkpoint, "code")) = Field("", description="Optional: must be the device's")
    at: EventTime
    direction: Direction = Direction.IN
    subject: Subject = Subject.VEHICLE
    plate: Text(16) = ""
    vehicle_type: VehicleType | None = None
    people_on_board: int = Field(1, ge=1, le=99)
    full_name: Text(field_length(Passage, "full_name")) = ""
    phone: Text(20) = ""
    cccd: Text(12) = ""
    origin_commune_code: Text(CODE) = ""
    destination_commune_code: Text(CODE) = ""
    green_card: Text(24) = Field("", description="Green-lane card number")
    declaration_shown: bool = False
    test_result: TestResult = TestResult.NONE
    test_kind: TestKind | None = None
    test_at: EventTime | None = None
    colour: Text(8) = Field("", description="green, yellow or red; empty when not shown")
    temperature: Temperature | None = None
    action: PassageAction
    note: Text(field_length(Passage, "note")) = ""


class PassageOut(Schema):
    id: int
    client_id: str | None
    checkpoint: str
    at: datetime
    action: str
    advice: str


# -- answers ---------------------------------------------------------------------------------------------
@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def invalid(errors: dict[str, list[str]]) -> Answer:
    detail = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items())
    return Answer(422, {"detail": _("Invalid data — %(problems)s") % {"problems": detail}, "errors": errors})


def refused(status: int, message: str, **headers: str) -> Answer:
    return Answer(status, {"detail": message}, headers)


def parse(schema, data: Any):
    """The validated payload, or the 422 answer in the house's shape (django-ninja has validated it
    already: it is given as is)."""
    if isinstance(data, schema):
        return data, None
    if not isinstance(data, dict):
        return None, Answer(
            422, {"detail": _("Send an object here."), "errors": {"__all__": [_("Send an object here.")]}}
        )
    try:
        return schema.model_validate(data), None
    except PydanticError as exc:
        return None, Answer(422, validation_answer(exc.errors()))


# -- rate limit -------------------------------------------------------------------------------------------
def rate_limited(address: str | None) -> Answer | None:
    """The declarations API shares the declaration form's budget per address (``movement.limits``)."""
    allowed, wait = limits.allow_address("declaration", address)
    if allowed:
        return None
    wait = max(1, wait)
    return refused(
        429,
        _("Too many declarations from this address. Try again in %(n)s seconds.") % {"n": wait},
        **{"Retry-After": str(wait)},
    )


# -- places and codes (cached per process: a code's unit never changes under a running form) -------------
class _Cache:
    def __init__(self, ttl: float):
        self.ttl = ttl
        self._items: dict[Any, tuple[float, Any]] = {}

    def get(self, key, load):
        now = time.monotonic()
        hit = self._items.get(key)
        if hit is not None and now - hit[0] <= self.ttl:
            return hit[1]
        value = load()
        if len(self._items) > 50_000:
            self._items.clear()
        self._items[key] = (now, value)
        return value

    def clear(self) -> None:
        self._items.clear()


UNITS = _Cache(300.0)
VENUES = _Cache(30.0)


def unit_by_code(code: str, level: str):
    return UNITS.get((code, level), lambda: AdminUnit.objects.filter(code=code, level=level).first())


def _origin(commune_code: str, on: date) -> tuple[str, bool]:
    """(level colour, watched) of an origin commune on a day, as the alerts part decides."""
    if not commune_code:
        return "", False
    status = origin_status(commune_code, on)
    return status.level_colour or "", bool(status.watched)


@lru_cache(maxsize=65536)
def _normal_phone(raw: str) -> str | None:
    """``people.identity.normalize_phone`` (slow: the numbering plan), remembered: the same people
    check in every day."""
    try:
        return normalize_phone(raw)
    except IdentityError:
        return None


def _phone(raw: str, errors: dict, name: str = "phone") -> str:
    phone = _normal_phone(raw)
    if phone is None:
        errors.setdefault(name, []).append(_("Enter a Vietnamese phone number, e.g. 0912 345 678."))
        return ""
    return phone


# -- declarations ----------------------------------------------------------------------------------------
def declaration_answer(saved: ingest.Saved) -> Answer:
    record = saved.record
    return Answer(
        200 if saved.replayed else 201,
        {
            "receipt": record.receipt,
            "client_id": record.client_id,
            "received_at": record.received_at.isoformat(),
            "commune_code": record.commune_code,
            "symptomatic": bool(record.symptomatic),
        },
    )


def accept_declaration(data: Any, *, address: str | None, limited: bool = True) -> Answer:
    """``limited``: count the request against its address's rate (False: the caller did)."""
    refusal = rate_limited(address) if limited else None
    if refusal is not None:
        return refusal
    payload, problem = parse(DeclarationIn, data)
    if problem is not None:
        return problem
    received_at, language = timezone.now(), translation.get_language() or "vi"
    try:  # the same row as the public form's
        built = build_declaration(payload.model_dump(), received_at=received_at, language=language)
    except ValidationError as exc:
        return invalid(exc.message_dict)
    [saved] = ingest.save_events(Declaration, [built], after=alerts_for_declarations)
    return declaration_answer(saved)


# -- check-ins -------------------------------------------------------------------------------------------
def _venue(code: str) -> Venue | None:
    return VENUES.get(("venue", code), lambda: Venue.objects.select_related("unit").filter(code=code).first())


def accept_checkin(data: Any, *, device) -> Answer:
    payload, problem = parse(CheckInIn, data)
    if problem is not None:
        return problem
    if device.venue_id is None:
        return refused(403, _("This device belongs to a checkpoint: it records passages, not check-ins."))
    venue = device.venue
    if payload.venue.upper() != venue.code.upper():
        return refused(403, _("This device belongs to another venue."))
    if not venue.active:
        return invalid({"venue": [_("This venue is closed.")]})
    errors: dict[str, list[str]] = {}
    phone = _phone(payload.phone, errors) if payload.phone else ""
    if not phone and payload.person_id is None and not errors:
        errors["phone"] = [_("Send the phone number or the person's id.")]
    if payload.person_id is not None and not errors:
        if not Person.objects.filter(pk=payload.person_id).exists():
            errors["person_id"] = [_("There is no person with this id.")]
    if errors:
        return invalid(errors)
    checkin = CheckIn(
        at=payload.at,
        day=timezone.localtime(payload.at).date(),
        received_at=timezone.now(),
        client_id=payload.client_id,
        device_id=device.pk,
        venue_id=venue.pk,
        method=CheckInMethod.DEVICE,
        direction=payload.direction,
        phone=phone,
        full_name=payload.full_name,
        person_id=payload.person_id,
        temperature=payload.temperature,
        unit_id=venue.unit_id,
        unit_path=venue.unit_path,
        province_code=venue.province_code,
        commune_code=venue.commune_code,
    )
    [saved] = ingest.save_events(CheckIn, [checkin])
    record = saved.record
    return Answer(
        200 if saved.replayed else 201,
        {"id": record.pk, "client_id": record.client_id, "venue": venue.code, "at": record.at.isoformat()},
    )


# -- passages --------------------------------------------------------------------------------------------
def _plate(raw: str, errors: dict) -> str:
    if not raw:
        return ""
    try:
        return normalise_plate(raw)
    except InputError:
        errors["plate"] = [_("Enter a Vietnamese plate, e.g. 51C-123.45.")]
        return ""


def accept_passage(data: Any, *, device) -> Answer:
    payload, problem = parse(PassageIn, data)
    if problem is not None:
        return problem
    if device.checkpoint_id is None:
        return refused(403, _("This device belongs to a venue: it records check-ins, not passages."))
    checkpoint = device.checkpoint
    if payload.checkpoint and payload.checkpoint.upper() != checkpoint.code.upper():
        return refused(403, _("This device belongs to another checkpoint."))
    errors: dict[str, list[str]] = {}
    plate = _plate(payload.plate, errors)
    if payload.subject == Subject.VEHICLE and not plate and "plate" not in errors:
        errors["plate"] = [_("Enter the vehicle's plate.")]
    phone = _phone(payload.phone, errors) if payload.phone else ""
    if payload.cccd and not (payload.cccd.isdigit() and len(payload.cccd) == 12):
        errors["cccd"] = [_("The citizen ID has 12 digits.")]
    for name in ("origin_commune_code", "destination_commune_code"):
        code = getattr(payload, name)
        if code and unit_by_code(code, Level.COMMUNE) is None:
            errors[name] = [_("There is no commune with this code.")]
    if payload.colour and payload.colour not in ("green", "yellow", "red"):
        errors["colour"] = [_("Choose one of: %(choices)s.") % {"choices": "green, yellow, red"}]
    card = None
    if payload.green_card:
        card = GreenCard.objects.filter(number=payload.green_card.upper()).first()
        if card is None:
            errors["green_card"] = [_("There is no green-lane card with this number.")]
    if errors:
        return invalid(errors)
    day = timezone.localtime(payload.at).date()
    level, watched = _origin(payload.origin_commune_code, day)
    shift = (
        Shift.objects.filter(checkpoint_id=checkpoint.pk, starts_at__lte=payload.at, ends_at__gt=payload.at)
        .order_by("-starts_at")
        .values_list("pk", flat=True)
        .first()
    )
    passage = Passage(
        at=payload.at,
        day=day,
        received_at=timezone.now(),
        client_id=payload.client_id,
        device_id=device.pk,
        checkpoint_id=checkpoint.pk,
        shift_id=shift,
        direction=payload.direction,
        subject=payload.subject,
        plate=plate,
        vehicle_type=payload.vehicle_type or "",
        people_on_board=payload.people_on_board,
        full_name=payload.full_name,
        phone=phone,
        cccd=payload.cccd,
        origin_commune_code=payload.origin_commune_code,
        origin_level=level,
        from_watched_area=watched,
        destination_commune_code=payload.destination_commune_code,
        green_card_id=card.pk if card else None,
        declaration_shown=payload.declaration_shown,
        test_result=payload.test_result,
        test_kind=payload.test_kind or "",
        test_at=payload.test_at,
        colour=payload.colour,
        temperature=payload.temperature,
        action=payload.action,
        note=payload.note,
    )
    passage.place_in(checkpoint.unit)
    passage.advice, passage.rule_version = _advice(passage)
    [saved] = ingest.save_events(Passage, [passage], after=alerts_for_passages)
    record = saved.record
    return Answer(
        200 if saved.replayed else 201,
        {
            "id": record.pk,
            "client_id": record.client_id,
            "checkpoint": checkpoint.code,
            "at": record.at.isoformat(),
            "action": record.action,
            "advice": record.advice,
        },
    )


def _advice(passage: Passage) -> tuple[str, str]:
    """What the rules advised (stored with the passage): the passage screen's own reading of R-61."""
    try:
        advice = checkpoint_selectors.advice_for(passage)
    except InputError:  # a combination the screen's form refuses; the API keeps the officer's action
        return "", ""
    return (advice.action, advice.version[:40]) if advice else ("", "")
