"""The serial interval as renewal weights: a gamma distribution discretised as in EpiEstim's ``discr_si``
(Cori et al. 2013, web appendix 11): ``w[k]`` for ``k = 0, 1, 2, ...`` with ``w[0] = 0``, the gamma of
``mean - 1`` and ``sd`` shifted by one day, integrated against the triangular kernel so that the
discretised distribution keeps the continuous mean; truncated where the tail falls below 1e-6 and
renormalised to sum to 1.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy.stats import gamma

from chongdich.forecast.rules.errors import InputError

TAIL = 1e-6
MAX_DAYS = 365


def serial_interval(mean: float, sd: float) -> np.ndarray:
    """Renewal weights ``w`` (float64, read-only): ``w[0] = 0``, ``w.sum() == 1``, mean ≈ ``mean``."""
    if not (isinstance(mean, int | float) and isinstance(sd, int | float)) or isinstance(mean, bool):
        raise InputError("serial interval: mean and sd must be numbers")
    if not (math.isfinite(mean) and math.isfinite(sd)) or mean <= 1.0 or sd <= 0.0:
        raise InputError(f"serial interval: need mean > 1 day and sd > 0, got mean {mean!r}, sd {sd!r}")
    return _weights(float(mean), float(sd))


@lru_cache(maxsize=64)
def _weights(mean: float, sd: float) -> np.ndarray:
    a = ((mean - 1.0) / sd) ** 2
    b = sd**2 / (mean - 1.0)
    # Enough days that the tail beyond is negligible, then cut at the first day where it is < TAIL.
    last = int(min(MAX_DAYS, max(10, math.ceil(gamma.ppf(1 - TAIL / 10, a, scale=b)) + 3)))
    k = np.arange(0, last + 1, dtype=np.float64)

    def cdf(x: np.ndarray, shape: float) -> np.ndarray:
        return np.where(x > 0, gamma.cdf(np.maximum(x, 0.0), shape, scale=b), 0.0)

    w = (
        k * cdf(k, a)
        + (k - 2) * cdf(k - 2, a)
        - 2 * (k - 1) * cdf(k - 1, a)
        + a * b * (2 * cdf(k - 1, a + 1) - cdf(k - 2, a + 1) - cdf(k, a + 1))
    )
    w = np.maximum(w, 0.0)
    w[0] = 0.0
    tail = 1.0 - np.cumsum(w)  # mass beyond day k
    below = np.nonzero(tail < TAIL)[0]
    cut = int(below[0]) if below.size else last
    w = w[: cut + 1].copy()
    w /= w.sum()
    w.setflags(write=False)
    return w
