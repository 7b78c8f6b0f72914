"""Is an origin an *epidemic area* on a day?  The level in force there (the risk app's published
assessment of the commune, else of its district, else of its province) checked against the
destination province's setting (``MovementSetting``: the levels that raise an arrival alert, default
red / level 4, and the units the province lists, whole subtrees).

The answer is stored on the event row when it is written (``origin_level``, ``from_watched_area``):
tallies, alerts and a rebuild read the row and never re-run this over history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chongdich.movement.models import MovementSetting
from chongdich.risk.selectors import published_level
from chongdich.territory.models import AdminUnit

# The province's setting and the rule come from the green-lane and rules helpers; until they land,
# the model read with its defaults and the same test written here.
try:
    from chongdich.movement.selectors.settings import setting_for
except ImportError:  # pragma: no cover - before the green-lane helper's module
    setting_for = None
try:
    from chongdich.movement.rules import watched as rules_watched
except ImportError:  # pragma: no cover - before the rules helper's function
    rules_watched = None

DEFAULT_LEVELS = frozenset({"red"})


@dataclass(frozen=True)
class OriginStatus:
    level_colour: str | None  # green | yellow | orange | red, None when no level is published
    watched: bool  # an arrival from there raises an alert
    level: int | None = None  # the level number in force (1–4) when published
    code: str = ""  # the unit whose level was read (the commune, or an ancestor without one)


@dataclass(frozen=True)
class WatchSetting:
    levels: frozenset[str]
    watched_units: frozenset[str]


def _setting(province_code: str) -> WatchSetting:
    """The province's setting (the green-lane helper's ``settings.setting_for`` when present)."""
    if setting_for is not None and province_code:
        found = setting_for(province_code)
        levels = getattr(found, "alert_levels", None)
        units = getattr(found, "watched_units", None)
        return WatchSetting(frozenset(str(x) for x in (levels or DEFAULT_LEVELS)), frozenset(units or ()))
    row = MovementSetting.objects.filter(unit__code=province_code).first() if province_code else None
    if row is None:
        return WatchSetting(DEFAULT_LEVELS, frozenset())
    return WatchSetting(
        frozenset(str(x) for x in (row.alert_levels or DEFAULT_LEVELS)), frozenset(row.watched_units or ())
    )


def _watched(colour: str | None, codes: tuple[str, ...], levels: frozenset[str], units: frozenset[str]) -> bool:
    if rules_watched is None:
        return (colour is not None and colour in levels) or any(code in units for code in codes)
    return rules_watched(colour, codes, set(levels), set(units))


def origin_codes(origin_commune_code: str) -> tuple[str, ...]:
    """The commune's code and its ancestors' (commune first), () for an unknown code."""
    unit = AdminUnit.objects.filter(code=origin_commune_code).only("path").first() if origin_commune_code else None
    if unit is None:
        return ()
    return tuple(reversed([code for code in unit.path.strip("/").split("/") if code]))


def level_in_force(codes: tuple[str, ...], on: date):
    """The published level of the first of ``codes`` (lowest unit first) that has one, or None."""
    for code in codes:
        found = published_level(code, on)
        if found is not None and found.level is not None:
            return found
    return None


def origin_status(origin_commune_code: str, on: date, *, province_code: str = "") -> OriginStatus:
    """The origin's level in force on ``on`` and whether an arrival from it is watched by the province
    ``province_code`` (the destination's; without it the defaults: red only, no listed units)."""
    codes = origin_codes(origin_commune_code)
    if not codes:
        return OriginStatus(None, False)
    found = level_in_force(codes, on)
    colour = found.colour if found is not None else None
    level = found.level if found is not None else None
    setting = _setting(province_code)
    watched = _watched(colour, codes, setting.levels, setting.watched_units) or (
        level is not None and str(level) in setting.levels
    )
    return OriginStatus(colour, watched, level, found.code if found is not None else "")
