"""The serial interval: EpiEstim's discretised gamma."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import gamma

from chongdich.forecast.rules import InputError, serial_interval

PROPERTY = settings(max_examples=60, deadline=None)


@pytest.mark.parametrize(
    ("mean", "sd"),
    [(4.0, 2.9), (4.7, 2.9), (5.2, 1.7), (6.5, 4.0), (2.0, 0.5), (12.0, 6.0)],
)
def test_sums_to_one_with_the_right_mean(mean, sd):
    w = serial_interval(mean, sd)
    assert w[0] == 0.0
    assert w.sum() == pytest.approx(1.0, abs=1e-12)
    assert (w >= 0).all()
    assert (np.arange(len(w)) * w).sum() == pytest.approx(mean, abs=0.01)


def discr_si(k: int, mu: float, sigma: float) -> float:
    """EpiEstim's ``discr_si`` transcribed line by line from its R source, one day at a time."""
    a = ((mu - 1) / sigma) ** 2
    b = sigma**2 / (mu - 1)

    def cdf_gamma(x, shape):
        return gamma.cdf(x, shape, scale=b) if x > 0 else 0.0

    res = k * cdf_gamma(k, a) + (k - 2) * cdf_gamma(k - 2, a)
    res = res - 2 * (k - 1) * cdf_gamma(k - 1, a)
    res = res + a * b * (2 * cdf_gamma(k - 1, a + 1) - cdf_gamma(k - 2, a + 1) - cdf_gamma(k, a + 1))
    return max(0.0, res)


@pytest.mark.parametrize(("mean", "sd"), [(4.0, 2.9), (6.5, 4.0)])
def test_matches_epiestim_discr_si(mean, sd):
    w = serial_interval(mean, sd)
    reference = np.array([discr_si(k, mean, sd) for k in range(len(w))])
    # equal up to the renormalisation after cutting a tail below 1e-6
    np.testing.assert_allclose(w, reference / reference.sum(), atol=1e-9)
    assert 1 - reference.sum() < 1e-6


def test_read_only_and_truncated():
    w = serial_interval(4.0, 2.9)
    assert not w.flags.writeable
    assert 20 < len(w) < 60  # cut where the remaining tail is below 1e-6


@pytest.mark.parametrize(("mean", "sd"), [(1.0, 2.0), (0.5, 1.0), (4.0, 0.0), (4.0, -1.0), (float("nan"), 1.0)])
def test_refuses_impossible_parameters(mean, sd):
    with pytest.raises(InputError, match="serial interval"):
        serial_interval(mean, sd)


@PROPERTY
@given(mean=st.floats(1.5, 15.0), sd=st.floats(0.5, 8.0))
def test_any_gamma_sums_to_one(mean, sd):
    w = serial_interval(mean, sd)
    assert w.sum() == pytest.approx(1.0)
    assert (np.arange(len(w)) * w).sum() == pytest.approx(mean, rel=0.02, abs=0.02)
