"""The arithmetic of the thresholds (no database): first crossings, the earliest never after the
median, shares of a catchment's change, a lot's pace."""

from __future__ import annotations

import numpy as np
import pytest

from chongdich.forecast import rules
from chongdich.forecast.runouts.paths import (
    NEVER,
    both_crossings,
    crossing_days,
    lasts,
    pad,
    rate_upper,
    shared_change,
    stock_path,
)

NAN = float("nan")


@pytest.mark.parametrize(
    ("current", "threshold", "q50", "q95", "days", "early"),
    [
        (100, 100, [90, 95], [99, 99], 0, 0),  # already there (at the threshold counts)
        (120, 100, [90, 80], [90, 80], 0, 0),  # already over, even if projected to fall
        (10, 100, [50, 100, 150], [100, 150, 200], 2, 1),  # within the horizon; earliest sooner
        (10, 100, [20, 30, 40], [20, 30, 40], NEVER, NEVER),  # never within the horizon
        (10, 100, [20, 30, 40], [50, 100, 200], NEVER, 2),  # only the upper path gets there
        (10, 100, [20, 100, 100], [20, 20, 20], 2, 2),  # crossing paths: earliest never after the median
        (10, 100, [NAN, NAN, NAN], [NAN, NAN, NAN], NEVER, NEVER),  # no projection
        (10, 100, [50, 150, NAN], [150, NAN, NAN], 2, 1),  # a shorter horizon padded with NaN
    ],
)
def test_crossings(current, threshold, q50, q95, days, early):
    got_days, got_early = both_crossings([current], [threshold], np.array([q50]), np.array([q95]))
    assert (int(got_days[0]), int(got_early[0])) == (days, early)


def test_crossings_of_many_units_in_one_call():
    days, early = both_crossings(
        [0, 5, 9],
        [10, 10, 10],
        np.array([[1, 2, 3], [6, 10, 12], [9, 9, 9]]),
        np.array([[1, 20, 30], [6, 10, 12], [10, 10, 10]]),
    )
    assert days.tolist() == [NEVER, 2, NEVER]
    assert early.tolist() == [2, 2, 1]
    assert all(e <= d for d, e in zip(days, early, strict=True) if d != NEVER)


def test_pad_cuts_and_fills():
    out = pad([[1, 2, 3], None, [4]], 2)
    assert out[0].tolist() == [1, 2]
    assert np.isnan(out[1]).all()
    assert out[2][0] == 4 and np.isnan(out[2][1])


def test_shared_change_starts_from_what_a_facility_holds_and_never_goes_below_zero():
    change = np.array([[10.0, 20.0, -100.0]])
    assert shared_change([5], [0.25], change).tolist() == [[7.5, 10.0, 0.0]]


@pytest.mark.parametrize(
    ("on_hand", "rate", "expected"),
    [(70, 10, 7), (75, 10, 7), (0, 10, 0), (10, 0, None), (5, 10, 0)],
)
def test_lasts(on_hand, rate, expected):
    assert lasts(on_hand, rate) == expected


def test_upper_rate_is_above_the_observed_rate_and_positive_without_use():
    assert rate_upper(70, 7) > 10
    assert 0 < rate_upper(0, 7) < 1  # 3.0 / 7: nothing given in a week still allows a slow use


def test_stock_path():
    assert stock_path(25, 10, 4).tolist() == [15, 5, 0, 0]


def test_crossings_are_the_rules_days_until_with_the_current_value():
    """``crossing_days`` is ``chongdich.forecast.rules.days_until`` (column j = day as_of + j + 1, 0 =
    already): the same answer on random paths, and a path of no day still knows "already"."""
    rng = np.random.default_rng(3)
    paths = rng.uniform(0, 20, size=(50, 10))
    current = rng.uniform(0, 20, size=50)
    threshold = rng.uniform(5, 25, size=50)
    expected = rules.days_until(paths, threshold, current)
    assert crossing_days(current, threshold, paths).tolist() == expected.tolist()
    assert crossing_days([5, 1], [3, 3], np.zeros((2, 0))).tolist() == [0, NEVER]
