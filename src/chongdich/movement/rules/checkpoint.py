"""R-61: what a checkpoint does with a person or a vehicle (docs/movement/rules.md): the rule, its input and
its advice here; ``decide.advise`` applies them.

``advise(PassageIn(...), cfg)`` -> ``Advice(action, reasons, version)``; the rule in force is read from
the configuration on the passage's local date (Vietnam, UTC+7), a province's override merged in.

Order of the decision (every step's reason is kept, the most serious action wins:
quarantine > tested > turned_back > through):

1. an emergency vehicle (the version's ``exempt_vehicle_types``) goes through;
2. a positive test shown -> quarantine; a temperature at or above ``fever_c`` -> tested on site;
3. a valid green-lane card (an expired or revoked card is no card) while cards are recognised:
   essential goods and ``carded_not_checked`` -> through, not checked (from 30/7/2021);
   with a valid test of the driver and ``card_needs_driver_test`` -> through (4977, 7630);
4. otherwise: a health declaration when required (else ``no_declaration``), and a negative test whose
   RESULT is at most ``test_valid_hours`` old when required for this colour (else ``no_test``);
5. an origin on the watch list adds ``watched_area`` (nothing by default: the commune's alert acts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from chongdich.movement.rules.errors import ConfigError, InputError

THROUGH, TESTED, TURNED_BACK, QUARANTINE = "through", "tested", "turned_back", "quarantine"
ACTIONS = (THROUGH, TESTED, TURNED_BACK, QUARANTINE)
SEVERITY = {THROUGH: 0, TURNED_BACK: 1, TESTED: 2, QUARANTINE: 3}
PERSON, VEHICLE = "person", "vehicle"
SUBJECTS = (PERSON, VEHICLE)
NEGATIVE, POSITIVE = "negative", "positive"
TEST_RESULTS = ("", NEGATIVE, POSITIVE)
TEST_KINDS = ("pcr", "rat")
COLOURS = ("green", "yellow", "red", "")
VIETNAM = timezone(timedelta(hours=7), "ICT")  # no daylight saving: the local date of an aware time
TEMPERATURE_RANGE = (Decimal("30.0"), Decimal("45.0"))
MAX_ON_BOARD = 200

# Advice reasons (texts in texts.REASONS).
R_EMERGENCY = "emergency_vehicle"
R_POSITIVE = "positive_test"
R_FEVER = "fever"
R_CARDED = "carded_not_checked"
R_CARD_TEST = "card_and_driver_test"
R_CARD_NO_TEST = "card_without_test"
R_CARDS_ENDED = "cards_ended"
R_NO_DECLARATION = "no_declaration"
R_VALID_TEST = "valid_test"
R_NO_TEST = "no_test"
R_TEST_EXPIRED = "test_expired"
R_TEST_FUTURE = "test_in_future"
R_TEST_NO_TIME = "test_time_missing"
R_TEST_KIND = "test_kind_not_accepted"
R_COLOUR_EXEMPT = "colour_exempt"
R_NOT_REQUIRED = "test_not_required"
R_WATCHED = "watched_origin"
ADVICE_REASONS = (
    R_EMERGENCY,
    R_POSITIVE,
    R_FEVER,
    R_CARDED,
    R_CARD_TEST,
    R_CARD_NO_TEST,
    R_CARDS_ENDED,
    R_NO_DECLARATION,
    R_VALID_TEST,
    R_NO_TEST,
    R_TEST_EXPIRED,
    R_TEST_FUTURE,
    R_TEST_NO_TIME,
    R_TEST_KIND,
    R_COLOUR_EXEMPT,
    R_NOT_REQUIRED,
    R_WATCHED,
)


# --- the rule ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CheckpointRule:
    """The checkpoint rule in force (one version, a province's override merged)."""

    version: str
    name_vi: str
    name_en: str
    source: str = ""
    effective_from: date | None = None
    test_valid_hours: int = 72
    test_valid_hours_by_kind: Mapping[str, int] = field(default_factory=dict)  # e.g. {"rat": 48}
    test_kinds: frozenset[str] = frozenset(TEST_KINDS)  # the tests accepted
    recognise_cards: bool = False  # green-lane cards exist (4977, from 18/7/2021)
    carded_not_checked: bool = False  # a valid card carrying essential goods is not checked (30/7/2021)
    card_needs_driver_test: bool = True  # a valid card passes with the driver's negative test (4977, 7630)
    declaration_required: bool = True
    test_required: bool = False  # a negative test for everyone on board
    test_exempt_colours: frozenset[str] = frozenset()  # colours that need no test ("green" after NQ 128)
    no_test: str = TURNED_BACK  # what happens without a valid test when one is required
    no_declaration: str = TURNED_BACK
    fever_c: Decimal = Decimal("37.5")
    watched_area: str = ""  # an extra action for an origin on the watch list ("" = none)
    exempt_vehicle_types: frozenset[str] = frozenset({"ambulance"})

    def hours_for(self, kind: str) -> int:
        return int(self.test_valid_hours_by_kind.get(kind, self.test_valid_hours))


FIELDS: dict[str, type | tuple[type, ...]] = {
    "name_vi": str,
    "name_en": str,
    "test_valid_hours": int,
    "test_valid_hours_by_kind": Mapping,
    "test_kinds": list,
    "recognise_cards": bool,
    "carded_not_checked": bool,
    "card_needs_driver_test": bool,
    "declaration_required": bool,
    "test_required": bool,
    "test_exempt_colours": list,
    "no_test": str,
    "no_declaration": str,
    "fever_c": (str, int, float),
    "watched_area": str,
    "exempt_vehicle_types": list,
}
REQUIRED = ("name_vi", "name_en")


def compile_checkpoint(values: Mapping[str, Any], where: str) -> dict[str, Any]:
    """The keyword arguments of ``CheckpointRule`` from a version's values; ``ConfigError`` naming the path."""
    if not isinstance(values, Mapping):
        raise ConfigError(f"{where}: values must be an object")
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {unknown}; expected some of {sorted(FIELDS)}")
    missing = [name for name in REQUIRED if name not in values]
    if missing:
        raise ConfigError(f"{where}: missing {missing}")
    out: dict[str, Any] = {}
    for name, value in values.items():
        kind = FIELDS[name]
        if kind is int and (type(value) is not int or not 0 < value <= 24 * 30):
            raise ConfigError(f"{where}: {name} must be a whole number of hours in 1..720, got {value!r}")
        if kind is bool and type(value) is not bool:
            raise ConfigError(f"{where}: {name} must be true or false, got {value!r}")
        if not isinstance(value, kind) or (kind is str and type(value) is not str):
            raise ConfigError(f"{where}: {name} must be {getattr(kind, '__name__', 'a number')}, got {value!r}")
        out[name] = value
    for name in ("no_test", "no_declaration"):
        if name in out and out[name] not in ACTIONS:
            raise ConfigError(f"{where}: {name} must be one of {list(ACTIONS)}, got {out[name]!r}")
    if out.get("watched_area", "") not in ("", *ACTIONS):
        raise ConfigError(f"{where}: watched_area must be '' or one of {list(ACTIONS)}")
    if "test_kinds" in out:
        kinds = out["test_kinds"]
        if not kinds or any(kind not in TEST_KINDS for kind in kinds):
            raise ConfigError(f"{where}: test_kinds must list some of {list(TEST_KINDS)}, got {kinds!r}")
        out["test_kinds"] = frozenset(kinds)
    if "test_valid_hours_by_kind" in out:
        by_kind = dict(out["test_valid_hours_by_kind"])
        for kind, hours in by_kind.items():
            if kind not in TEST_KINDS or type(hours) is not int or not 0 < hours <= 720:
                raise ConfigError(f"{where}: test_valid_hours_by_kind.{kind} must be 1..720 hours of pcr or rat")
        out["test_valid_hours_by_kind"] = by_kind
    if "test_exempt_colours" in out:
        colours = out["test_exempt_colours"]
        if any(colour not in ("green", "yellow", "red") for colour in colours):
            raise ConfigError(f"{where}: test_exempt_colours must list green, yellow or red, got {colours!r}")
        out["test_exempt_colours"] = frozenset(colours)
    if "exempt_vehicle_types" in out:
        types = out["exempt_vehicle_types"]
        if any(type(kind) is not str for kind in types):
            raise ConfigError(f"{where}: exempt_vehicle_types must list vehicle type codes")
        out["exempt_vehicle_types"] = frozenset(types)
    if "fever_c" in out:
        try:
            fever = Decimal(str(out["fever_c"]))
        except InvalidOperation:
            fever = Decimal("NaN")
        if not fever.is_finite() or not TEMPERATURE_RANGE[0] <= fever <= TEMPERATURE_RANGE[1]:
            raise ConfigError(f"{where}: fever_c must be a temperature in 30..45 °C, got {out['fever_c']!r}")
        out["fever_c"] = fever
    return out


# --- the input and the advice --------------------------------------------------------------------------
@dataclass(frozen=True)
class PassageIn:
    """What the officer saw.  ``test_result``/``test_at`` stand for the tests shown by everyone on board
    (a vehicle) or by the person; ``has_valid_card`` is False for an expired or revoked card."""

    at: datetime
    subject: str = VEHICLE
    vehicle_type: str = ""
    has_valid_card: bool = False
    card_essential: bool = False
    declaration_shown: bool = False
    test_result: str = ""
    test_kind: str = ""
    test_at: datetime | None = None  # the time of the RESULT
    people_on_board: int = 1
    temperature: Decimal | None = None
    colour: str = ""
    from_watched_area: bool = False


@dataclass(frozen=True)
class Advice:
    action: str  # through | tested | turned_back | quarantine
    reasons: tuple[str, ...]  # codes (reason_text), the deciding ones first
    version: str  # the rule version that decided
    checked: bool = True  # False: a carded vehicle not stopped
    test_valid_until: datetime | None = None  # when the test shown stops counting


def test_valid(result_at: datetime, at: datetime, hours: int | float | Decimal = 72) -> bool:
    """A test whose result came at ``result_at`` counts at ``at`` for ``hours`` hours (inclusive), measured
    from the RESULT time, not the sampling time (R-61, HCMC wording [V]).  A result after ``at`` does not
    count.  ``InputError`` for a naive time compared with an aware one or a bad number of hours."""
    if not isinstance(result_at, datetime) or not isinstance(at, datetime):
        raise InputError("test_at", "datetime_required")
    if (result_at.tzinfo is None) != (at.tzinfo is None):
        raise InputError("test_at", "datetime_mixed")
    try:
        span = timedelta(hours=float(hours))
    except (TypeError, ValueError, OverflowError):
        raise InputError("test_valid_hours", "hours_invalid")
    if span < timedelta(0):
        raise InputError("test_valid_hours", "hours_invalid")
    return result_at <= at and at - result_at <= span


def local_date(at: datetime) -> date:
    """The date in Vietnam of ``at`` (an aware time is converted to UTC+7; a naive one is taken as local)."""
    return at.astimezone(VIETNAM).date() if at.tzinfo is not None else at.date()


def _temperature(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InputError("temperature", "temperature_range")
    try:
        reading = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InputError("temperature", "temperature_range")
    if not reading.is_finite() or not TEMPERATURE_RANGE[0] <= reading <= TEMPERATURE_RANGE[1]:
        raise InputError("temperature", "temperature_range")
    return reading


def check_passage(passage: PassageIn) -> Decimal | None:
    """Refuse (``InputError``) what no form should let through; returns the temperature as a Decimal."""
    if not isinstance(passage.at, datetime):
        raise InputError("at", "datetime_required")
    if passage.subject not in SUBJECTS:
        raise InputError("subject", "choice_unknown")
    if passage.test_result not in TEST_RESULTS:
        raise InputError("test_result", "choice_unknown")
    if passage.test_kind not in ("", *TEST_KINDS):
        raise InputError("test_kind", "choice_unknown")
    if passage.colour not in COLOURS:
        raise InputError("colour", "choice_unknown")
    if not isinstance(passage.vehicle_type, str) or len(passage.vehicle_type) > 20:
        raise InputError("vehicle_type", "choice_unknown")
    if type(passage.people_on_board) is not int or not 1 <= passage.people_on_board <= MAX_ON_BOARD:
        raise InputError("people_on_board", "people_range", max=MAX_ON_BOARD)
    if passage.test_at is not None:
        if not isinstance(passage.test_at, datetime):
            raise InputError("test_at", "datetime_required")
        if (passage.test_at.tzinfo is None) != (passage.at.tzinfo is None):
            raise InputError("test_at", "datetime_mixed")
    return _temperature(passage.temperature)
