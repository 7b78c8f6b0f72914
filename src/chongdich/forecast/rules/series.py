"""Checking and shaping the case series the rules take (units × days, float64)."""

from __future__ import annotations

import numpy as np

from chongdich.forecast.rules.errors import InputError

TOEPLITZ_DAYS = 1000  # longer series: shifted sums (the days × days matrix would grow too big)


def as_matrix(values, name: str) -> np.ndarray:
    """``values`` as a units × days float64 array (a 1-D series is one unit); NaN (no value) counts as 0.
    Negative or infinite counts raise ``InputError``."""
    array = np.array(values, dtype=np.float64)
    if array.ndim == 1:
        array = array[None, :]
    if array.ndim != 2:
        raise InputError(f"{name}: expected units × days, got shape {array.shape}")
    array = np.nan_to_num(array, nan=0.0, posinf=np.inf, neginf=-np.inf)
    if not np.isfinite(array).all():
        raise InputError(f"{name}: infinite values")
    if (array < 0).any():
        raise InputError(f"{name}: negative case counts")
    return array


def split(local, imported, mode: str) -> tuple[np.ndarray, np.ndarray]:
    """``(local, imported)`` as matrices of the same shape.  ``mode`` "local" counts the imported cases
    (found in quarantine, lockdown or at the border) as local infections; "imported" keeps them apart:
    they add to the infectiousness but were not infected here."""
    loc = as_matrix(local, "local")
    if imported is None:
        imp = np.zeros_like(loc)
    else:
        imp = as_matrix(imported, "imported")
        if imp.shape != loc.shape:
            raise InputError(f"imported: expected shape {loc.shape} like local, got {imp.shape}")
    if mode == "local":
        return loc + imp, np.zeros_like(loc)
    return loc, imp


def infectiousness(total: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Λ_t = Σ_{s≥1} w_s · total_{t−s} for every unit and day (days before the series count as 0)."""
    days = total.shape[1]
    if days == 0 or days > TOEPLITZ_DAYS:
        out = np.zeros_like(total)
        for s in range(1, min(len(w), days)):
            out[:, s:] += w[s] * total[:, : days - s]
        return out
    # One matrix product with the (upper-triangular, banded) Toeplitz matrix M[j, t] = w[t − j].
    lag = np.arange(days)[None, :] - np.arange(days)[:, None]
    inside = (lag >= 1) & (lag < len(w))
    matrix = np.where(inside, w[np.clip(lag, 0, len(w) - 1)], 0.0)
    return total @ matrix
