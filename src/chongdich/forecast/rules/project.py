"""Projections of daily new cases (local + imported) for the ``horizon`` days after the last column.

``project``: the renewal model driven by the Rt posterior of the last day.  For each unit and each of
``samples`` paths: R₀ is drawn from the posterior of the window ending on the last day; over the horizon
log R reverts towards 0 (R towards 1) by ``cfg.damping`` a day and takes a random-walk step of SD σ
(``cfg.rt_walk``, or estimated per unit from the changes of its log Rt over the last 28 days); infections
I_h ~ Poisson(R_h·Λ_h), Λ_h the infectiousness of the observed and simulated cases, plus imported cases
continuing at their mean of the last 7 days; reported cases ~ Poisson(I_h × a reporting factor Gamma(mean
1, variance φ)): negative binomial noise that does not feed back into the renewal.  φ is
``cfg.dispersion`` or, when that is None, estimated per unit from the last 28 days (the spread of the daily counts about their centred 7-day mean,
by moments): reported daily counts are far noisier than Poisson (batches of results, weekends), and
intervals that ignore it cover the truth too rarely.  Why damping: docs/forecast/method.md §2 (holding
R over 14 days made the projections explode at every turning point of the 2021 series).

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
DEFAULT_WALK = 0.05
MIN_WALK = 0.02
MAX_WALK = 0.2
CHUNK_PATHS = 200_000  # units × samples simulated at once (bounds the memory)


def project(local, imported=None, cfg: Config | None = None, horizon: int | None = None, seed: int = 0) -> np.ndarray:
    """Quantiles ``QUANTILES`` of the daily cases after the last column: units × 5 × horizon."""
    cfg = cfg or config()
    horizon = _horizon(cfg.horizon if horizon is None else horizon)
    loc, imp = split(local, imported, cfg.imported)
    out = np.zeros((loc.shape[0], len(QUANTILES), horizon))
    probs = np.asarray(QUANTILES)
    for part, observed in _simulate(loc, imp, cfg, horizon, seed):
        out[part] = np.moveaxis(sample_quantiles(observed, probs), 0, 1).transpose(0, 2, 1)
    return out


def simulate(local, imported=None, cfg: Config | None = None, horizon: int | None = None, seed: int = 0) -> np.ndarray:
    """The simulated paths behind ``project`` (same seed, same numbers): units × samples × horizon reported
    cases.  For quantities that add days up — beds in use, quarantine places — take quantiles *of the
    sums over each path* (``demand``), not sums of the daily quantiles: the daily reporting noise is
    independent, so the 95% daily path overstates the 95% occupancy (by 10–90% at 7 days on the 2021
    series) and the median path of a sporadic unit is all zeros.  Memory: units × samples × horizon
    floats; call it per chunk of units."""
    cfg = cfg or config()
    horizon = _horizon(cfg.horizon if horizon is None else horizon)
    loc, imp = split(local, imported, cfg.imported)
    out = np.zeros((loc.shape[0], cfg.samples, horizon))
    for part, observed in _simulate(loc, imp, cfg, horizon, seed):
        out[part] = observed.transpose(1, 2, 0)
    return out


def _simulate(loc: np.ndarray, imp: np.ndarray, cfg: Config, horizon: int, seed: int):
    """Yield ``(unit indices, reported cases horizon × units × samples)`` chunk by chunk; units with nothing
    to simulate (no case within the serial interval, no imports) are left out: their paths are zeros."""
    units, days = loc.shape
    if units == 0 or days == 0:
        return
    w = serial_interval(cfg.si_mean, cfg.si_sd)
    total = loc + imp
    lam = infectiousness(total, w)
    window = min(cfg.window, days)
    shape_all, scale_all, cases_all, lam_all = posterior(loc, lam, cfg, window)
    shape, scale, cases, lam_sum = shape_all[:, -1], scale_all[:, -1], cases_all[:, -1], lam_all[:, -1]
    unreliable = ~((cases >= cfg.min_cases) & (lam_sum > 0))
    # Without infectiousness in the window the cases say nothing about R (they are the numerator of a
    # ratio with no denominator): the shrinkage prior alone.
    informed = lam_sum > 0
    shape = np.where(unreliable, SHRINK_SHAPE + np.where(informed, cases, 0.0), shape)
    scale = np.where(unreliable, 1.0 / (SHRINK_RATE + lam_sum), scale)
    reliable_all = (cases_all >= cfg.min_cases) & (lam_all > 0)
    sigma = walk(shape_all * scale_all, reliable_all, cfg)
    phi = dispersion(total, cfg)
    imp_rate = imp[:, -LEVEL_DAYS:].mean(axis=1)
    known = _known_infectiousness(total, w, horizon)  # units × horizon, from the observed days only
    # A unit with no case within the serial interval and no imports stays at 0: nothing to simulate.
    alive = np.nonzero((known.sum(axis=1) > 0) | (imp_rate > 0))[0]
    rng = np.random.default_rng(seed)
    samples = cfg.samples
    chunk = max(1, CHUNK_PATHS // samples)
    weights = w[1:]  # w[s] for s = 1..L-1
    damping = cfg.damping
    for start in range(0, alive.size, chunk):
        part = alive[start : start + chunk]
        n = part.size
        log_r = np.log(rng.gamma(shape[part, None], scale[part, None], size=(n, samples)))
        step = sigma[part, None]
        latent = np.zeros((horizon, n, samples))  # infections (the renewal), Poisson
        observed = np.zeros((horizon, n, samples))  # reported cases: latent + reporting noise
        k = phi[part, None]
        rate = imp_rate[part, None]
        importing = bool((rate > 0).any())
        noisy = bool((k > 0).any())
        for h in range(horizon):
            if h:
                log_r = damping * log_r + step * rng.standard_normal((n, samples))
            lam_h = known[part, h, None]
            back = min(h, len(weights))
            if back:
                # Σ_{s=1}^{back} w_s · latent[h − s]
                lam_h = lam_h + np.tensordot(weights[:back][::-1], latent[h - back : h], axes=1)
            latent[h] = rng.poisson(np.exp(log_r) * lam_h)
            if importing:
                latent[h] += rng.poisson(np.broadcast_to(rate, (n, samples)))
            observed[h] = rng.poisson(latent[h] * _reporting(rng, k, (n, samples))) if noisy else latent[h]
        yield part, observed


def walk(r_mean: np.ndarray, reliable: np.ndarray, cfg: Config) -> np.ndarray:
    """σ per unit: the daily step of the random walk of log R over the horizon.  ``cfg.rt_walk`` when set,
    else estimated from the unit's last 28 days: the changes of log Rt over 7 days (windows that do not
    overlap), σ² = mean(Δ²)/7, bounded to [0.02, 0.2]; ``DEFAULT_WALK`` without enough reliable days."""
    units, days = r_mean.shape
    if cfg.rt_walk is not None:
        return np.full(units, float(cfg.rt_walk))
    lag = 7
    if days <= lag:
        return np.full(units, DEFAULT_WALK)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_r = np.log(r_mean)
        change = log_r[:, lag:] - log_r[:, :-lag]
    usable = reliable[:, lag:] & reliable[:, :-lag] & np.isfinite(change)
    recent = slice(max(0, change.shape[1] - NOISE_DAYS), change.shape[1])
    change, usable = change[:, recent], usable[:, recent]
    count = usable.sum(axis=1)
    squares = np.where(usable, change, 0.0) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma = np.sqrt(squares.sum(axis=1) / np.maximum(count, 1) / lag)
    sigma = np.where(count >= 7, np.clip(sigma, MIN_WALK, MAX_WALK), DEFAULT_WALK)
    return sigma


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


def _reporting(rng: np.random.Generator, phi: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """The reporting factor per path: Gamma of mean 1 and variance φ (1 where φ = 0).  Reported cases =
    Poisson(infections × factor): negative binomial about the infections (a gamma–Poisson mixture)."""
    phi = np.broadcast_to(phi, size)
    safe = np.where(phi > 0, phi, 1.0)
    factor = rng.standard_gamma(1.0 / safe) * safe
    factor[phi <= 0] = 1.0
    return factor


def sample_quantiles(values: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """``np.quantile(values, probs, axis=-1)`` with linear interpolation, moved to the last axis: one sort
    instead of a partition per quantile (five times faster on the projection's arrays)."""
    ordered = np.sort(values, axis=-1)
    count = values.shape[-1]
    position = probs * (count - 1)
    lower = np.floor(position).astype(np.int64)
    upper = np.minimum(lower + 1, count - 1)
    fraction = position - lower
    return ordered[..., lower] * (1 - fraction) + ordered[..., upper] * fraction


def _horizon(horizon) -> int:
    if isinstance(horizon, bool) or not isinstance(horizon, int | np.integer) or not 1 <= horizon <= 365:
        raise InputError(f"horizon: expected a whole number of days from 1 to 365, got {horizon!r}")
    return int(horizon)
