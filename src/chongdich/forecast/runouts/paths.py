"""The arithmetic of the thresholds, on numpy arrays (no Django, no queries): when a path first reaches
a threshold, how a catchment's projected change is shared among its beds or labs, and how long a vaccine
lot lasts at the rate of the last seven days.

Paths are ``units × h`` float arrays for the days ``as_of+1 … as_of+h``; ``NaN`` marks a day with no
projection (a unit whose horizon is shorter, or no projection at all): it never counts as a crossing.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from chongdich.forecast import rules

NEVER = -1  # not within the horizon


def crossing_days(current, threshold, path) -> np.ndarray:
    """Days from the as-of day to the first day at or over ``threshold`` (``rules.days_until``): 0 when
    ``current`` is already there, ``k`` when the path first reaches it on day as_of+k (column k-1),
    ``NEVER`` when it does not within the path.  ``current``/``threshold``: units; ``path``: units × h."""
    current = np.asarray(current, dtype=float)
    path = np.asarray(path, dtype=float).reshape(len(current), -1)
    if path.shape[1] == 0:  # no day projected: only "already" is known
        path = np.full((len(current), 1), np.nan)
    return rules.days_until(path, np.asarray(threshold, dtype=float), current).astype(int)


def both_crossings(current, threshold, q50, q95) -> tuple[np.ndarray, np.ndarray]:
    """(days by the median path, days by the 95% path); the earliest is never later than the median:
    where the median crosses and the upper path does not (paths that cross each other), it takes the
    median's day."""
    days = crossing_days(current, threshold, q50)
    early = crossing_days(current, threshold, q95)
    early = np.where((days != NEVER) & ((early == NEVER) | (early > days)), days, early)
    return days, early


def pad(paths: list, width: int) -> np.ndarray:
    """Rows of unequal length (or None) as one ``len(paths) × width`` array, NaN where a row ends."""
    out = np.full((len(paths), width), np.nan)
    for i, row in enumerate(paths):
        if row is not None and len(row):
            values = np.asarray(row, dtype=float)[:width]
            out[i, : len(values)] = values
    return out


def shared_change(occupied, share, change) -> np.ndarray:
    """A facility's projected occupancy: what it holds now plus its share of its catchment's projected
    change (``change``: the catchment's projected beds in use minus those in use now), never below 0.
    ``occupied``, ``share``: units; ``change``: units × h."""
    occupied = np.asarray(occupied, dtype=float)
    share = np.asarray(share, dtype=float)
    return np.maximum(occupied[:, None] + share[:, None] * np.asarray(change, dtype=float), 0.0)


def rate_upper(given: int, days: int, probability: float = 0.95) -> float:
    """The upper ``probability`` bound of a daily rate observed as ``given`` events in ``days`` days
    (Poisson, the exact gamma bound): the fastest plausible pace at which a lot is being used."""
    return float(stats.gamma.ppf(probability, given + 1)) / days


def stock_path(on_hand: int, rate: float, horizon: int) -> np.ndarray:
    """Doses left at the end of each of the next ``horizon`` days at ``rate`` doses a day (never below 0)."""
    return np.maximum(on_hand - rate * np.arange(1, horizon + 1), 0.0)


def lasts(on_hand: int, rate: float) -> int | None:
    """Whole days the stock lasts at ``rate`` (the stock page's "days left"); None without a rate."""
    if rate <= 0:
        return None
    if on_hand <= 0:
        return 0
    return int(on_hand // rate)


def rounded(path) -> list:
    """A path for the stored detail: one decimal, None for a day with no projection."""
    return [None if np.isnan(v) else round(float(v), 1) for v in np.asarray(path, dtype=float)]
