"""The green lane: vehicle cards and their trips, the only writers of both.

A card (thẻ nhận diện luồng xanh, CV 5187/VPCP-CN) is issued by a unit for a plate and a validity;
its number is the province's code, the year and a sequence (``70-2026-000123``) unless the officer
types the printed one.  A trip runs from an origin commune to a destination commune; it is scoped
by the destination, whose officers (or a checkpoint) confirm the arrival.  A trip not confirmed by
its expected arrival plus the province's grace becomes a ``trip_overdue`` alert to the destination
commune (``raise_overdue_trips``, run by the periodic task and a command); confirming the arrival
closes it.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chongdich.core import audit, clock, dates
from chongdich.core.recorded import replay
from chongdich.core.scoping import in_scope
from chongdich.movement.models import (
    EDIT,
    Alert,
    AlertKind,
    AlertOutcome,
    AlertState,
    GreenCard,
    Trip,
    TripState,
    VehicleType,
)
from chongdich.movement.selectors.greenlane import overdue_trips, trip_source_ref, valid_card
from chongdich.movement.selectors.settings import setting_for
from chongdich.tallies.engine import tracked
from chongdich.territory.models import AdminUnit, Level

try:  # the rules helper's plate rules; a private minimal one until they are merged
    from chongdich.movement.rules import InputError as _PlateError
    from chongdich.movement.rules import normalise_plate as _rules_normalise_plate
except ImportError:  # pragma: no cover - replaced by the rules helper's module
    _PlateError, _rules_normalise_plate = ValueError, None
try:  # the alerts helper's writer of alerts
    from chongdich.movement.actions.alerts import raise_alert
except ImportError:  # pragma: no cover - replaced by the alerts helper's module
    raise_alert = None

CARD_FIELDS = (
    "plate",
    "vehicle_type",
    "operator",
    "driver_name",
    "driver_phone",
    "goods",
    "essential",
    "itinerary",
    "valid_from",
    "valid_to",
)
MAX_CARD_DAYS = 366  # a card is issued for a campaign, at most a year
MAX_TRIP_HOURS = 7 * 24  # a trip across the country and back takes days, never weeks
TRIP_PAST_DAYS = 30  # a trip may be recorded late, up to a month after its departure
TRIP_AHEAD_DAYS = 14  # or planned up to two weeks ahead
MAX_PEOPLE = 100  # a coach
WINDOWS = {
    "movement.card_valid_from": dates.Window(gettext_lazy("The first day of validity"), future_days=366),
    "movement.card_valid_to": dates.Window(gettext_lazy("The last day of validity"), future_days=2 * 366),
}
PLATE = re.compile(r"^[0-9]{2}[A-Z]{1,2}[0-9]{4,7}$")  # 51C12345, 29A123456, 51LD12345
PHONE = re.compile(r"^(\+84|0)[0-9]{8,10}$")


def register_windows() -> None:
    """The date windows of the card form, added to ``core.dates.WINDOWS`` at start-up."""
    for key, window in WINDOWS.items():
        dates.WINDOWS.setdefault(key, window)


def outside_area() -> str:
    return _("You may only manage the green lane of your area.")


# -- plates and phones ------------------------------------------------------------------------------
def normalise_plate(text: str, field: str = "plate") -> str:
    """The stored form of a plate (``51C-123.45`` → ``51C12345``), or a ValidationError on ``field``."""
    if not (text or "").strip():
        raise ValidationError({field: _("Enter the vehicle's plate.")})
    if _rules_normalise_plate is not None:
        try:
            return _rules_normalise_plate(text)
        except _PlateError:
            raise ValidationError({field: plate_refusal(text)}) from None
    key = "".join(ch for ch in text.upper() if ch.isalnum())
    if not PLATE.match(key):
        raise ValidationError({field: plate_refusal(text)})
    return key


def plate_refusal(text: str) -> str:
    return _("%(plate)s is not a Vietnamese plate: write it as on the plate, e.g. 51C-123.45 or 29A1-234.56.") % {
        "plate": text.strip()[:20]
    }


def normalise_phone(text: str, field: str) -> str:
    digits = "".join(ch for ch in (text or "") if ch.isdigit() or ch == "+")
    if digits.startswith("84") and len(digits) >= 11:
        digits = "+" + digits
    if not PHONE.match(digits):
        raise ValidationError({field: _("Enter a phone number of 10 digits, e.g. 0912 345 678.")})
    return "0" + digits[3:] if digits.startswith("+84") else digits


# -- cards ------------------------------------------------------------------------------------------
def check_card(actor, card: GreenCard) -> None:
    if not in_scope(actor, EDIT, card):
        raise PermissionDenied(outside_area())


def _check_unit(actor, unit) -> None:
    if unit is None or not in_scope(actor, EDIT, unit.path):
        raise PermissionDenied(outside_area())
    if unit.level not in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        raise ValidationError({"unit": _("A card is issued by a province, a district or a commune.")})


def _clean_card(data: dict[str, Any]) -> dict[str, Any]:
    """Stripped and checked card fields; the refusals name the field and say how to fix it."""
    clean = {name: data.get(name) for name in CARD_FIELDS}
    for name in ("operator", "driver_name", "goods", "itinerary"):
        clean[name] = " ".join(str(clean[name] or "").split())
    errors: dict[str, str] = {}
    required = {
        "operator": _("Enter the transport operator (company or owner)."),
        "driver_name": _("Enter the driver's name."),
        "goods": _("Enter the goods carried."),
        "itinerary": _("Enter the itinerary (from, through, to)."),
    }
    for name, message in required.items():
        if not clean[name]:
            errors[name] = message
    try:
        clean["plate"] = normalise_plate(clean["plate"] or "")
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    try:
        clean["driver_phone"] = normalise_phone(clean["driver_phone"] or "", "driver_phone")
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if clean["vehicle_type"] not in VehicleType.values:
        errors["vehicle_type"] = _("Choose the kind of vehicle.")
    clean["essential"] = bool(clean["essential"])
    start, end = clean["valid_from"], clean["valid_to"]
    for key, name, value in (
        ("movement.card_valid_from", "valid_from", start),
        ("movement.card_valid_to", "valid_to", end),
    ):
        problem = dates.problem(key, value) if value is not None else _("Enter the date.")
        if problem:
            errors[name] = problem
    if start and end and "valid_from" not in errors and "valid_to" not in errors:
        if end < start:
            errors["valid_to"] = _("The last day of validity comes before the first.")
        elif (end - start).days >= MAX_CARD_DAYS:
            errors["valid_to"] = _("A card is valid for a year at most: issue a new one after it ends.")
    if errors:
        raise ValidationError(errors)
    return clean


def next_card_number(province_code: str, year: int) -> str:
    """The next free number of the province's year: ``70-2026-000124`` after ``70-2026-000123``."""
    prefix = f"{province_code}-{year}-"
    numbers = GreenCard.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    last = max((int(n[len(prefix) :]) for n in numbers if n[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{last + 1:06d}"


def _clean_number(number: str) -> str:
    number = "".join((number or "").split()).upper()
    if number and not re.fullmatch(r"[0-9A-Z./-]{3,24}", number):
        raise ValidationError(
            {"number": _("A card number has 3 to 24 letters, digits, dots, dashes or slashes (or leave it empty).")}
        )
    return number


@transaction.atomic
def do_issue_card(
    actor, *, unit: AdminUnit, data: dict[str, Any], number: str = "", client_id: str | None = None
) -> tuple[GreenCard, bool]:
    """Issue a card in ``unit``: with ``number`` as printed, else the next number of the province."""
    existing = replay(actor, GreenCard, client_id, capability=EDIT, refusal=outside_area())
    if existing is not None:
        return existing, False
    _check_unit(actor, unit)
    clean = _clean_card(data)
    number = _clean_number(number)
    if number and GreenCard.objects.filter(number=number).exists():
        raise ValidationError({"number": _("Card %(number)s exists already.") % {"number": number}})
    year = clock.today().year
    for _attempt in range(5):
        card = GreenCard(number=number or next_card_number(unit.province_code, year), **clean)
        card.stamp(actor, client_id)
        card.place_in(unit)
        try:
            with transaction.atomic():  # a concurrent issue took the number: the next one
                card.save()
            break
        except IntegrityError:
            if number:
                raise ValidationError({"number": _("Card %(number)s exists already.") % {"number": number}}) from None
    else:  # pragma: no cover - five concurrent issues in one province at once
        raise ValidationError(_("Many cards are being issued at once: send the form again."))
    audit.record(actor, audit.AuditAction.CREATE, card, detail={"plate": card.plate})
    return card, True


@transaction.atomic
def do_update_card(actor, card: GreenCard, *, data: dict[str, Any]) -> GreenCard:
    check_card(actor, card)
    card = GreenCard.objects.select_for_update().get(pk=card.pk)
    if card.revoked_at is not None:
        raise ValidationError(_("A revoked card cannot be changed: issue a new one."))
    clean = _clean_card({name: getattr(card, name) for name in CARD_FIELDS} | data)
    changed = {}
    for name in CARD_FIELDS:
        if getattr(card, name) != clean[name]:
            changed[name] = [str(getattr(card, name)), str(clean[name])]
            setattr(card, name, clean[name])
    if changed:
        card.stamp(actor)
        card.save()
        audit.record(actor, audit.AuditAction.UPDATE, card, detail={"changed": changed})
    return card


@transaction.atomic
def do_revoke_card(actor, card: GreenCard, *, reason: str) -> GreenCard:
    """Revoke the card from now (idempotent: a re-sent form leaves the first revocation)."""
    check_card(actor, card)
    card = GreenCard.objects.select_for_update().get(pk=card.pk)
    if card.revoked_at is not None:
        return card
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why the card is revoked.")})
    card.revoked_at = clock.now()
    card.revoke_reason = reason[:200]
    card.stamp(actor)
    card.save()
    audit.record(actor, audit.AuditAction.UPDATE, card, detail={"revoked": card.revoke_reason})
    return card


# -- trips ------------------------------------------------------------------------------------------
def may_create_trip(actor, destination: AdminUnit | None, card: GreenCard | None) -> bool:
    """The destination's officers, or the card's issuing area, record a trip."""
    return (destination is not None and in_scope(actor, EDIT, destination)) or (
        card is not None and in_scope(actor, EDIT, card)
    )


def check_trip(actor, trip: Trip, *, by_card: bool = True) -> None:
    """The destination's officers act on a trip; the card's issuing area too when ``by_card``."""
    if in_scope(actor, EDIT, trip):
        return
    if by_card and trip.card_id is not None and in_scope(actor, EDIT, trip.card):
        return
    raise PermissionDenied(outside_area())


def _clean_times(departed_at: datetime | None, expected_at: datetime | None) -> None:
    errors = {}
    now = clock.now()
    if departed_at is None:
        errors["departed_at"] = _("Enter the time of departure.")
    elif departed_at < now - timedelta(days=TRIP_PAST_DAYS):
        errors["departed_at"] = _("A trip is recorded within %(days)s days of its departure.") % {
            "days": TRIP_PAST_DAYS
        }
    elif departed_at > now + timedelta(days=TRIP_AHEAD_DAYS):
        errors["departed_at"] = _("A trip is planned at most %(days)s days ahead.") % {"days": TRIP_AHEAD_DAYS}
    if expected_at is None:
        errors["expected_at"] = _("Enter the expected time of arrival.")
    elif departed_at is not None and "departed_at" not in errors:
        if expected_at <= departed_at:
            errors["expected_at"] = _("The expected arrival comes after the departure.")
        elif expected_at - departed_at > timedelta(hours=MAX_TRIP_HOURS):
            errors["expected_at"] = _("A trip lasts at most %(days)s days: check the dates.") % {
                "days": MAX_TRIP_HOURS // 24
            }
    if errors:
        raise ValidationError(errors)


def _card_for_trip(card: GreenCard | None, plate: str, departed_at: datetime) -> tuple[GreenCard | None, str]:
    """(the card, the plate): a card chosen gives its plate; a plate alone finds its valid card."""
    if card is not None:
        if plate and normalise_plate(plate) != card.plate:
            raise ValidationError({"plate": _("The plate is not the card's (%(plate)s).") % {"plate": card.plate}})
        if card.revoked_at is not None:
            raise ValidationError({"card": _("This card was revoked: the vehicle travels without a green card.")})
        day = timezone.localtime(departed_at).date()
        if not card.valid_from <= day <= card.valid_to:
            raise ValidationError(
                {
                    "card": _("The card is valid from %(start)s to %(end)s, not on the day of departure.")
                    % {"start": f"{card.valid_from:%d/%m/%Y}", "end": f"{card.valid_to:%d/%m/%Y}"}
                }
            )
        return card, card.plate
    plate = normalise_plate(plate)
    found = valid_card(plate, departed_at)
    return (found if found is not None and found.revoked_at is None else None), plate


@transaction.atomic
def do_create_trip(
    actor,
    *,
    origin: AdminUnit | None,
    destination: AdminUnit | None,
    departed_at: datetime | None,
    expected_at: datetime | None,
    card: GreenCard | None = None,
    plate: str = "",
    people_on_board: int = 1,
    driver_name: str = "",
    driver_phone: str = "",
    goods: str = "",
    note: str = "",
    client_id: str | None = None,
) -> tuple[Trip, bool]:
    """A trip of a carded vehicle (or of a plate: its valid card is found) to a destination commune."""
    existing = replay(
        actor, Trip, client_id, capability=EDIT, refusal=outside_area(), path=("unit_path", "card__unit_path")
    )
    if existing is not None:
        return existing, False
    if not may_create_trip(actor, destination, card):
        raise PermissionDenied(outside_area())
    errors = {}
    if origin is None or origin.level != Level.COMMUNE:
        errors["origin"] = _("Choose the commune the vehicle leaves from.")
    if destination is None or destination.level != Level.COMMUNE:
        errors["destination"] = _("Choose the commune the vehicle goes to.")
    elif origin is not None and origin.pk == destination.pk:
        errors["destination"] = _("The destination is another commune than the origin.")
    if not card and not (plate or "").strip():
        errors["plate"] = _("Choose a card or enter the plate.")
    if not 1 <= (people_on_board or 0) <= MAX_PEOPLE:
        errors["people_on_board"] = _("Between 1 and %(most)s people on board.") % {"most": MAX_PEOPLE}
    if errors:
        raise ValidationError(errors)
    _clean_times(departed_at, expected_at)
    card, plate = _card_for_trip(card, plate, departed_at)
    if driver_phone or (card and card.driver_phone):
        driver_phone = normalise_phone(driver_phone or card.driver_phone, "driver_phone")
    under_way = Trip.objects.select_for_update().filter(plate=plate, state=TripState.UNDER_WAY).first()
    if under_way is not None:
        raise ValidationError(
            {
                "plate": _(
                    "Vehicle %(plate)s is already on a trip (left at %(time)s): confirm its arrival or cancel it first."
                )
                % {"plate": plate, "time": f"{timezone.localtime(under_way.departed_at):%H:%M %d/%m/%Y}"}
            }
        )
    trip = Trip(
        card=card,
        plate=plate,
        driver_name=" ".join((driver_name or (card.driver_name if card else "")).split())[:120],
        driver_phone=driver_phone,
        people_on_board=people_on_board,
        goods=" ".join((goods or (card.goods if card else "")).split())[:200],
        origin=origin,
        origin_path=origin.path,
        departed_at=departed_at,
        expected_at=expected_at,
        note=" ".join((note or "").split())[:300],
    ).stamp(actor, client_id)
    trip.place_in(destination)
    trip.save()
    audit.record(actor, audit.AuditAction.CREATE, trip, detail={"plate": plate, "card": card.number if card else ""})
    return trip, True


@transaction.atomic
def do_update_trip(
    actor,
    trip: Trip,
    *,
    expected_at: datetime | None,
    people_on_board: int,
    driver_name: str = "",
    driver_phone: str = "",
    goods: str = "",
    note: str = "",
) -> Trip:
    """Correct a trip under way: a later expected arrival (a delay announced before it is overdue), the
    people on board, the driver, the goods, the note.  The vehicle, the communes and the departure stay
    (a wrong one: cancel the trip and record it again)."""
    check_trip(actor, trip)
    trip = Trip.objects.select_for_update().get(pk=trip.pk)
    if trip.state != TripState.UNDER_WAY:
        raise ValidationError(_("Only a trip under way can be changed."))
    errors = {}
    if expected_at is None:
        errors["expected_at"] = _("Enter the expected time of arrival.")
    elif expected_at <= trip.departed_at:
        errors["expected_at"] = _("The expected arrival comes after the departure.")
    elif expected_at - trip.departed_at > timedelta(hours=MAX_TRIP_HOURS):
        errors["expected_at"] = _("A trip lasts at most %(days)s days: check the dates.") % {
            "days": MAX_TRIP_HOURS // 24
        }
    if not 1 <= (people_on_board or 0) <= MAX_PEOPLE:
        errors["people_on_board"] = _("Between 1 and %(most)s people on board.") % {"most": MAX_PEOPLE}
    if errors:
        raise ValidationError(errors)
    changes = {
        "expected_at": expected_at,
        "people_on_board": people_on_board,
        "driver_name": " ".join((driver_name or "").split())[:120],
        "driver_phone": normalise_phone(driver_phone, "driver_phone") if driver_phone else "",
        "goods": " ".join((goods or "").split())[:200],
        "note": " ".join((note or "").split())[:300],
    }
    changed = {name: value for name, value in changes.items() if getattr(trip, name) != value}
    if not changed:
        return trip
    for name, value in changed.items():
        setattr(trip, name, value)
    trip.stamp(actor)
    trip.save(update_fields=list(changed))
    detail = {name: (value.isoformat() if isinstance(value, datetime) else value) for name, value in changed.items()}
    audit.record(actor, audit.AuditAction.UPDATE, trip, detail=detail)
    return trip


def _arrival_time(trip: Trip, at: datetime | None) -> datetime:
    now = clock.now()
    at = at or now
    if at < trip.departed_at:
        raise ValidationError({"at": _("The arrival comes after the departure.")})
    if at > now + timedelta(minutes=5):
        raise ValidationError({"at": _("The arrival cannot be in the future.")})
    return at


def _close_overdue_alert(trip: Trip, at: datetime, actor, outcome: str) -> None:
    """The trip's overdue alert, if one was raised and is open, is done with ``outcome``."""
    alert = (
        Alert.objects.select_for_update()
        .filter(kind=AlertKind.TRIP_OVERDUE, source_ref=trip_source_ref(trip))
        .exclude(state=AlertState.DONE)
        .first()
    )
    if alert is None:
        return
    user = actor if getattr(actor, "is_authenticated", False) else None
    with tracked(alert):
        alert.state = AlertState.DONE
        alert.done_at = max(at, alert.raised_at)
        alert.outcome = outcome
        if alert.owner_id is None:
            alert.owner = user
        if alert.taken_at is None:
            alert.taken_at = alert.done_at
        alert._history_user = user
        alert.save()
    audit.record(
        actor, audit.AuditAction.UPDATE, alert, detail={"closed_by": trip_source_ref(trip), "outcome": outcome}
    )


def _arrive(actor, trip: Trip, at: datetime, checkpoint=None) -> Trip:
    trip.state = TripState.ARRIVED
    trip.arrived_at = at
    trip.confirmed_by = actor if getattr(actor, "is_authenticated", False) else None
    trip.confirmed_at_checkpoint = checkpoint
    trip.stamp(actor)
    trip.save()
    _close_overdue_alert(trip, at, actor, AlertOutcome.ARRIVED)
    audit.record(
        actor,
        audit.AuditAction.UPDATE,
        trip,
        detail={"arrived_at": at.isoformat(), "checkpoint": checkpoint.code if checkpoint else ""},
    )
    return trip


def _locked_under_way(trip: Trip) -> Trip | None:
    """The trip locked; None when it arrived already (a re-sent confirmation); refused when cancelled."""
    trip = Trip.objects.select_for_update().get(pk=trip.pk)
    if trip.state == TripState.ARRIVED:
        return None
    if trip.state == TripState.CANCELLED:
        raise ValidationError(_("This trip was cancelled."))
    return trip


@transaction.atomic
def do_confirm_arrival(actor, trip: Trip, *, at: datetime | None = None) -> Trip:
    """The destination commune confirms the vehicle arrived (at ``at``, default now)."""
    check_trip(actor, trip, by_card=False)
    locked = _locked_under_way(trip)
    if locked is None:
        return Trip.objects.get(pk=trip.pk)
    return _arrive(actor, locked, _arrival_time(locked, at))


@transaction.atomic
def do_confirm_arrival_at_checkpoint(actor, trip: Trip, checkpoint, at: datetime) -> Trip:
    """A checkpoint saw the vehicle arrive (the passage screen): ``actor`` is the officer, who must
    act at ``checkpoint``; None for a checkpoint's device, which the caller authenticated."""
    if actor is not None and getattr(actor, "is_authenticated", False) and not in_scope(actor, EDIT, checkpoint):
        raise PermissionDenied(outside_area())
    locked = _locked_under_way(trip)
    if locked is None:
        return Trip.objects.get(pk=trip.pk)
    return _arrive(actor, locked, _arrival_time(locked, at), checkpoint)


@transaction.atomic
def do_cancel_trip(actor, trip: Trip, *, reason: str) -> Trip:
    """Cancel a trip under way (it will not come): its overdue alert, if any, needs nothing more."""
    check_trip(actor, trip)
    trip = Trip.objects.select_for_update().get(pk=trip.pk)
    if trip.state == TripState.CANCELLED:
        return trip
    if trip.state == TripState.ARRIVED:
        raise ValidationError(_("The trip arrived: it cannot be cancelled."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why the trip is cancelled.")})
    trip.state = TripState.CANCELLED
    trip.note = (f"{trip.note} · {reason}" if trip.note else reason)[:300]
    trip.stamp(actor)
    trip.save()
    _close_overdue_alert(trip, clock.now(), actor, AlertOutcome.NO_ACTION)
    audit.record(actor, audit.AuditAction.UPDATE, trip, detail={"cancelled": reason})
    return trip


# -- overdue trips ----------------------------------------------------------------------------------
def _raise_one(trip_pk: int, now: datetime) -> bool:
    with transaction.atomic():
        trip = Trip.objects.select_for_update(of=("self",)).select_related("card", "origin", "unit").get(pk=trip_pk)
        if trip.state != TripState.UNDER_WAY or trip.overdue_alerted:
            return False
        grace = setting_for(trip.province_code).trip_grace_minutes
        detail = {
            "plate": trip.plate,
            "card": trip.card.number if trip.card_id else "",
            "origin": trip.origin.name,
            "departed_at": trip.departed_at.isoformat(),
            "expected_at": trip.expected_at.isoformat(),
            "grace_minutes": grace,
            "people_on_board": trip.people_on_board,
        }
        alert = raise_alert(
            AlertKind.TRIP_OVERDUE,
            trip_source_ref(trip),
            trip.unit,
            day=timezone.localtime(now).date(),
            raised_at=now,
            full_name=trip.driver_name,
            phone=trip.driver_phone,
            origin_commune_code=trip.origin.commune_code or trip.origin.code,
            arrived_on=None,
            trip=trip,
            detail=detail,
        )
        trip.overdue_alerted = True
        trip._history_user = None
        trip.save(update_fields=["overdue_alerted"])
        return alert is not None


def raise_overdue_trips(now: datetime | None = None) -> int:
    """Raise the alert of every overdue trip not alerted yet, one trip per transaction (a failure
    leaves the others done); idempotent: the flag on the trip and the alert's (kind, source) unicity.
    Returns the number of alerts raised."""
    if raise_alert is None:  # pragma: no cover - before the alerts helper's module is merged
        return 0
    now = now or clock.now()
    pks = list(overdue_trips(Trip.objects.filter(overdue_alerted=False), now).values_list("pk", flat=True))
    return sum(1 for pk in pks if _raise_one(pk, now))
