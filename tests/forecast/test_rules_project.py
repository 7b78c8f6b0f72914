"""Projections: the renewal model driven by the Rt posterior, and the naive forecast."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from chongdich.forecast.rules import QUANTILES, InputError, config, naive, project, simulate
from tests.forecast.synthetic import renewal

PROPERTY = settings(max_examples=30, deadline=None)
CFG = config()


def test_quantiles_constant():
    assert QUANTILES == (0.05, 0.25, 0.5, 0.75, 0.95)


def test_shape_and_horizon_default():
    local = np.full((3, 40), 10.0)
    assert project(local, None, CFG).shape == (3, 5, 28)
    assert project(local, None, CFG, horizon=7).shape == (3, 5, 7)
    assert naive(local, None, 14).shape == (3, 5, 14)
    assert naive(local).shape == (3, 5, 28)


def test_deterministic_with_the_seed():
    local, imported = renewal(1.2, 40)
    a = project(local, imported, CFG, horizon=14, seed=3)
    b = project(local, imported, CFG, horizon=14, seed=3)
    np.testing.assert_array_equal(a, b)


def test_growing_epidemic_projects_growth_and_shrinking_decline():
    up, up_imp = renewal(1.4, 45)
    down, down_imp = renewal(0.7, 45, seed_cases=3000, seed_days=14)
    rising = project(up, up_imp, CFG, horizon=14)[0]
    falling = project(down, down_imp, CFG, horizon=14)[0]
    assert rising[2, 13] > up[-7:].mean() > 0
    assert falling[2, 13] < down[-7:].mean()


def test_truth_of_a_steady_epidemic_inside_the_interval():
    local, imported = renewal(1.0, 80, seed_cases=200, seed_days=14)
    cut = 66
    q = project(local[:cut], imported[:cut], CFG, horizon=14)[0]
    truth = local[cut:]
    inside = (q[0] <= truth) & (truth <= q[4])
    assert inside.mean() >= 0.8


def test_no_cases_stay_zero():
    local = np.zeros((2, 60))
    local[1, :10] = 5  # long gone: nothing within the serial interval
    q = project(local, None, CFG, horizon=10)
    assert (q == 0).all()
    assert (naive(local, None, 10) == 0).all()


def test_imported_cases_continue():
    local = np.zeros((1, 40))
    imported = np.zeros((1, 40))
    imported[0, -7:] = 10
    q = project(local, imported, CFG, horizon=7)
    assert q[0, 2, 0] >= 5  # the imports carry on at their recent mean (plus what they cause)


def test_few_cases_fall_back_to_a_flat_level():
    """Too few cases for a reliable Rt: R from the shrinkage prior (mean 1), not Cori's vague prior
    (mean 5), so three scattered cases do not project an explosion."""
    local = np.zeros((1, 40))
    local[0, [30, 34, 38]] = 1
    q = project(local, None, CFG, horizon=28)
    assert q[0, 2].max() <= 2
    assert q[0, 4].max() <= 10


def test_first_cases_on_the_last_day_project_no_explosion():
    local = np.zeros((1, 30))
    local[0, -1] = 11  # nothing before them: Λ = 0 in the window, R from the shrinkage prior alone
    q = project(local, None, CFG, horizon=14)
    assert q[0, 2].max() <= 11
    assert q[0, 2, -1] < 11


def test_naive_is_the_last_week_mean():
    local = np.zeros((1, 30))
    local[0, -7:] = [10, 12, 8, 11, 9, 10, 10]
    q = naive(local, None, 5, cfg=config({"dispersion": 0}))
    assert (q[0, 2] == 10).all()  # Poisson median of mean 10
    assert (q[0, :, 0] == q[0, :, 4]).all()  # carried forward unchanged
    assert q[0, 0, 0] < 10 < q[0, 4, 0]


def test_naive_counts_imported_cases_too():
    local = np.zeros((1, 20))
    imported = np.full((1, 20), 20.0)
    assert naive(local, imported, 3)[0, 2, 0] == pytest.approx(20, abs=1)


def test_overdispersion_widens_the_naive_interval():
    rng = np.random.default_rng(1)
    calm = np.full((1, 40), 50.0)
    noisy = rng.negative_binomial(2, 2 / 52, size=(1, 40)).astype(float)  # mean 50, very overdispersed
    narrow = naive(calm, None, 1)[0, :, 0]
    wide = naive(noisy, None, 1)[0, :, 0]
    assert wide[4] - wide[0] > 2 * (narrow[4] - narrow[0])


@pytest.mark.parametrize("horizon", [0, -1, 2.5, 400])
def test_bad_horizon(horizon):
    with pytest.raises(InputError, match="horizon"):
        project(np.ones((1, 10)), None, CFG, horizon=horizon)


series = arrays(np.float64, st.tuples(st.integers(1, 3), st.integers(10, 40)), elements=st.integers(0, 300).map(float))


@PROPERTY
@given(local=series, seed=st.integers(0, 5))
def test_quantiles_ordered_and_non_negative(local, seed):
    cfg = config({"samples": 50})
    for q in (project(local, None, cfg, horizon=7, seed=seed), naive(local, None, 7)):
        assert (q >= 0).all()
        assert (np.diff(q, axis=1) >= 0).all()
        assert np.isfinite(q).all()


def test_simulate_is_what_project_summarises():
    local, imported = renewal(1.2, 40)
    paths = simulate(local, imported, CFG, horizon=10, seed=4)
    assert paths.shape == (1, CFG.samples, 10)
    np.testing.assert_allclose(
        np.quantile(paths, QUANTILES, axis=1).transpose(1, 0, 2), project(local, imported, CFG, horizon=10, seed=4)
    )
    assert (simulate(np.zeros((2, 50)), None, CFG, horizon=3) == 0).all()


@pytest.mark.parametrize("shape", [(0, 30), (3, 0), (1, 1)])
def test_empty_and_tiny_inputs(shape):
    local = np.full(shape, 5.0)
    assert project(local, None, CFG, horizon=4).shape == (shape[0], 5, 4)
    assert naive(local, None, 4).shape == (shape[0], 5, 4)
    assert simulate(local, None, CFG, horizon=2).shape == (shape[0], CFG.samples, 2)
    if shape[1] == 0:
        assert (project(local, None, CFG, horizon=4) == 0).all()
