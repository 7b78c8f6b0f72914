"""Pure numerics of the forecasts (numpy/scipy, no Django).

Arrays are float64, units × days, the last column the as-of day; NaN where there is no value.
Method, defaults and sources: docs/forecast/method.md.
"""

from chongdich.forecast.rules.config import Config, config
from chongdich.forecast.rules.demand import days_until, demand, occupancy
from chongdich.forecast.rules.errors import InputError
from chongdich.forecast.rules.project import naive, project, simulate
from chongdich.forecast.rules.rt import Rt, estimate_rt
from chongdich.forecast.rules.scores import QUANTILES, Scores, score
from chongdich.forecast.rules.serial import serial_interval

__all__ = [
    "QUANTILES",
    "Config",
    "InputError",
    "Rt",
    "Scores",
    "config",
    "days_until",
    "demand",
    "estimate_rt",
    "naive",
    "occupancy",
    "project",
    "score",
    "serial_interval",
    "simulate",
]
