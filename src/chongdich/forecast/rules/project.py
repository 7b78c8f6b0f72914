"""Projections of daily new cases (local + imported) for the ``horizon`` days after the last column.

``project``: the renewal model driven by the Rt posterior of the last day.  For each unit, ``samples``
values of R are drawn from the posterior of the window ending on the last day and held over the horizon;
the cases are simulated forward, I_t ~ NegBin(mean R·Λ_t, dispersion φ) with Λ_t the infectiousness of
the observed and simulated cases (Poisson when φ = 0), plus imported cases continuing at their mean of
the last 7 days (Poisson).  φ is ``cfg.dispersion`` or, when that is None, estimated per unit from the
last 28 days (the spread of the daily counts about their centred 7-day mean, by moments): reported
daily counts are far noisier than Poisson (batches of results, weekends), and intervals that ignore it
cover the truth too rarely.

Units with too few cases for a reliable estimate (fewer than ``min_cases`` in the window, or no
infectiousness) do not use Cori's vague prior (mean 5, which with a handful of cases would project an
explosion): their R is drawn from the posterior under a *shrinkage prior* centred on 1 (Gamma, mean 1,
SD 0.5), so that a few scattered cases project a flat level that the data can still tilt — in effect
the naive level with the renewal's timing and uncertainty.

``naive``: the mean of the last 7 days carried forward, with negative binomial quantiles (φ as above).
Both are deterministic for a given ``seed`` and return units × len(QUANTILES) × horizon.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import nbinom, poisson

from chongdich.forecast.rules.config import Config, config
from chongdich.forecast.rules.errors import InputError
from chongdich.forecast.rules.rt import posterior
from chongdich.forecast.rules.scores import QUANTILES
from chongdich.forecast.rules.serial import serial_interval
from chongdich.forecast.rules.series import infectiousness, split

SHRINK_SHAPE = 4.0  # shrinkage prior for unreliable units: Gamma(shape 4, rate 4): mean 1, SD 0.5
SHRINK_RATE = 4.0
LEVEL_DAYS = 7
NOISE_DAYS = 28
MAX_DISPERSION = 2.0
CHUNK_PATHS = 200_000  # units × samples simulated at once (bounds the memory)


def project(local, imported=None, cfg: Config | None = None, horizon: int | None = None, seed: int = 0) -> np.ndarray:
    """Quantiles ``QUANTILES`` of the daily cases after the last column: units × 5 × horizon."""
    cfg = cfg or config()
    horizon = _horizon(cfg.horizon if horizon is None else horizon)
    loc, imp = split(local, imported, cfg.imported)
    units, days = loc.shape
    out = np.zeros((units, len(QUANTILES), horizon))
    if units == 0 or days == 0:
        return out
    w = serial_interval(cfg.si_mean, cfg.si_sd)
    total = loc + imp
    lam = infectiousness(total, w)
    window = min(cfg.window, days)
    shape, scale, cases, lam_sum = (a[:, -1] for a in posterior(loc, lam, cfg, window))
    unreliable = ~((cases >= cfg.min_cases) & (lam_sum > 0))
    shape = np.where(unreliable, SHRINK_SHAPE + cases, shape)
    scale = np.where(unreliable, 1.0 / (SHRINK_RATE + lam_sum), scale)
    phi = dispersion(total, cfg)
    imp_rate = imp[:, -LEVEL_DAYS:].mean(axis=1)
    known = _known_infectiousness(total, w, horizon)  # units × horizon, from the observed days only
    rng = np.random.default_rng(seed)
    samples = cfg.samples
    chunk = max(1, CHUNK_PATHS // samples)
    probs = np.asarray(QUANTILES)
    weights = w[1:]  # w[s] for s = 1..L-1
    for start in range(0, units, chunk):
        part = slice(start, min(units, start + chunk))
        n = part.stop - part.start
        r = rng.gamma(shape[part, None], scale[part, None], size=(n, samples))
        sim = np.zeros((n, samples, horizon))
        k = phi[part, None]
        for h in range(horizon):
            lam_h = np.broadcast_to(known[part, h, None], (n, samples)).copy()
            back = min(h, len(weights))
            if back:
                # Σ_{s=1}^{back} w_s · sim[h − s]
                lam_h += sim[:, :, h - back : h] @ weights[:back][::-1]
            mu = r * lam_h
            sim[:, :, h] = _draw(rng, mu, k) + (rng.poisson(np.broadcast_to(imp_rate[part, None], (n, samples))))
        out[part] = np.quantile(sim, probs, axis=1).transpose(1, 0, 2)
    return out


def naive(local, imported=None, horizon: int | None = None, cfg: Config | None = None) -> np.ndarray:
    """The last 7-day mean of all cases (local + imported) carried forward, with negative binomial
    quantiles (dispersion as in ``project``): units × 5 × horizon."""
    cfg = cfg or config()
    horizon = _horizon(cfg.horizon if horizon is None else horizon)
    loc, imp = split(local, imported, "local")
    units = loc.shape[0]
    if loc.shape[1] == 0:
        return np.zeros((units, len(QUANTILES), horizon))
    level = loc[:, -LEVEL_DAYS:].mean(axis=1)
    phi = dispersion(loc, cfg)
    q = quantiles_nb(level, phi)
    return np.repeat(q[:, :, None], horizon, axis=2)


def quantiles_nb(mean: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """``QUANTILES`` of NegBin(mean, var = mean + φ·mean²) per unit (Poisson where φ = 0): units × 5."""
    m = np.asarray(mean, dtype=np.float64)[:, None]
    p = np.asarray(phi, dtype=np.float64)[:, None]
    probs = np.asarray(QUANTILES)[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        size = np.where(p > 0, 1.0 / np.where(p > 0, p, 1.0), 1.0)
        nb = nbinom.ppf(probs, size, size / (size + m))
    out = np.where(p > 0, nb, poisson.ppf(probs, m))
    return np.where(m > 0, out, 0.0)


def dispersion(total: np.ndarray, cfg: Config) -> np.ndarray:
    """φ per unit: ``cfg.dispersion`` when set, else the moment estimate from the last 28 days'
    spread of daily counts about their centred 7-day mean, bounded to [0, 2]."""
    units, days = total.shape
    if cfg.dispersion is not None:
        return np.full(units, float(cfg.dispersion))
    half = LEVEL_DAYS // 2
    if days < LEVEL_DAYS:
        return np.zeros(units)
    csum = np.concatenate([np.zeros((units, 1)), np.cumsum(total, axis=1)], axis=1)
    centred = (csum[:, LEVEL_DAYS:] - csum[:, :-LEVEL_DAYS]) / LEVEL_DAYS  # mean of days j..j+6, centre j+3
    observed = total[:, half : days - half]
    recent = slice(max(0, centred.shape[1] - NOISE_DAYS), centred.shape[1])
    m, y = centred[:, recent], observed[:, recent]
    excess = ((y - m) ** 2 - m).sum(axis=1)
    scale = (m**2).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = np.where(scale > 0, excess / scale, 0.0)
    return np.clip(phi, 0.0, MAX_DISPERSION)


def _known_infectiousness(total: np.ndarray, w: np.ndarray, horizon: int) -> np.ndarray:
    """The part of Λ on each future day that comes from the observed days (the rest is simulated)."""
    units, days = total.shape
    out = np.zeros((units, horizon))
    for h in range(horizon):
        # day D + h needs total[D + h − s] for s > h (observed): index D + h − s ∈ [0, D)
        for s in range(h + 1, len(w)):
            index = days + h - s
            if index < 0:
                break
            out[:, h] += w[s] * total[:, index]
    return out


def _draw(rng: np.random.Generator, mu: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """NegBin(mean mu, var mu + φ mu²) as a gamma–Poisson mixture; Poisson where φ = 0."""
    mu = np.maximum(mu, 0.0)
    phi = np.broadcast_to(phi, mu.shape)
    safe = np.where(phi > 0, phi, 1.0)
    mixed = np.where(phi > 0, rng.gamma(1.0 / safe, safe), 1.0)
    return rng.poisson(mu * mixed).astype(np.float64)


def _horizon(horizon) -> int:
    if isinstance(horizon, bool) or not isinstance(horizon, int | np.integer) or not 1 <= horizon <= 365:
        raise InputError(f"horizon: expected a whole number of days from 1 to 365, got {horizon!r}")
    return int(horizon)
