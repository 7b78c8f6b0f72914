"""What the projected cases demand: beds in use day by day, and the first day a path reaches a threshold.

``demand(paths, current, share, stay_days)`` gives the quantiles of the beds in use from the simulated
paths (``project.simulate``), e.g. ``demand(paths, oxygen_now, cfg.shares["oxygen"], cfg.stay_days["oxygen"])``.
Applying ``occupancy`` to a quantile path of the projection instead is only a rough shortcut: the daily
reporting noise is independent, so the occupancy of the 95% daily path overstates the 95% occupancy (by
10–90% at 7 days on the 2021 series) and the median daily path of a sporadic unit is all zeros.
"""

from __future__ import annotations

import numpy as np

from chongdich.forecast.rules.errors import InputError
from chongdich.forecast.rules.scores import QUANTILES


def occupancy(current, admissions, stay_days) -> np.ndarray:
    """Beds in use on each of the ``h`` days after the as-of day, units × h.

    ``current`` (units): occupants on the as-of day; their remaining stays are taken as spread evenly over
    ``1..stay_days`` days, so ``current / stay_days`` of them leave each day and none are left after
    ``stay_days`` days.  ``admissions`` (units × h): admitted on day ``j`` (0 = the day after as-of), each
    stays ``stay_days`` days (days ``j .. j + stay_days − 1``).  Bed-days are conserved: over a long enough
    horizon the sum of the path is ``current·(stay_days − 1)/2 + admissions.sum()·stay_days``.
    """
    stay = _stay(stay_days)
    adm = np.asarray(admissions, dtype=np.float64)
    if adm.ndim == 1:
        adm = adm[None, :]
    if adm.ndim != 2:
        raise InputError(f"admissions: expected units × days, got shape {adm.shape}")
    units, horizon = adm.shape
    cur = np.broadcast_to(np.asarray(current, dtype=np.float64).reshape(-1), (units,)) if units else np.zeros(0)
    adm = np.nan_to_num(adm, nan=0.0)
    cur = np.nan_to_num(cur, nan=0.0)
    days = np.arange(1, horizon + 1, dtype=np.float64)
    remaining = cur[:, None] * np.clip(1.0 - days / stay, 0.0, 1.0)[None, :]
    csum = np.cumsum(adm, axis=1)
    shifted = np.zeros_like(csum)
    if stay < horizon:
        shifted[:, stay:] = csum[:, : horizon - stay]
    return remaining + csum - shifted


def demand(paths, current, share: float, stay_days) -> np.ndarray:
    """Quantiles ``QUANTILES`` of the beds in use, units × 5 × h, from simulated case paths (units ×
    samples × h): admissions = ``share`` × cases of each path, occupancy per path, quantiles over paths."""
    values = np.asarray(paths, dtype=np.float64)
    if values.ndim != 3:
        raise InputError(f"paths: expected units × samples × days, got shape {values.shape}")
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 1e6:
        raise InputError(f"share: expected a number ≥ 0, got {share!r}")
    units, samples, horizon = values.shape
    now = np.broadcast_to(np.asarray(current, dtype=np.float64).reshape(-1), (units,))
    beds = occupancy(np.repeat(now, samples), share * values.reshape(units * samples, horizon), stay_days)
    beds = beds.reshape(units, samples, horizon)
    probs = np.asarray(QUANTILES)
    return np.quantile(beds, probs, axis=1).transpose(1, 0, 2)


def days_until(path, threshold, current=None) -> np.ndarray:
    """Days from the as-of day until ``path`` first reaches ``threshold`` (``path ≥ threshold``), per unit.

    ``path`` units × h: column ``j`` is the day as-of + ``j`` + 1, so a crossing in column ``j`` gives
    ``j + 1``.  0 = already: ``current`` (optional, units: the value on the as-of day) is at or above
    the threshold.  −1 = not within the ``h`` days, or the threshold is NaN (unknown)."""
    values = np.asarray(path, dtype=np.float64)
    if values.ndim == 1:
        values = values[None, :]
    if values.ndim != 2:
        raise InputError(f"path: expected units × days, got shape {values.shape}")
    units, horizon = values.shape
    limit = np.broadcast_to(np.asarray(threshold, dtype=np.float64).reshape(-1), (units,))
    with np.errstate(invalid="ignore"):
        reached = values >= limit[:, None]
    first = np.argmax(reached, axis=1)
    out = np.where(reached.any(axis=1), first + 1, -1).astype(np.int64)
    if current is not None:
        now = np.broadcast_to(np.asarray(current, dtype=np.float64).reshape(-1), (units,))
        with np.errstate(invalid="ignore"):
            out = np.where(now >= limit, 0, out)
    return out


def _stay(stay_days) -> int:
    if isinstance(stay_days, bool) or not isinstance(stay_days, int | float | np.integer | np.floating):
        raise InputError(f"stay_days: expected a number, got {stay_days!r}")
    if not np.isfinite(stay_days) or stay_days < 1:
        raise InputError(f"stay_days: must be at least 1, got {stay_days!r}")
    return int(round(stay_days))
