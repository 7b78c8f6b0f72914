"""Properties of the movement rules over random input: a plate's display form normalises back to the
stored form, normalising is idempotent, and no text raises anything but InputError; ``advise`` never
raises anything but InputError, sends a positive test to quarantine, never gets milder with a fever nor
harsher with a valid negative test; check-in windows contain their check-in and the query bounds
never miss an overlapping one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from chongdich.core.versioning import NoRuleInForce
from chongdich.movement.rules import (
    PROVINCE_CODES,
    InputError,
    PassageIn,
    advise,
    checkin_at_bounds,
    checkin_window,
    normalise_plate,
    overlaps,
    parse_plate,
    plate_display,
    watched,
)
from chongdich.movement.rules import test_valid as result_valid
from chongdich.movement.rules.checkpoint import SEVERITY
from chongdich.movement.rules.plates import CAR_SERIES, FOREIGN_SERIES, SERIES_LETTERS

PROPERTY = settings(max_examples=300, deadline=None)
ICT = timezone(timedelta(hours=7))
LETTERS = sorted(SERIES_LETTERS)
PROVINCES = sorted(PROVINCE_CODES)
digits = st.text("0123456789", min_size=1, max_size=1)


def number(size: int):
    return st.text("0123456789", min_size=size, max_size=size).filter(lambda n: n.strip("0"))


def dotted(n: str) -> str:
    return f"{n[:3]}.{n[3:]}" if len(n) == 5 else n


cars = st.builds(
    lambda p, s, n: (f"{p}{s}-{dotted(n)}", ""),
    st.sampled_from(PROVINCES),
    st.sampled_from(LETTERS) | st.sampled_from(sorted(CAR_SERIES)).map(lambda s: s.replace("TD", "TĐ")),
    number(4) | number(5),
)
motorbikes = st.builds(
    lambda p, s, d, n: (f"{p}-{s}{d} {dotted(n)}", "motorbike"),
    st.sampled_from(PROVINCES),
    st.sampled_from(LETTERS),
    digits,
    number(4) | number(5),
)
military = st.builds(
    lambda s, n: (f"{s}-{n[:2]}-{n[2:]}", ""),
    st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2),
    number(4),
)
diplomatic = st.builds(
    lambda p, s, n: (f"{p}{s}-{n[:3]}-{n[3:]}", ""),
    st.sampled_from(PROVINCES),
    st.sampled_from(sorted(FOREIGN_SERIES)),
    number(5),
)
plates = cars | motorbikes | military | diplomatic


def messy(display: str, data) -> str:
    """The same plate as someone might type it: any case, separators dropped or added, Đ as D."""
    out = []
    for char in display:
        if char in "-. ":
            out.append(data.draw(st.sampled_from(["", " ", "-", ".", "  "])))
        elif char == "Đ":
            out.append(data.draw(st.sampled_from(["Đ", "đ", "D", "d"])))
        else:
            out.append(data.draw(st.sampled_from([char, char.lower()])))
    return "".join(out)


@PROPERTY
@given(plate=plates, data=st.data())
def test_display_normalises_back_and_typing_does_not_matter(plate, data):
    display, vehicle_type = plate
    stored = normalise_plate(display)
    assert plate_display(stored, vehicle_type) == display
    assert normalise_plate(plate_display(stored)) == stored
    assert normalise_plate(messy(display, data)) == stored
    assert stored.isascii() and stored == stored.upper() and len(stored) <= 12


@PROPERTY
@given(text=st.text(max_size=50) | st.text("0123456789ABCDĐabcdđXxQqTMNG .-", max_size=16))
def test_any_text_is_a_plate_or_an_input_error(text):
    try:
        plate = parse_plate(text)
    except InputError as error:
        assert error.field == "plate" and error.code.startswith("plate_")
        return
    assert normalise_plate(plate.stored) == plate.stored  # idempotent
    assert normalise_plate(plate.display) == plate.stored
    assert plate_display(plate.display) == plate.display


AT_START = datetime(2020, 1, 1, tzinfo=UTC)
AT_END = datetime(2023, 1, 1, tzinfo=UTC)
moments = st.datetimes(AT_START.replace(tzinfo=None), AT_END.replace(tzinfo=None), timezones=st.just(UTC))
temperatures = st.none() | st.decimals("34.0", "41.0", places=1)
passages = st.builds(
    PassageIn,
    at=moments,
    subject=st.sampled_from(["person", "vehicle"]),
    vehicle_type=st.sampled_from(["", "car", "truck", "motorbike", "ambulance", "coach"]),
    has_valid_card=st.booleans(),
    card_essential=st.booleans(),
    declaration_shown=st.booleans(),
    test_result=st.sampled_from(["", "negative", "positive"]),
    test_kind=st.sampled_from(["", "pcr", "rat"]),
    test_at=st.none() | moments,
    people_on_board=st.integers(1, 60),
    temperature=temperatures,
    colour=st.sampled_from(["", "green", "yellow", "red"]),
    from_watched_area=st.booleans(),
)
garbage = st.one_of(st.none(), st.integers(), st.text(max_size=5), st.floats(), st.booleans(), st.dates())


@PROPERTY
@given(passage=passages)
def test_advice_is_one_of_four_actions_with_reasons(passage):
    advice = advise(passage)
    assert advice.action in SEVERITY and advice.reasons and advice.version
    if passage.test_result == "positive" and passage.vehicle_type != "ambulance":
        assert advice.action == "quarantine"
    elif passage.subject == "person" or passage.vehicle_type != "ambulance":
        if passage.temperature is not None and passage.temperature >= Decimal("37.5"):
            assert SEVERITY[advice.action] >= SEVERITY["tested"]


@PROPERTY
@given(passage=passages, hours=st.floats(0, 72))
def test_a_valid_negative_test_never_makes_the_advice_harsher(passage, hours):
    assume(passage.test_result != "positive")
    with_test = replace(passage, test_result="negative", test_kind="pcr", test_at=passage.at - timedelta(hours=hours))
    assert SEVERITY[advise(with_test).action] <= SEVERITY[advise(passage).action]


@PROPERTY
@given(passage=passages)
def test_a_fever_never_makes_the_advice_milder(passage):
    feverish = replace(passage, temperature=Decimal("38.5"))
    assert SEVERITY[advise(feverish).action] >= SEVERITY[advise(passage).action]


@PROPERTY
@given(passage=passages, field=st.sampled_from(sorted(PassageIn.__dataclass_fields__)), value=garbage)
def test_garbage_in_any_field_is_an_input_error_or_an_advice(passage, field, value):
    try:
        advise(replace(passage, **{field: value}))
    except InputError:
        pass


@PROPERTY
@given(result_at=moments, at=moments, hours=st.integers(1, 200))
def test_test_valid_is_the_closed_window_after_the_result(result_at, at, hours):
    assert result_valid(result_at, at, hours) is (timedelta(0) <= at - result_at <= timedelta(hours=hours))


@PROPERTY
@given(
    at=moments,
    out=st.none() | st.timedeltas(timedelta(hours=-2), timedelta(days=2)),
    stay=st.integers(0, 600),
    margin=st.integers(0, 120),
    case_start=moments,
    case_days=st.integers(0, 20),
)
def test_checkin_windows_and_query_bounds(at, out, stay, margin, case_start, case_days):
    window = checkin_window(at, None if out is None else at + out, stay, margin)
    assert window[0] <= at <= window[1]
    case = (case_start, case_start + timedelta(days=case_days))
    assert overlaps(window, case) is overlaps(case, window)
    low, high = checkin_at_bounds(*case, margin)
    if overlaps(window, case):
        assert low <= at <= high


@PROPERTY
@given(
    colour=st.none() | st.sampled_from(["green", "yellow", "orange", "red", ""]),
    codes=st.lists(st.sampled_from(["79", "760", "26734", "01", "001"]), max_size=3),
    levels=st.sets(st.sampled_from(["red", "orange", "4", "3", "x"])),
    units=st.sets(st.sampled_from(["79", "760", "01"])),
)
def test_watched_grows_with_the_lists(colour, codes, levels, units):
    base = watched(colour, codes, levels, units)
    assert watched(colour, codes, levels, units | {"760", "79", "01"}) >= base
    if levels:  # (an empty list means red)
        assert watched(colour, codes, levels | {"orange"}, units) >= base


def test_dates_before_the_first_version_are_input_errors_and_no_rule_in_force():
    for caught in (InputError, NoRuleInForce):
        try:
            advise(PassageIn(at=datetime(2019, 12, 31, 12, tzinfo=UTC)))
        except caught as error:
            assert (error.field, error.code, error.key, error.on) == (
                "at",
                "no_rule_in_force",
                "movement.checkpoint",
                date(2019, 12, 31),
            )
        else:
            raise AssertionError(f"no {caught.__name__}")
    assert advise(PassageIn(at=datetime(2020, 1, 1, 12)), on=date(2020, 1, 1)).version == "Chốt 2020"


@PROPERTY
@given(passage=passages)
def test_showing_a_declaration_never_makes_the_advice_harsher(passage):
    shown = replace(passage, declaration_shown=True)
    assert SEVERITY[advise(shown).action] <= SEVERITY[advise(passage).action]


@PROPERTY
@given(passage=passages, card=st.booleans(), essential=st.booleans())
def test_a_card_changes_nothing_while_cards_are_not_recognised(passage, card, essential):
    """Before 4977 (18/7/2021) and after NQ 128 (11/10/2021) a card is only noted."""
    assume(not date(2021, 7, 18) <= passage.at.astimezone(ICT).date() < date(2021, 10, 11))
    other = replace(passage, has_valid_card=card, card_essential=essential)
    assert advise(other).action == advise(passage).action


@PROPERTY
@given(passage=passages)
def test_a_valid_card_never_makes_the_advice_harsher(passage):
    carded = replace(passage, has_valid_card=True)
    assert SEVERITY[advise(carded).action] <= SEVERITY[advise(passage).action]
