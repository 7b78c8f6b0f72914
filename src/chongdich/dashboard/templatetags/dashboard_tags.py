"""A fast thousands separator for the dashboard's many numbers (the core ``num`` filter looks the
locale format up on every call)."""

from __future__ import annotations

from django import template
from django.utils.formats import get_format, number_format
from django.utils.translation import get_language

# Colours of coverage: (lower bound %, colour); the last band is the priority groups' target (95%).
COVERAGE_BANDS = ((0, "red"), (50, "orange"), (70, "yellow"), (95, "green"))

register = template.Library()
_SEPARATORS: dict[str, str] = {}


def _separator() -> str:
    language = get_language() or ""
    if language not in _SEPARATORS:
        _SEPARATORS[language] = get_format("THOUSAND_SEPARATOR")
    return _SEPARATORS[language]


@register.filter
def fnum(value):
    """1234567 → "1.234.567" (Vietnamese) or "1,234,567" (English), as ``num`` prints it; "—" for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, int):
        return f"{value:,}".replace(",", _separator())
    return number_format(value, force_grouping=True)


@register.filter
def pct(value):
    """76.923 → "76,9%" (one decimal, the language's separator); "—" for an unknown share."""
    if value is None:
        return "—"
    return f"{number_format(round(value, 1), 1)}%"


@register.filter
def coverage_band(value):
    """The coverage layer's colour of a share (``mapdata.COVERAGE_BANDS``); "none" when unknown."""
    if value is None:
        return "none"
    colour = "none"
    for bound, name in COVERAGE_BANDS:
        if value >= bound:
            colour = name
    return colour
