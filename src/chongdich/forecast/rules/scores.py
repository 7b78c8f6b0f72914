"""Scores of quantile forecasts against what happened: absolute error of the median, whether the
truth fell in the 50% and 90% intervals, and the weighted interval score (WIS) of Bracher et al. 2021
over the five quantiles ``QUANTILES`` (the median plus the 50% and 90% central intervals).

WIS = (|y − m| / 2 + Σ_k α_k/2 · IS_α_k) / (K + 1/2),  IS_α = (u − l) + 2/α·(l − y)₊ + 2/α·(y − u)₊,
with K = 2 intervals (α = 0.5 and α = 0.1).  WIS ≥ 0, and 0 only when every quantile equals y.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from chongdich.forecast.rules.errors import InputError

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
INTERVALS = ((0.5, 1, 3), (0.1, 0, 4))  # (alpha, lower index, upper index) into QUANTILES


@dataclass(frozen=True)
class Scores:
    abs_error: np.ndarray  # |median − observed|
    in_50: np.ndarray  # bool: q25 ≤ observed ≤ q75
    in_90: np.ndarray  # bool: q05 ≤ observed ≤ q95
    wis: np.ndarray


def score(quantiles, observed) -> Scores:
    """Scores per unit: ``quantiles`` units × 5 (q05, q25, q50, q75, q95), ``observed`` units.

    NaN in a row (no forecast or no observation) gives NaN scores and False coverage for that row."""
    q = np.asarray(quantiles, dtype=np.float64)
    y = np.asarray(observed, dtype=np.float64)
    if q.ndim == 1:
        q = q[None, :]
    if q.ndim != 2 or q.shape[1] != len(QUANTILES):
        raise InputError(f"quantiles: expected units × {len(QUANTILES)}, got shape {q.shape}")
    y = y.reshape(-1)
    if y.shape[0] != q.shape[0]:
        raise InputError(f"observed: expected {q.shape[0]} values, got {y.shape[0]}")
    q = np.sort(q, axis=1)  # crossing quantiles would make the score meaningless
    median = q[:, 2]
    abs_error = np.abs(median - y)
    total = 0.5 * abs_error
    for alpha, lo, hi in INTERVALS:
        lower, upper = q[:, lo], q[:, hi]
        interval = (upper - lower) + 2 / alpha * np.maximum(lower - y, 0.0) + 2 / alpha * np.maximum(y - upper, 0.0)
        total = total + alpha / 2 * interval
    wis = total / (len(INTERVALS) + 0.5)
    with np.errstate(invalid="ignore"):
        in_50 = (q[:, 1] <= y) & (y <= q[:, 3])
        in_90 = (q[:, 0] <= y) & (y <= q[:, 4])
    return Scores(abs_error=abs_error, in_50=in_50, in_90=in_90, wis=wis)
