"""The time-varying reproduction number by Cori et al. 2013, for every unit and day at once.

For a window of ``window`` days ending on day t, with local cases I and the infectiousness
Λ_s = Σ_k w_k (local + imported)_{s−k}, the gamma prior (shape a0, scale b0) gives the posterior
Gamma(shape = a0 + Σ I, rate = 1/b0 + Σ Λ).  Reported: its mean, 2.5% and 97.5% quantiles, P(Rt < 1),
the cases in the window, ``reliable`` (cases ≥ ``min_cases`` and Σ Λ > 0), and the growth rate
r = (R^(1/k) − 1)/θ for a gamma serial interval of shape k and scale θ (Wallinga & Lipsitch 2007) with
the doubling time ln 2 / r (negative: halving time; NaN when |doubling| would exceed a year).
The first ``window − 1`` days have no full window, and a window without infectiousness (Σ Λ = 0: the
first cases, or none at all) has no estimate: NaN (``cases_window`` is still given).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import gammainc, gammaincinv

from chongdich.forecast.rules.config import Config, config
from chongdich.forecast.rules.serial import serial_interval
from chongdich.forecast.rules.series import infectiousness, split

MAX_DOUBLING_DAYS = 365.0


@dataclass(frozen=True)
class Rt:
    """Arrays units × days (the days of the input)."""

    mean: np.ndarray
    lo: np.ndarray  # 2.5% quantile
    hi: np.ndarray  # 97.5% quantile
    p_below_1: np.ndarray
    cases_window: np.ndarray  # local cases in the window
    reliable: np.ndarray  # bool
    growth_rate: np.ndarray  # per day
    doubling_days: np.ndarray  # negative = halving time
    shape: np.ndarray  # the posterior gamma's shape and scale (for projections)
    scale: np.ndarray


def window_sums(values: np.ndarray, window: int) -> np.ndarray:
    """Sum over the ``window`` days ending on each day; NaN before a full window."""
    csum = np.cumsum(values, axis=1)
    out = np.full_like(values, np.nan)
    if values.shape[1] >= window:
        out[:, window - 1 :] = csum[:, window - 1 :]
        out[:, window:] -= csum[:, : values.shape[1] - window]
    return out


def posterior(local: np.ndarray, lam: np.ndarray, cfg: Config, window: int | None = None):
    """``(shape, scale, cases, lam_sum)`` of the posterior for windows ending on each day."""
    window = cfg.window if window is None else window
    cases = window_sums(local, window)
    lam_sum = window_sums(lam, window)
    shape = cfg.prior_shape + cases
    scale = 1.0 / (1.0 / cfg.prior_scale + lam_sum)
    return shape, scale, cases, lam_sum


def estimate_rt(local, imported=None, cfg: Config | None = None) -> Rt:
    """Rt per unit and day (units × days in, units × days out; a 1-D series is one unit)."""
    cfg = cfg or config()
    loc, imp = split(local, imported, cfg.imported)
    w = serial_interval(cfg.si_mean, cfg.si_sd)
    lam = infectiousness(loc + imp, w)
    shape, scale, cases, lam_sum = posterior(loc, lam, cfg)
    # No infectiousness in the window (the first cases, or none at all): the posterior would be the prior
    # (mean 5) scaled by the cases, a number with no meaning: no value.
    with np.errstate(invalid="ignore"):
        undefined = ~(lam_sum > 0)
    shape = np.where(undefined, np.nan, shape)
    scale = np.where(undefined, np.nan, scale)
    mean = shape * scale
    lo, hi = (_unit_quantile(shape, cases, cfg.prior_shape, q) * scale for q in (0.025, 0.975))
    with np.errstate(invalid="ignore", divide="ignore"):
        p_below = gammainc(shape, 1.0 / scale)
        reliable = (cases >= cfg.min_cases) & (lam_sum > 0)
    growth = growth_rate(mean, cfg.si_mean, cfg.si_sd)
    return Rt(
        mean=mean,
        lo=lo,
        hi=hi,
        p_below_1=p_below,
        cases_window=cases,
        reliable=reliable,
        growth_rate=growth,
        doubling_days=doubling_days(growth),
        shape=shape,
        scale=scale,
    )


def _unit_quantile(shape: np.ndarray, cases: np.ndarray, prior_shape: float, q: float) -> np.ndarray:
    """``gammaincinv(shape, q)`` (the quantile of Gamma(shape, scale 1)), computed once per distinct shape:
    the shapes are the prior's plus whole case counts, so a table indexed by the count serves them all."""
    out = np.full(shape.shape, np.nan)
    finite = np.isfinite(shape)
    if not finite.any():
        return out
    counts = cases[finite]
    top = counts.max()
    if top <= 1_000_000 and np.array_equal(counts, np.rint(counts)):
        table = gammaincinv(prior_shape + np.arange(int(top) + 1, dtype=np.float64), q)
        out[finite] = table[counts.astype(np.int64)]
    else:
        values, inverse = np.unique(shape[finite], return_inverse=True)
        out[finite] = gammaincinv(values, q)[inverse]
    return out


def growth_rate(r, si_mean: float, si_sd: float) -> np.ndarray:
    """r = (R^(1/k) − 1)/θ per day for a gamma serial interval (k = (mean/sd)², θ = sd²/mean)."""
    k = (si_mean / si_sd) ** 2
    theta = si_sd**2 / si_mean
    with np.errstate(invalid="ignore"):
        return (np.power(np.asarray(r, dtype=np.float64), 1.0 / k) - 1.0) / theta


def doubling_days(growth) -> np.ndarray:
    """ln 2 / r (negative = halving); NaN where |ln 2 / r| > a year (no meaningful trend) or r is NaN."""
    g = np.asarray(growth, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = math.log(2.0) / g
    return np.where(np.abs(out) <= MAX_DOUBLING_DAYS, out, np.nan)
