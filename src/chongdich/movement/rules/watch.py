"""Which origins raise an arrival alert, and the time windows of venue check-ins (candidate contacts).

- ``watched``: an arrival is from an epidemic area when the origin commune's published level is one the
  province lists (default: red, i.e. level 4 of NQ 128 / "very high risk" of 2686 — issue 11 §5 [V~]),
  or the commune or one of its ancestors is on the province's list of units.
- ``checkin_window`` / ``overlaps``: a check-in covers [at − margin, (out time or at + stay) + margin];
  everyone whose window overlaps a case's infectious period at the same venue is a candidate contact
  (R-50's time condition, R-63's event; the stay and margin are the province's settings [D]).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from chongdich.movement.rules.errors import InputError

LEVEL_COLOURS = ("green", "yellow", "orange", "red")  # levels 1..4 of 2686 and of NQ 128 (risk.rules)
WORDS = {"xanh": "green", "vàng": "yellow", "vang": "yellow", "cam": "orange", "đỏ": "red", "do": "red"}
DEFAULT_ALERT_LEVELS = frozenset({"red"})
MAX_STAY = timedelta(hours=24)  # [D] a check-in's window never runs longer (a forgotten check-out)
MAX_MINUTES = 24 * 60 * 7


def level_colour(level: object) -> str | None:
    """ "red", "4", 4, "đỏ", " Red " -> "red"; anything else -> None."""
    if level is None or isinstance(level, bool):
        return None
    word = str(level).strip().lower()
    if word.isdigit() and 1 <= int(word) <= len(LEVEL_COLOURS):
        return LEVEL_COLOURS[int(word) - 1]
    word = WORDS.get(word, word)
    return word if word in LEVEL_COLOURS else None


def alert_colours(levels: Iterable[object] | None) -> frozenset[str]:
    """The colours a province's ``alert_levels`` name (an entry that names no level counts for nothing);
    an empty list: red."""
    levels = list(levels or ())
    if not levels:
        return DEFAULT_ALERT_LEVELS
    return frozenset(filter(None, (level_colour(level) for level in levels)))


def watched(
    origin_colour: str | None,
    origin_codes: Iterable[str] = (),
    levels: Iterable[object] | None = None,
    watched_units: Iterable[str] | None = None,
) -> bool:
    """An arrival from an epidemic area?  ``origin_colour``: the origin commune's published level colour
    (None: no level published); ``origin_codes``: the commune's code and its ancestors'; ``levels``: the
    province's alert levels (colours or numbers 1–4; empty = red); ``watched_units``: unit codes the
    province lists (a listed district covers its communes)."""
    colour = level_colour(origin_colour)
    if colour is not None and colour in alert_colours(levels):
        return True
    units = {str(code) for code in watched_units or ()}
    return bool(units) and any(str(code) in units for code in origin_codes or ())


def _minutes(value: object, field: str) -> timedelta:
    if isinstance(value, timedelta):
        span = value
    elif type(value) is int:
        span = timedelta(minutes=value)
    else:
        raise InputError(field, "minutes_invalid")
    if not timedelta(0) <= span <= timedelta(minutes=MAX_MINUTES):
        raise InputError(field, "minutes_invalid")
    return span


def checkin_window(
    at: datetime, out_at: datetime | None, stay_minutes: int | timedelta, margin: int | timedelta = 0
) -> tuple[datetime, datetime]:
    """The time a check-in covers: from ``at − margin`` to ``(out_at or at + stay) + margin``; an out time
    before ``at`` is ignored, a stay is capped at ``MAX_STAY``.  Minutes as ints or timedeltas."""
    if not isinstance(at, datetime) or (out_at is not None and not isinstance(out_at, datetime)):
        raise InputError("at", "datetime_required")
    if out_at is not None and (out_at.tzinfo is None) != (at.tzinfo is None):
        raise InputError("out_at", "datetime_mixed")
    stay = _minutes(stay_minutes, "stay_minutes")
    pad = _minutes(margin, "margin")
    end = out_at if out_at is not None and out_at >= at else at + stay
    end = min(end, at + MAX_STAY)
    return at - pad, end + pad


def overlaps(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    """Two windows share a moment (touching ends count)."""
    try:
        return a[0] <= b[1] and b[0] <= a[1]
    except TypeError:
        raise InputError("window", "datetime_mixed")


def checkin_at_bounds(start: datetime, end: datetime, margin: int | timedelta = 0) -> tuple[datetime, datetime]:
    """The range of check-in times ``at`` whose window can overlap ``[start, end]`` (for an indexed query
    before ``overlaps`` decides): ``[start − MAX_STAY − margin, end + margin]``."""
    if not isinstance(start, datetime) or not isinstance(end, datetime):
        raise InputError("window", "datetime_required")
    if (start.tzinfo is None) != (end.tzinfo is None):
        raise InputError("window", "datetime_mixed")
    if end < start:
        raise InputError("window", "window_order")
    pad = _minutes(margin, "margin")
    return start - MAX_STAY - pad, end + pad
