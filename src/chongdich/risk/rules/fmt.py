"""Number formatting for reasons: Vietnamese uses "." for thousands and "," for decimals."""

from __future__ import annotations


def num_en(value: float, digits: int = 2) -> str:
    """``16666.0`` → ``16,666``; ``37.5`` → ``37.5`` (trailing zeros dropped)."""
    if type(value) is int or value.is_integer():
        return f"{int(value):,}"
    if -1000 < value < 1000:  # most figures (rates, percentages): no grouping needed
        return f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return f"{value:,.{digits}f}".rstrip("0").rstrip(".")


def num_vi(value: float, digits: int = 2) -> str:
    """``16666`` → ``16.666``; ``37.5`` → ``37,5``."""
    if type(value) is int or value.is_integer():
        return f"{int(value):,}".replace(",", ".")
    if -1000 < value < 1000:
        return f"{value:.{digits}f}".rstrip("0").rstrip(".").replace(".", ",")
    return num_en(value, digits).translate(_SWAP)


_SWAP = str.maketrans({",": ".", ".": ","})


def pct_vi(part: int, whole: int) -> str:
    return num_vi(100 * part / whole, 1) + "%"


def pct_en(part: int, whole: int) -> str:
    return num_en(100 * part / whole, 1) + "%"
