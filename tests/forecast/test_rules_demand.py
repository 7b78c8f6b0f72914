"""Demand: beds in use (occupancy) and the days until a threshold."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from chongdich.forecast.rules import InputError, days_until, demand, occupancy

PROPERTY = settings(max_examples=100, deadline=None)


def test_constant_admissions_reach_admissions_times_stay():
    path = occupancy(np.array([0.0]), np.full((1, 30), 5.0), 10)
    assert path[0, 0] == 5
    assert path[0, 9] == 50
    assert (path[0, 9:] == 50).all()


def test_current_occupants_leave_evenly():
    path = occupancy(np.array([100.0]), np.zeros((1, 12)), 10)
    np.testing.assert_allclose(path[0], [90, 80, 70, 60, 50, 40, 30, 20, 10, 0, 0, 0])


def test_one_admission_stays_exactly_stay_days():
    adm = np.zeros((1, 10))
    adm[0, 2] = 1
    np.testing.assert_array_equal(occupancy([0], adm, 3)[0], [0, 0, 1, 1, 1, 0, 0, 0, 0, 0])


def test_units_broadcast_and_one_dimensional():
    out = occupancy(np.array([10.0, 0.0]), np.ones((2, 4)), 2)
    np.testing.assert_allclose(out, [[6, 2, 2, 2], [1, 2, 2, 2]])
    assert occupancy(0, [1, 1, 1], 2).shape == (1, 3)


@pytest.mark.parametrize("stay", [0, -3, float("nan"), "10", None])
def test_bad_stay(stay):
    with pytest.raises(InputError, match="stay_days"):
        occupancy([0], [[1]], stay)


@PROPERTY
@given(
    current=st.integers(0, 1000),
    adm=arrays(np.float64, st.integers(1, 20), elements=st.integers(0, 100).map(float)),
    stay=st.integers(1, 15),
)
def test_bed_days_conserved(current, adm, stay):
    """With a horizon long enough for everyone to leave: bed-days = the current occupants' remaining
    days ((stay − 1)/2 each) plus stay days per admission."""
    horizon = len(adm) + stay + 1
    padded = np.zeros((1, horizon))
    padded[0, : len(adm)] = adm
    path = occupancy(np.array([float(current)]), padded, stay)
    assert path.sum() == pytest.approx(current * (stay - 1) / 2 + adm.sum() * stay)
    assert (path >= -1e-9).all()
    assert path[0, -1] == pytest.approx(0)


@pytest.mark.parametrize(
    ("path", "threshold", "current", "expected"),
    [
        ([1, 2, 3, 4], 3, None, 3),
        ([1, 2, 3, 4], 1, None, 1),
        ([1, 2, 3, 4], 4, None, 4),
        ([1, 2, 3, 4], 5, None, -1),
        ([1, 2, 3, 4], 5, 5, 0),
        ([1, 2, 3, 4], 3, 2, 3),
        ([5, 2, 6], 5, None, 1),
        ([1, 2], np.nan, None, -1),
        ([1, 2], np.nan, 9, -1),
        ([0, 0], 0, None, 1),
        ([np.nan, 3], 2, None, 2),
    ],
)
def test_days_until_edges(path, threshold, current, expected):
    got = days_until(np.array([path], dtype=float), np.array([threshold], dtype=float), current=current)
    assert got.dtype.kind == "i"
    assert got.tolist() == [expected]


def test_days_until_vectorised():
    paths = np.array([[1, 5, 9], [1, 1, 1], [7, 8, 9]], dtype=float)
    assert days_until(paths, np.array([5, 5, 5])).tolist() == [2, -1, 1]
    assert days_until(paths, 5, current=np.array([0, 6, 0])).tolist() == [2, 0, 1]


def test_days_until_of_an_occupancy_path():
    path = occupancy([40], np.full((1, 14), 10.0), 10)
    assert days_until(path, [100]).tolist() == [10]  # 40 − 4·d + 10·d ≥ 100 first on day 10


def test_demand_from_paths():
    # two units, three paths each: quantiles of the occupancy over the paths
    paths = np.array([[[10, 10, 10], [0, 0, 0], [20, 20, 20]], [[0, 0, 0]] * 3], dtype=float)
    out = demand(paths, np.array([0.0, 4.0]), 0.5, 2)
    assert out.shape == (2, 5, 3)
    np.testing.assert_allclose(out[0, 2], [5, 10, 10])  # median path: 5 admitted a day, 2 days each
    np.testing.assert_allclose(out[0, 4], [9.5, 19, 19])  # 95% of {5, 0, 10} and of {10, 0, 20}
    np.testing.assert_allclose(out[1, 2], [2, 0, 0])  # the current occupants leaving, nothing admitted
    assert (np.diff(out, axis=1) >= 0).all()


def test_demand_bad_input():
    with pytest.raises(InputError, match="paths"):
        demand(np.ones((2, 3)), [0, 0], 0.1, 10)
    with pytest.raises(InputError, match="share"):
        demand(np.ones((1, 2, 3)), [0], -1, 10)
