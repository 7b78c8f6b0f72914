"""Venues, their device tokens and check-ins: the only writers.

A venue's code is what its QR poster holds (``/movement/c/<code>/``): 8 characters of Crockford's
base32 (no I, L, O, U: nothing to misread on a printed poster), drawn at random and unique.  A check-in
is an event row written through ``movement.ingest.save_events`` (a re-sent form or a device's retry
returns the row saved first); the public page is rate-limited per address.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from chongdich.core import audit, clock
from chongdich.core.recorded import replay
from chongdich.core.scoping import in_scope
from chongdich.movement import limits
from chongdich.movement.ingest import save_events
from chongdich.movement.models import EDIT, CheckIn, CheckInMethod, Direction, Venue
from chongdich.movement.selectors.venues import CODE_ALPHABET, CODE_LENGTH, read_code
from chongdich.people.identity import IdentityError, normalize_phone

VENUE_FIELDS = (
    "name",
    "kind",
    "address",
    "latitude",
    "longitude",
    "contact_name",
    "contact_phone",
    "temperature_check",
    "active",
)
# A body temperature anyone can have; outside it the reading is a typing mistake.
TEMPERATURE_MIN, TEMPERATURE_MAX = Decimal("34.0"), Decimal("42.5")
FEVER = Decimal("37.5")
# The public page: at most this many check-ins per address per window (a family shares one phone and a
# shop's Wi-Fi is one address; a robot is stopped).


class RateLimited(ValidationError):
    """Too many check-ins from one address: the page answers 429."""


def venues_outside_area() -> str:
    return _("You may only manage venues in your area.")


def check_venue(actor, venue: Venue) -> None:
    if not in_scope(actor, EDIT, venue):
        raise PermissionDenied(venues_outside_area())


def _check_unit(actor, unit) -> None:
    if unit is None or not in_scope(actor, EDIT, unit.path):
        raise PermissionDenied(venues_outside_area())


def new_code() -> str:
    """A fresh venue code (8 characters: 32⁸ ≈ 10¹², so a collision is retried, never expected)."""
    for _attempt in range(10):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Venue.objects.filter(code=code).exists():
            return code
    raise RuntimeError("no free venue code")  # pragma: no cover - 10 collisions in 10¹²


# -- venues -----------------------------------------------------------------------------------------
def _clean_venue(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    data["name"] = (data.get("name") or "").strip()
    if not data["name"]:
        raise ValidationError({"name": _("Enter the venue's name.")})
    if data.get("contact_phone"):
        try:
            data["contact_phone"] = normalize_phone(data["contact_phone"])
        except IdentityError:
            raise ValidationError({"contact_phone": _("Enter a Vietnamese phone number, e.g. 0912 345 678.")}) from None
    lat, lon = data.get("latitude"), data.get("longitude")
    if (lat is None) != (lon is None):
        raise ValidationError({"longitude": _("Enter both the latitude and the longitude, or neither.")})
    return data


@transaction.atomic
def do_create_venue(actor, *, unit, data: dict[str, Any], client_id: str | None = None) -> tuple[Venue, bool]:
    """A venue in ``unit`` (a commune or village the actor may edit), with a fresh public code."""
    existing = replay(actor, Venue, client_id, capability=EDIT, refusal=venues_outside_area())
    if existing is not None:
        return existing, False
    _check_unit(actor, unit)
    data = _clean_venue(data)
    venue = Venue(code=new_code(), **{k: data[k] for k in VENUE_FIELDS if k in data}).stamp(actor, client_id)
    venue.place_in(unit)
    venue.save()
    audit.record(actor, audit.AuditAction.CREATE, venue)
    return venue, True


@transaction.atomic
def do_update_venue(actor, venue: Venue, *, unit=None, data: dict[str, Any]) -> Venue:
    """Change a venue's details (its code stays: the posters on the wall keep working)."""
    check_venue(actor, venue)
    if unit is not None and unit.pk != venue.unit_id:
        _check_unit(actor, unit)
    data = _clean_venue({k: getattr(venue, k) for k in VENUE_FIELDS} | data)
    changed = {}
    for name in VENUE_FIELDS:
        if name in data and getattr(venue, name) != data[name]:
            changed[name] = [str(getattr(venue, name)), str(data[name])]
            setattr(venue, name, data[name])
    if unit is not None and unit.pk != venue.unit_id:
        changed["unit"] = [venue.unit.code, unit.code]
        venue.place_in(unit)  # check-ins already made stay where they were
    if changed:
        venue.stamp(actor)
        venue.save()
        audit.record(actor, audit.AuditAction.UPDATE, venue, detail={"changed": changed})
    return venue


