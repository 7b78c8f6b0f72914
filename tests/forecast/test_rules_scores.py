"""Scores: absolute error, interval coverage, the weighted interval score (Bracher et al. 2021)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chongdich.forecast.rules import InputError, score

PROPERTY = settings(max_examples=100, deadline=None)


def wis_by_hand(q, y):
    """Bracher et al. 2021, eq. 2, with K = 2 intervals (α = 0.1, 0.5) and weights α/2, w0 = 1/2."""
    q05, q25, q50, q75, q95 = q

    def interval(lower, upper, alpha):
        return (upper - lower) + 2 / alpha * max(lower - y, 0) + 2 / alpha * max(y - upper, 0)

    return (0.5 * abs(y - q50) + 0.05 * interval(q05, q95, 0.1) + 0.25 * interval(q25, q75, 0.5)) / 2.5


@pytest.mark.parametrize(
    ("quantiles", "observed", "in_50", "in_90", "abs_error"),
    [
        ((5, 8, 10, 12, 15), 10, True, True, 0),
        ((5, 8, 10, 12, 15), 13, False, True, 3),
        ((5, 8, 10, 12, 15), 15, False, True, 5),
        ((5, 8, 10, 12, 15), 16, False, False, 6),
        ((5, 8, 10, 12, 15), 0, False, False, 10),
        ((0, 0, 0, 0, 0), 0, True, True, 0),
        ((0, 0, 0, 0, 0), 3, False, False, 3),
    ],
)
def test_table(quantiles, observed, in_50, in_90, abs_error):
    s = score(np.array([quantiles], dtype=float), np.array([observed], dtype=float))
    assert s.in_50[0] == in_50 and s.in_90[0] == in_90
    assert s.abs_error[0] == abs_error
    assert s.wis[0] == pytest.approx(wis_by_hand(quantiles, observed))


def test_vectorised_and_nan_rows():
    q = np.array([[1, 2, 3, 4, 5], [np.nan] * 5, [0, 1, 2, 3, 4]], dtype=float)
    y = np.array([3, 3, np.nan])
    s = score(q, y)
    assert s.wis[0] == pytest.approx(wis_by_hand((1, 2, 3, 4, 5), 3))
    assert np.isnan(s.wis[1]) and np.isnan(s.wis[2])
    assert not s.in_90[1] and not s.in_90[2]


def test_bad_shapes():
    with pytest.raises(InputError, match="quantiles"):
        score(np.ones((2, 4)), np.ones(2))
    with pytest.raises(InputError, match="observed"):
        score(np.ones((2, 5)), np.ones(3))


counts = st.integers(0, 200_000).map(lambda v: v / 2)  # case counts and interpolated quantiles (halves)
quantile_sets = st.lists(counts, min_size=5, max_size=5).map(sorted)


@PROPERTY
@given(q=quantile_sets, y=counts)
def test_wis_non_negative_zero_only_for_a_perfect_point(q, y):
    s = score(np.array([q]), np.array([y]))
    assert s.wis[0] >= 0
    perfect = all(v == y for v in q)
    assert (s.wis[0] == 0) == perfect
    assert s.wis[0] == pytest.approx(wis_by_hand(q, y), rel=1e-9, abs=1e-9)
    assert s.in_50[0] <= s.in_90[0]  # inside the 50% interval implies inside the 90% one


@PROPERTY
@given(q=quantile_sets, y=counts, shift=st.floats(1, 1e3))
def test_moving_away_from_the_truth_costs(q, y, shift):
    """A forecast entirely above the truth scores worse the further above it is."""
    base = np.array(q) - min(q) + y + 1  # every quantile above y
    near, far = score(np.array([base]), np.array([y])), score(np.array([base + shift]), np.array([y]))
    assert far.wis[0] > near.wis[0]
