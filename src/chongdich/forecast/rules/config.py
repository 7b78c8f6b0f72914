"""The forecasts' configuration: one versioned set of defaults (2021, Delta) with sources, plus a
province's overrides merged over it (``ForecastSetting.overrides``), checked field by field.

``config(overrides=None, on=None) -> Config``; a bad override raises ``InputError`` naming the field.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from chongdich.core.versioning import NoRuleInForce, RuleBook, RuleVersion, deep_merge
from chongdich.forecast.rules.errors import InputError

KEY = "forecast"
IMPORTED_CHOICES = ("imported", "local")
SHARE_KEYS = ("treatment", "oxygen", "icu", "home")
STAY_KEYS = ("treatment", "oxygen", "icu", "active", "quarantine")

SOURCES = (
    "Serial interval of the Delta variant, mean 4.0 days, SD 2.9 days (the figures of issue 12), consistent with "
    "published estimates of Delta's shorter serial interval of about 4 days, e.g. Hart W.S. et al., 'Generation "
    "time of the alpha and delta SARS-CoV-2 variants: an epidemiological analysis', Lancet Infect Dis "
    "2022;22:603-610; serial intervals shorten under fast isolation (Ali S.T. et al., Science 2020;369:1106-1109), "
    "as in Vietnam's 2021 contact tracing.",
    "Reproduction number: Cori A., Ferguson N.M., Fraser C., Cauchemez S., 'A new framework and software to "
    "estimate time-varying reproduction numbers during epidemics', Am J Epidemiol 2013;178:1505-1512: gamma prior "
    "mean 5, SD 5; sliding window of 7 days; the serial interval discretised as in EpiEstim's discr_si.",
    "Minimum of 12 cases in the window: the posterior coefficient of variation is 1/sqrt(1 + cases) (about 0.28 "
    "at 12 cases); Cori et al. 2013 recommend a CV below 0.3.",
    "Growth rate from R for a gamma-distributed generation interval: Wallinga J., Lipsitch M., 'How generation "
    "intervals shape the relationship between growth rates and reproductive numbers', Proc R Soc B 2007;274:599-604.",
    "Interval scores: Bracher J., Ray E.L., Gneiting T., Reich N.G., 'Evaluating epidemic forecasts in an "
    "interval format', PLoS Comput Biol 2021;17:e1008618 (weighted interval score).",
    "Treatment tiers: Ministry of Health, QĐ 4111/QĐ-BYT (26/8/2021), the 3-tier model of COVID-19 treatment "
    "(tier 1 mild/asymptomatic, tier 2 moderate with oxygen, tier 3 severe/critical, ICU). The shares of cases per "
    "tier follow WHO's clinical management guidance (about 80% mild or moderate, 15% severe needing oxygen, 5% "
    "critical) and the split of mild cases between facility and home care is an ASSUMPTION; lengths of stay, F1 per "
    "case and tests per case are ASSUMPTIONS of the 2021 practice: all are configurable per province.",
)

DEFAULTS: dict[str, Any] = {
    "si_mean": 4.0,
    "si_sd": 2.9,
    "window": 7,
    "prior_mean": 5.0,
    "prior_sd": 5.0,
    "min_cases": 12,
    "imported": "imported",
    "horizon": 28,
    "samples": 200,
    "dispersion": None,  # None = estimate the negative binomial's overdispersion per unit from recent days
    "damping": 0.9,  # per day, log R reverts towards 0 (R towards 1) over the horizon; 1 = R held
    "rt_walk": None,  # SD per day of the random walk of log R; None = estimated per unit from recent Rt
    "shares": {"treatment": 0.65, "oxygen": 0.15, "icu": 0.05, "home": 0.15},
    "stay_days": {"treatment": 10, "oxygen": 14, "icu": 21, "active": 14, "quarantine": 14},
    "f1_per_case": 10.0,
    "tests_per_case": 30.0,
    "alert_days": 7,
    "alert_probability": 0.95,
}

DEFAULT_VERSION = RuleVersion(
    key=KEY,
    version="forecast 2021.1 (Delta)",
    effective_from=date(2020, 1, 1),
    effective_to=None,
    values=DEFAULTS,
    source=" | ".join(SOURCES),
)


@dataclass(frozen=True)
class Config:
    """Every parameter of the forecasts; read-only (mappings are read-only views)."""

    si_mean: float = 4.0
    si_sd: float = 2.9
    window: int = 7
    prior_mean: float = 5.0
    prior_sd: float = 5.0
    min_cases: int = 12
    imported: str = "imported"
    horizon: int = 28
    samples: int = 200
    dispersion: float | None = None  # var = μ + dispersion·μ²; 0 = Poisson; None = estimated per unit
    damping: float = 0.9
    rt_walk: float | None = None
    shares: Mapping[str, float] = field(default_factory=lambda: MappingProxyType(dict(DEFAULTS["shares"])))
    stay_days: Mapping[str, int] = field(default_factory=lambda: MappingProxyType(dict(DEFAULTS["stay_days"])))
    f1_per_case: float = 10.0
    tests_per_case: float = 30.0
    alert_days: int = 7
    alert_probability: float = 0.95
    version: str = DEFAULT_VERSION.version
    sources: tuple[str, ...] = SOURCES

    @property
    def prior_shape(self) -> float:
        return (self.prior_mean / self.prior_sd) ** 2

    @property
    def prior_scale(self) -> float:
        return self.prior_sd**2 / self.prior_mean

    def as_dict(self) -> dict[str, Any]:
        """The values (JSON-ready) without version and sources: what ``config(overrides)`` accepts."""
        out = {name: getattr(self, name) for name in DEFAULTS}
        out["shares"] = dict(self.shares)
        out["stay_days"] = dict(self.stay_days)
        return out


def config(overrides: Mapping[str, Any] | None = None, on: date | None = None) -> Config:
    """The configuration in force on ``on`` (default: the latest version) with ``overrides`` merged in.

    ``overrides`` is a partial mapping (e.g. ``{"window": 14, "shares": {"icu": 0.08}}``); an unknown key,
    a wrong type or a value out of range raises ``InputError`` naming the field."""
    if overrides is not None and not isinstance(overrides, Mapping):
        raise InputError(f"overrides: expected an object, got {type(overrides).__name__}")
    version = _version(on)
    values = deep_merge(version.values, overrides or {})
    return _build(_freeze(values), version.version)


def _version(on: date | None) -> RuleVersion:
    book = RuleBook(KEY, [DEFAULT_VERSION])
    if on is None:
        return book.versions[-1]
    try:
        return book.national(on)
    except NoRuleInForce:
        return book.versions[0]


def _freeze(values: Mapping[str, Any]) -> tuple:
    """A hashable image of the values (the key of the cache); a list or other unhashable value is refused."""
    items = []
    for name, value in values.items():
        item = tuple(sorted(value.items(), key=lambda pair: str(pair[0]))) if isinstance(value, Mapping) else value
        try:
            hash(item)
        except TypeError:
            raise InputError(f"{name}: unsupported value {value!r}") from None
        items.append((name, item))
    return tuple(sorted(items, key=lambda pair: str(pair[0])))


@lru_cache(maxsize=256)
def _build(frozen: tuple, version: str) -> Config:
    values = {
        name: dict(value) if isinstance(value, tuple) and name in ("shares", "stay_days") else value
        for name, value in frozen
    }
    unknown = sorted(set(values) - set(DEFAULTS))
    if unknown:
        raise InputError(f"{unknown[0]}: unknown setting; expected one of {sorted(DEFAULTS)}")
    out: dict[str, Any] = {
        "si_mean": _number(values, "si_mean", 1.05, 30.0),
        "si_sd": _number(values, "si_sd", 0.1, 30.0),
        "window": _integer(values, "window", 1, 60),
        "prior_mean": _number(values, "prior_mean", 0.01, 100.0),
        "prior_sd": _number(values, "prior_sd", 0.01, 100.0),
        "min_cases": _integer(values, "min_cases", 0, 100_000),
        "horizon": _integer(values, "horizon", 1, 90),
        "samples": _integer(values, "samples", 20, 10_000),
        "dispersion": None if values.get("dispersion") is None else _number(values, "dispersion", 0.0, 10.0),
        "damping": _number(values, "damping", 0.5, 1.0),
        "rt_walk": None if values.get("rt_walk") is None else _number(values, "rt_walk", 0.0, 1.0),
        "f1_per_case": _number(values, "f1_per_case", 0.0, 1000.0),
        "tests_per_case": _number(values, "tests_per_case", 0.0, 100_000.0),
        "alert_days": _integer(values, "alert_days", 1, 90),
        "alert_probability": _number(values, "alert_probability", 0.5, 0.999),
    }
    imported = values.get("imported")
    if imported not in IMPORTED_CHOICES:
        raise InputError(f"imported: expected one of {list(IMPORTED_CHOICES)}, got {imported!r}")
    out["imported"] = imported
    out["shares"] = MappingProxyType(_table(values, "shares", SHARE_KEYS, lambda name, v: _share(name, v)))
    if sum(out["shares"].values()) > 1.0 + 1e-9:
        raise InputError("shares: the shares of treatment, oxygen, icu and home add up to more than 1")
    out["stay_days"] = MappingProxyType(_table(values, "stay_days", STAY_KEYS, lambda name, v: _stay(name, v)))
    return Config(**out, version=version, sources=SOURCES)


def _table(values, name, keys, check) -> dict[str, Any]:
    table = values.get(name)
    if not isinstance(table, dict):
        raise InputError(f"{name}: expected an object with keys {list(keys)}")
    extra = sorted(set(table) - set(keys))
    if extra:
        raise InputError(f"{name}.{extra[0]}: unknown key; expected one of {list(keys)}")
    return {key: check(f"{name}.{key}", table[key]) for key in keys}


def _share(name: str, value: Any) -> float:
    return _check_number(name, value, 0.0, 1.0)


def _stay(name: str, value: Any) -> int:
    return int(_check_number(name, value, 1, 365, integer=True))


def _number(values, name, low, high) -> float:
    return _check_number(name, values.get(name), low, high)


def _integer(values, name, low, high) -> int:
    return int(_check_number(name, values.get(name), low, high, integer=True))


def _check_number(name: str, value: Any, low: float, high: float, integer: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{name}: expected a number, got {value!r}")
    if not math.isfinite(value) or not low <= value <= high:
        raise InputError(f"{name}: must be between {low} and {high}, got {value!r}")
    if integer and value != int(value):
        raise InputError(f"{name}: must be a whole number, got {value!r}")
    return float(value) if not integer else int(value)
