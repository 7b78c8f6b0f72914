"""The numbers of the server-side SVG charts (``dashboard.charts``, ``forecast.charts``): the top of an
axis, a coordinate, an axis label.  Pure Python; here so that charts of any layer draw alike."""

from __future__ import annotations

import math


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^k at or above ``value`` (at least 1)."""
    if value <= 1:
        return 1
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * 10**exponent
        if candidate >= value:
            return candidate
    return 10 ** (exponent + 1)  # pragma: no cover


def coordinate(value: float) -> str:
    """A coordinate with at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def axis_label(value: float) -> str:
    """An axis tick: thousands grouped with a space, no ".0"."""
    if value >= 1000:
        return f"{value:,.0f}".replace(",", " ")
    return f"{value:g}" if value != int(value) else str(int(value))