# -- check-ins ----------------------------------------------------------------------------------------
def check_rate(address: str | None) -> None:
    """Count one check-in from ``address`` (``movement.limits``, bucket "checkin"); refuse past
    ``CHONGDICH_CHECKIN_RATE_LIMIT`` in ``CHONGDICH_CHECKIN_RATE_WINDOW`` seconds."""
    allowed, _wait = limits.allow_address("checkin", address)
    if not allowed:
        raise RateLimited(_("Too many check-ins from this network. Please wait a few minutes and try again."))


def clean_temperature(value, venue: Venue) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        value = Decimal(str(value).replace(",", ".")).quantize(Decimal("0.1"))
    except ArithmeticError:
        raise ValidationError({"temperature": _("Enter the temperature in °C, e.g. 36.5.")}) from None
    if not TEMPERATURE_MIN <= value <= TEMPERATURE_MAX:
        raise ValidationError({"temperature": _("Enter a temperature between 34 and 42.5 °C.")})
    return value


def _phone(raw: str, field: str = "phone") -> str:
    try:
        phone = normalize_phone(raw)
    except IdentityError:
        raise ValidationError({field: _("Enter a Vietnamese phone number, e.g. 0912 345 678.")}) from None
    return phone


def _row(venue: Venue, *, at, phone: str, full_name: str, direction: str, method: str, **extra) -> CheckIn:
    row = CheckIn(
        at=at,
        day=timezone.localtime(at).date(),
        received_at=timezone.now(),
        venue=venue,
        method=method,
        direction=direction,
        phone=phone,
        full_name=(full_name or "").strip()[:120],
        **extra,
    )
    row.place_in(venue.unit)
    return row


def do_check_in(
    actor,
    *,
    venue: Venue,
    phone: str,
    full_name: str,
    direction: str = Direction.IN,
    temperature=None,
    client_id: str | None = None,
    address: str | None = None,
):
    """A person checks in (or out) at ``venue`` from its public page (``actor`` None: anonymous).
    Returns the ``ingest.Saved`` row (``replayed`` when the same form was sent before)."""
    if not venue.active:
        raise ValidationError(_("This venue no longer takes check-ins."))
    check_rate(address)
    phone = _phone(phone)
    if not phone:
        raise ValidationError({"phone": _("Enter your phone number.")})
    if not (full_name or "").strip():
        raise ValidationError({"full_name": _("Enter your name.")})
    if direction not in Direction.values:
        raise ValidationError(_("Choose check in or check out."))
    temperature = clean_temperature(temperature, venue) if venue.temperature_check else None
    row = _row(
        venue,
        at=clock.now(),
        phone=phone,
        full_name=full_name,
        direction=direction,
        method=CheckInMethod.SELF,
        temperature=temperature,
        client_id=(client_id or None) and str(client_id)[:64],
    )
    return save_events(CheckIn, [row])[0]


SCAN_PROBLEMS = {
    "empty": _lazy("Scan the person's code or type their phone number."),
    "certificate": _lazy(
        "This certificate was not issued by this system or was altered: check the paper, or type the phone number."
    ),
    "unreadable": _lazy("This code is neither a certificate, an ID card nor a phone number: type the phone number."),
}


def do_staff_check_in(
    actor,
    venue: Venue,
    *,
    code: str,
    full_name: str = "",
    direction: str = Direction.IN,
    temperature=None,
    client_id: str | None = None,
):
    """Staff of the venue scanned a person's code (vaccination certificate, chip ID card, CCCD) or typed
    a phone number.  Returns (the ``ingest.Saved`` row, what the code named)."""
    if not in_scope(actor, EDIT, venue):
        raise PermissionDenied(venues_outside_area())
    if not venue.active:
        raise ValidationError(_("This venue no longer takes check-ins."))
    scanned = read_code(code)
    if scanned.problem:
        raise ValidationError({"code": str(SCAN_PROBLEMS[scanned.problem])})
    person = scanned.person
    full_name = (scanned.full_name or full_name or "").strip()
    if not scanned.phone and person is None and not full_name:
        raise ValidationError({"full_name": _("Nobody is registered with this code: type the person's name.")})
    if direction not in Direction.values:
        raise ValidationError(_("Choose check in or check out."))
    temperature = clean_temperature(temperature, venue)
    row = _row(
        venue,
        at=clock.now(),
        phone=scanned.phone,
        full_name=full_name,
        direction=direction,
        method=CheckInMethod.STAFF,
        temperature=temperature,
        person=person,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        client_id=(client_id or None) and str(client_id)[:64],
    )
    saved = save_events(CheckIn, [row])[0]
    if not saved.replayed:
        audit.record(
            actor,
            audit.AuditAction.CREATE,
            saved.record,
            label=f"{venue.name}: {saved.record.full_name or saved.record.phone}",
            detail={"venue": venue.pk, "read": scanned.source},
        )
    return saved, scanned
