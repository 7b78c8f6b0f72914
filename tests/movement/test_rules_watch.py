"""Which arrivals are watched (a level the province lists, red by default, or a listed unit or its
ancestor), and the time windows of check-ins for candidate contacts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chongdich.movement.rules import (
    MAX_STAY,
    InputError,
    alert_colours,
    checkin_at_bounds,
    checkin_window,
    level_colour,
    overlaps,
    watched,
)

COMMUNE = ("26734", "760", "79")  # a commune of HCMC, its district, the province


@pytest.mark.parametrize(
    ("colour", "codes", "levels", "units", "expected"),
    [
        ("red", COMMUNE, set(), set(), True),  # no list: red
        ("red", COMMUNE, None, None, True),
        ("orange", COMMUNE, set(), set(), False),
        ("orange", COMMUNE, {"orange", "red"}, set(), True),
        ("orange", COMMUNE, {"red"}, set(), False),
        ("red", COMMUNE, {"4"}, set(), True),  # level 4 of NQ 128 is red
        ("orange", COMMUNE, {"3"}, set(), True),
        ("red", COMMUNE, {"Đỏ "}, set(), True),
        ("red", COMMUNE, {"nonsense"}, set(), False),  # a list naming no level watches no level
        (None, COMMUNE, {"red"}, set(), False),  # no level published
        (None, COMMUNE, set(), {"760"}, True),  # the district is listed
        ("green", COMMUNE, set(), {"79"}, True),  # the province is listed
        ("green", COMMUNE, set(), {"77"}, False),
        ("green", (), set(), {"760"}, False),
        ("", COMMUNE, set(), set(), False),
    ],
)
def test_watched(colour, codes, levels, units, expected):
    assert watched(colour, codes, levels, units) is expected


def test_level_colours():
    assert [level_colour(v) for v in ("1", 2, " 3 ", "4", "5", "0", True, None, "xanh", "cam")] == [
        "green",
        "yellow",
        "orange",
        "red",
        None,
        None,
        None,
        None,
        "green",
        "orange",
    ]
    assert alert_colours([]) == {"red"} and alert_colours(["3", "red"]) == {"orange", "red"}


AT = datetime(2021, 8, 1, 9, 0, tzinfo=UTC)
M = timedelta(minutes=1)


@pytest.mark.parametrize(
    ("out_at", "stay", "margin", "window"),
    [
        (None, 60, 0, (AT, AT + 60 * M)),
        (None, 60, 30, (AT - 30 * M, AT + 90 * M)),
        (AT + 15 * M, 60, 30, (AT - 30 * M, AT + 45 * M)),  # the out scan ends the stay
        (AT - 15 * M, 60, 0, (AT, AT + 60 * M)),  # an out time before the in time is ignored
        (AT + timedelta(days=3), 60, 0, (AT, AT + MAX_STAY)),  # a forgotten check-out is capped
        (None, timedelta(minutes=45), timedelta(minutes=5), (AT - 5 * M, AT + 50 * M)),
        (None, 0, 0, (AT, AT)),
    ],
)
def test_checkin_window(out_at, stay, margin, window):
    assert checkin_window(AT, out_at, stay, margin) == window


@pytest.mark.parametrize(
    ("args", "field", "code"),
    [
        (("2021-08-01", None, 60, 0), "at", "datetime_required"),
        ((AT, "later", 60, 0), "at", "datetime_required"),
        ((AT, datetime(2021, 8, 1, 10), 60, 0), "out_at", "datetime_mixed"),
        ((AT, None, -1, 0), "stay_minutes", "minutes_invalid"),
        ((AT, None, 60.5, 0), "stay_minutes", "minutes_invalid"),
        ((AT, None, True, 0), "stay_minutes", "minutes_invalid"),
        ((AT, None, 60, 10**9), "margin", "minutes_invalid"),
    ],
)
def test_checkin_window_refuses(args, field, code):
    with pytest.raises(InputError) as raised:
        checkin_window(*args)
    assert (raised.value.field, raised.value.code) == (field, code)


def test_overlaps_counts_touching_ends():
    a = (AT, AT + 60 * M)
    assert overlaps(a, (AT + 60 * M, AT + 120 * M)) and overlaps((AT - 60 * M, AT), a)
    assert not overlaps(a, (AT + 61 * M, AT + 120 * M))
    assert overlaps(a, (AT + 10 * M, AT + 20 * M)) and overlaps((AT + 10 * M, AT + 20 * M), a)
    with pytest.raises(InputError):
        overlaps(a, (datetime(2021, 8, 1), datetime(2021, 8, 2)))


def test_checkin_at_bounds():
    start, end = AT, AT + timedelta(days=5)
    assert checkin_at_bounds(start, end, 30) == (start - MAX_STAY - 30 * M, end + 30 * M)
    with pytest.raises(InputError) as raised:
        checkin_at_bounds(end, start)
    assert raised.value.code == "window_order"
