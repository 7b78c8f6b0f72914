"""Synthetic epidemics from the renewal equation (for the rules' tests)."""

from __future__ import annotations

import numpy as np

from chongdich.forecast.rules import serial_interval


def renewal(r: float | np.ndarray, days: int, seed_cases: float = 20.0, seed_days: int = 10, rng_seed: int = 7):
    """Daily local cases (Poisson) with reproduction number ``r`` (a constant or a value per day), started
    by ``seed_cases`` imported cases a day for ``seed_days`` days.  Returns ``(local, imported)``."""
    rng = np.random.default_rng(rng_seed)
    w = serial_interval(4.0, 2.9)
    rs = np.broadcast_to(np.asarray(r, dtype=np.float64), (days,))
    local = np.zeros(days)
    imported = np.zeros(days)
    imported[:seed_days] = seed_cases
    for t in range(days):
        total = local + imported
        lam = sum(w[s] * total[t - s] for s in range(1, min(len(w), t + 1)))
        local[t] = rng.poisson(rs[t] * lam)
    return local, imported
