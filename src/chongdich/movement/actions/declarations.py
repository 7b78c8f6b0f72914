"""The public health declaration: one row built from what the declarant sent (the web form or
``POST /api/v1/declarations``), checked field by field, and written through the one event writer.

``build_declaration`` is shared by the form and the API: it takes plain values (strings, numbers,
lists, as a form or a JSON body gives them), checks every field and raises one ``ValidationError``
whose error dict names each field that is wrong with a message in the user's language that says
how to fix it; else it returns the unsaved row, with what the rules and the levels said at the time
stored on it (symptomatic, the origin's level, whether the origin is an epidemic area the province
watches) and a fresh receipt code.  ``do_declare`` saves it (a re-sent ``client_id`` returns the
first row: the same receipt).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from chongdich.core import audit, clock
from chongdich.core.dates import year_bounds
from chongdich.core.text import normalize_text
from chongdich.movement.actions.alerts import alerts_for_declarations
from chongdich.movement.ingest import Saved, save_events
from chongdich.movement.models import Declaration, Sex, Transport
from chongdich.movement.rules import EXPOSURES, SYMPTOMS, is_symptomatic
from chongdich.movement.selectors.declarations import commune_of
from chongdich.movement.selectors.watch import origin_status
from chongdich.people.identity import FEMALE, MALE
from chongdich.people.validation import clean_cccd_field, clean_phone_field
from chongdich.territory.models import AdminUnit, Level

# Receipt codes: 10 characters of Crockford's base32 (no I, L, O, U): 50 bits, unguessable, easy to read
# out at a checkpoint.  ``normalise_receipt`` reads what a person types back (i→1, l→1, o→0, dashes).
RECEIPT_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_LENGTH = 10
_RECEIPT_READING = str.maketrans({"I": "1", "L": "1", "O": "0", "-": None, " ": None})

# How far an arrival may lie from the day of the declaration: a declaration is made on arrival or
# shortly before (a trip planned) and about the last weeks (symptoms and exposures of 14 days).
ARRIVAL_PAST_DAYS = 60
ARRIVAL_FUTURE_DAYS = 7
MAX_CODES = 20  # symptoms or exposures ticked (the catalogues are shorter)
SEX_OF_CCCD = {Sex.MALE: MALE, Sex.FEMALE: FEMALE}

LENGTHS = {
    "full_name": 120,
    "phone": 32,
    "cccd": 20,
    "address": 200,
    "arrived_from_text": 160,
    "transport_detail": 60,
    "commune_code": 16,
    "village": 16,
    "arrived_from_commune_code": 16,
}


def new_receipt() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def normalise_receipt(text: str | None) -> str:
    """What a person typed or a scanner read, as a receipt code ('' when it cannot be one)."""
    code = (text or "").strip().upper().translate(_RECEIPT_READING)
    if len(code) != RECEIPT_LENGTH or any(ch not in RECEIPT_ALPHABET for ch in code):
        return ""
    return code


def symptom_codes() -> tuple[str, ...]:
    return tuple(item.code for item in SYMPTOMS)


def exposure_codes() -> tuple[str, ...]:
    return tuple(item.code for item in EXPOSURES)


def _text(data: Mapping, key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    return normalize_text(str(value))


def _codes(data: Mapping, key: str, known: tuple[str, ...], errors: dict, message: str) -> list[str]:
    raw = data.get(key) or []
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list | tuple) or len(raw) > MAX_CODES:
        errors[key] = [message]
        return []
    picked = {str(code) for code in raw}
    unknown = picked - set(known)
    if unknown:
        errors[key] = [message]
    return [code for code in known if code in picked]  # in the catalogue's order, each once


def _village(commune: AdminUnit, code: str) -> AdminUnit | None:
    return AdminUnit.objects.current().filter(code=code, level=Level.VILLAGE, parent=commune).first()


def _origin(code: str, on: date, province_code: str) -> tuple[str, bool]:
    """(the origin's level colour on ``on`` or '', whether the destination's province watches it)."""
    status = origin_status(code, on, province_code=province_code)
    return status.level_colour or "", bool(status.watched)


def _birth_year(data: Mapping, errors: dict) -> int | None:
    raw = data.get("birth_year")
    earliest, latest = year_bounds()
    message = _("Enter the year of birth as 4 digits, between %(earliest)s and %(latest)s.") % {
        "earliest": earliest,
        "latest": latest,
    }
    if raw is None or str(raw).strip() == "":
        errors["birth_year"] = [_("Enter the year of birth.")]
        return None
    try:
        year = int(str(raw).strip())
    except ValueError:
        errors["birth_year"] = [message]
        return None
    if not earliest <= year <= latest:
        errors["birth_year"] = [message]
        return None
    return year


def _arrived_on(data: Mapping, today: date, errors: dict) -> date | None:
    raw = data.get("arrived_on")
    if raw is None or raw == "":
        return None
    if isinstance(raw, datetime):
        raw = raw.date()
    if not isinstance(raw, date):
        try:
            raw = date.fromisoformat(str(raw).strip())
        except ValueError:
            errors["arrived_on"] = [_("Enter the day you arrived as a date (dd/mm/yyyy).")]
            return None
    earliest, latest = today - timedelta(days=ARRIVAL_PAST_DAYS), today + timedelta(days=ARRIVAL_FUTURE_DAYS)
    if not earliest <= raw <= latest:
        errors["arrived_on"] = [
            _("The day you arrived must be between %(earliest)s and %(latest)s.")
            % {"earliest": earliest.strftime("%d/%m/%Y"), "latest": latest.strftime("%d/%m/%Y")}
        ]
        return None
    return raw


def build_declaration(data: Mapping, *, received_at: datetime, language: str) -> Declaration:
    """The unsaved declaration of ``data`` (the keys of ``POST /api/v1/declarations``: ``client_id``,
    ``full_name``, ``birth_year``, ``sex``, ``phone``, ``cccd``, ``commune_code``, ``village``,
    ``address``, ``arrived_from_commune_code``, ``arrived_from_text``, ``arrived_on``, ``transport``,
    ``transport_detail``, ``symptoms``, ``exposures``), or ``ValidationError({field: [messages]})``
    naming every field that is wrong."""
    errors: dict[str, list[str]] = {}
    day = timezone.localtime(received_at).date()
    for key, limit in LENGTHS.items():
        value = data.get(key)
        if value is not None and len(str(value)) > limit:
            errors[key] = [_("At most %(limit)s characters.") % {"limit": limit}]

    full_name = _text(data, "full_name")
    if "full_name" not in errors and (len(full_name) < 2 or not any(ch.isalpha() for ch in full_name)):
        errors["full_name"] = [_("Enter your full name (e.g. Nguyễn Văn An).")]
    birth_year = _birth_year(data, errors)
    sex = _text(data, "sex")
    if sex not in Sex.values:
        errors["sex"] = [_("Choose male, female or other.")]
    phone = ""
    if "phone" not in errors:
        if not _text(data, "phone"):
            errors["phone"] = [_("Enter your phone number: the health station calls this number.")]
        else:
            try:
                phone = clean_phone_field(_text(data, "phone"))
            except ValidationError as exc:
                errors["phone"] = exc.messages
    cccd = ""
    if "cccd" not in errors and _text(data, "cccd"):
        try:
            cccd = (
                clean_cccd_field(
                    _text(data, "cccd"),
                    sex=SEX_OF_CCCD.get(sex),
                    birth_year=birth_year,
                )
                or ""
            )
        except ValidationError as exc:
            errors["cccd"] = exc.messages

    commune = village = None
    commune_code = _text(data, "commune_code")
    if "commune_code" not in errors:
        commune = commune_of(commune_code) if commune_code else None
        if commune is None:
            errors["commune_code"] = [
                _("Choose the commune or ward where you stay: type its name and pick it from the list.")
            ]
    village_code = _text(data, "village")
    if commune is not None and village_code and "village" not in errors:
        village = _village(commune, village_code)
        if village is None:
            errors["village"] = [
                _("Choose a village of %(commune)s from the list, or leave it empty.") % {"commune": commune.name}
            ]

    origin_code = _text(data, "arrived_from_commune_code")
    origin = None
    if origin_code and "arrived_from_commune_code" not in errors:
        origin = commune_of(origin_code)
        if origin is None:
            errors["arrived_from_commune_code"] = [
                _("Choose the commune you came from in the list, or write the place (a country) in words.")
            ]
    arrived_on = _arrived_on(data, day, errors)
    transport = _text(data, "transport")
    if transport and transport not in Transport.values:
        errors["transport"] = [_("Choose a means of transport from the list.")]
    symptoms = _codes(data, "symptoms", symptom_codes(), errors, _("Tick the symptoms from the list."))
    exposures = _codes(data, "exposures", exposure_codes(), errors, _("Tick the situations from the list."))
    client_id = data.get("client_id")
    if client_id is not None and (not isinstance(client_id, str) or len(client_id) > 64):
        errors["client_id"] = [_("The form's identifier is not valid: open the form again.")]
    if errors:
        raise ValidationError(errors)

    destination = village or commune
    level, watched = (
        _origin(origin.code, arrived_on or day, destination.province_code) if origin is not None else ("", False)
    )
    row = Declaration(
        received_at=received_at,
        day=day,
        client_id=client_id or None,
        receipt=new_receipt(),
        language=(language or "")[:5],
        full_name=full_name,
        birth_year=birth_year,
        sex=sex,
        phone=phone,
        cccd=cccd,
        address=_text(data, "address"),
        arrived_from_commune_code=origin.code if origin is not None else "",
        arrived_from_level=level[:8],
        arrived_from_text="" if origin is not None else _text(data, "arrived_from_text"),
        arrived_on=arrived_on,
        transport=transport,
        transport_detail=_text(data, "transport_detail") if transport else "",
        symptoms=symptoms,
        exposures=exposures,
        symptomatic=bool(is_symptomatic(tuple(symptoms))),
        from_watched_area=watched,
    )
    row.place_in(destination)
    return row


def do_declare(actor, data: Mapping, client_id: str | None, language: str) -> Saved:
    """Save a health declaration (the public form: ``actor`` is anonymous); ``Saved.replayed`` when the
    ``client_id`` was seen (the first declaration, its receipt, comes back)."""
    row = build_declaration({**data, "client_id": client_id or None}, received_at=clock.now(), language=language)
    saved = save_events(Declaration, [row], after=alerts_for_declarations)[0]
    if actor is not None and getattr(actor, "is_authenticated", False) and not saved.replayed:
        audit.record(actor, "create", saved.record, detail={"receipt": saved.record.receipt})
    return saved
