"""Rt by Cori et al. 2013: recovery on synthetic epidemics, the posterior's properties, growth and doubling."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from chongdich.forecast.rules import InputError, config, estimate_rt, serial_interval
from tests.forecast.synthetic import renewal

PROPERTY = settings(max_examples=60, deadline=None)
CFG = config()


@pytest.mark.parametrize(("r", "days"), [(1.5, 45), (1.2, 60), (0.7, 60), (1.0, 60)])
def test_constant_r_recovered_inside_the_interval(r, days):
    if r < 1:
        local, imported = renewal(r, days, seed_cases=3000, seed_days=14)
    else:
        local, imported = renewal(r, days)
    rt = estimate_rt(local, imported, CFG)
    last = slice(days - 10, days)  # well after the seeding
    assert rt.reliable[0, last].all()
    inside = (rt.lo[0, last] <= r) & (r <= rt.hi[0, last])
    assert inside.mean() >= 0.8, (rt.lo[0, last], rt.hi[0, last])
    assert np.abs(rt.mean[0, last] - r).max() < 0.15


def test_imported_choice_changes_the_numerator_only():
    local, imported = renewal(1.3, 40)
    as_imported = estimate_rt(local, imported, CFG)
    as_local = estimate_rt(local, imported, config({"imported": "local"}))
    # Counting the seed (imported) cases as local infections inflates Rt while they are in the window.
    assert as_local.mean[0, 10] > as_imported.mean[0, 10]
    assert as_local.cases_window[0, 10] > as_imported.cases_window[0, 10]


def test_shapes_nan_before_a_full_window_and_one_dimensional_input():
    local = np.arange(30, dtype=float)
    rt = estimate_rt(local, None, CFG)
    assert rt.mean.shape == (1, 30)
    assert np.isnan(rt.mean[0, :6]).all() and np.isfinite(rt.mean[0, 6:]).all()
    assert not rt.reliable[0, :6].any()
    assert np.isnan(rt.cases_window[0, :6]).all() and rt.cases_window[0, 6] == sum(range(7))


def test_no_infectiousness_is_not_reliable():
    local = np.zeros((1, 20))
    local[0, 15:] = 10  # the first cases: nothing before them to infect them
    rt = estimate_rt(local, None, CFG)
    assert not rt.reliable[0, 15]  # Λ over the window ending on day 15 is 0
    assert np.isnan(rt.mean[0, 15]) and np.isnan(rt.p_below_1[0, 15]) and np.isnan(rt.growth_rate[0, 15])
    assert rt.cases_window[0, 15] == 10
    assert np.isnan(rt.mean[0, 10])  # no case and no infectiousness at all: no value either
    assert rt.reliable[0, 19] == (rt.cases_window[0, 19] >= 12)


def test_few_cases_not_reliable():
    local = np.zeros((1, 30))
    local[0, ::5] = 2
    rt = estimate_rt(local, None, CFG)
    assert not rt.reliable.any()  # at most 4 cases in any 7-day window


def test_zero_cases_give_the_prior_shrunk_by_infectiousness():
    local = np.zeros((1, 30))
    local[0, :5] = 50
    rt = estimate_rt(local, None, CFG)
    assert rt.mean[0, 20] < 0.5  # infectiousness but no cases: Rt low
    assert rt.p_below_1[0, 20] > 0.9


def test_posterior_matches_the_closed_form():
    local, imported = renewal(1.2, 40)
    rt = estimate_rt(local, imported, CFG)
    w = serial_interval(4.0, 2.9)
    total = local + imported
    t = 30
    lam = [sum(w[s] * total[d - s] for s in range(1, min(len(w), d + 1))) for d in range(t - 6, t + 1)]
    shape = 1.0 + local[t - 6 : t + 1].sum()
    rate = 1 / 5 + sum(lam)
    from scipy.stats import gamma

    assert rt.mean[0, t] == pytest.approx(shape / rate)
    assert rt.lo[0, t] == pytest.approx(gamma.ppf(0.025, shape, scale=1 / rate))
    assert rt.hi[0, t] == pytest.approx(gamma.ppf(0.975, shape, scale=1 / rate))
    assert rt.p_below_1[0, t] == pytest.approx(gamma.cdf(1.0, shape, scale=1 / rate))


def test_vectorised_equals_one_by_one():
    units = np.stack([renewal(r, 50, rng_seed=i)[0] for i, r in enumerate((0.8, 1.0, 1.4))])
    together = estimate_rt(units, None, CFG)
    for i in range(3):
        alone = estimate_rt(units[i], None, CFG)
        np.testing.assert_allclose(together.mean[i], alone.mean[0])
        np.testing.assert_array_equal(together.reliable[i], alone.reliable[0])


@pytest.mark.parametrize(
    ("r", "sign"),
    [(1.5, 1), (1.1, 1), (0.9, -1), (0.5, -1)],
)
def test_growth_and_doubling_signs(r, sign):
    local, imported = renewal(r, 50, seed_cases=2000 if r < 1 else 20, seed_days=14)
    rt = estimate_rt(local, imported, CFG)
    assert np.sign(rt.growth_rate[0, -1]) == sign
    assert np.sign(rt.doubling_days[0, -1]) == sign


def test_growth_rate_of_a_gamma_serial_interval():
    from chongdich.forecast.rules.rt import doubling_days, growth_rate

    k, theta = (4.0 / 2.9) ** 2, 2.9**2 / 4.0
    for r in (0.5, 0.9, 1.0, 1.3, 2.0):
        g = growth_rate(np.array([r]), 4.0, 2.9)[0]
        assert (1 + g * theta) ** k == pytest.approx(r)  # Wallinga & Lipsitch: R = (1 + rθ)^k
    assert growth_rate(np.array([1.0]), 4.0, 2.9)[0] == 0.0
    assert np.isnan(doubling_days(np.array([0.0, 1e-4, np.nan]))).all()  # no trend: no doubling time
    assert doubling_days(np.array([math.log(2) / 10]))[0] == pytest.approx(10.0)
    assert doubling_days(np.array([-math.log(2) / 10]))[0] == pytest.approx(-10.0)


@pytest.mark.parametrize(
    ("local", "imported", "match"),
    [
        ([[-1.0, 2.0]], None, "negative"),
        ([[np.inf, 2.0]], None, "infinite"),
        ([[1.0, 2.0]], [[1.0]], "imported"),
        (np.zeros((2, 2, 2)), None, "units × days"),
    ],
)
def test_bad_input(local, imported, match):
    with pytest.raises(InputError, match=match):
        estimate_rt(local, imported, CFG)


def test_nan_counts_as_no_case():
    local = np.full((1, 20), 10.0)
    holey = local.copy()
    holey[0, 5] = np.nan
    zero = local.copy()
    zero[0, 5] = 0.0
    np.testing.assert_allclose(estimate_rt(holey, None, CFG).mean, estimate_rt(zero, None, CFG).mean)


def test_ten_thousand_units_quickly():
    import time

    rng = np.random.default_rng(0)
    local = rng.poisson(5, size=(10_000, 120)).astype(float)
    start = time.perf_counter()
    estimate_rt(local, None, CFG)
    assert time.perf_counter() - start < 10  # ~0.5 s on a quiet machine; generous for a shared CI runner


series = arrays(np.float64, st.tuples(st.integers(1, 3), st.integers(8, 40)), elements=st.integers(0, 500).map(float))


@PROPERTY
@given(local=series)
def test_posterior_properties(local):
    rt = estimate_rt(local, None, CFG)
    valid = np.isfinite(rt.mean)
    assert ((rt.p_below_1[valid] >= 0) & (rt.p_below_1[valid] <= 1)).all()
    assert (rt.lo[valid] <= rt.mean[valid] + 1e-9).all() and (rt.mean[valid] <= rt.hi[valid] + 1e-9).all()
    assert (rt.lo[valid] >= 0).all()
    assert np.array_equal(np.sign(rt.growth_rate[valid]), np.sign(np.round(rt.mean[valid] - 1, 12)))


@PROPERTY
@given(local=series, extra=st.integers(1, 100))
def test_more_cases_on_the_last_day_raise_rt(local, extra):
    """Posterior monotonicity: more local cases on the window's last day (same earlier days) raise the
    posterior mean and P(Rt < 1) falls (the last day's cases add to the shape, not to Λ of that day)."""
    more = local.copy()
    more[:, -1] += extra
    before, after = estimate_rt(local, None, CFG), estimate_rt(more, None, CFG)
    defined = np.isfinite(before.mean[:, -1])
    assert np.array_equal(defined, np.isfinite(after.mean[:, -1]))  # Λ of the window does not change
    before_mean, after_mean = before.mean[defined, -1], after.mean[defined, -1]
    assert (after_mean > before_mean).all()
    assert (after.p_below_1[defined, -1] <= before.p_below_1[defined, -1] + 1e-12).all()
    assert (after.hi[defined, -1] > before.hi[defined, -1]).all()
