"""The province's movement settings: which origins raise an arrival alert, the watched units, the
green lane's grace period and the check-in overlap for candidate contacts."""

from __future__ import annotations

from chongdich.core.scoping import in_scope
from chongdich.core.text import fold
from chongdich.movement.models import EDIT, VIEW, MovementSetting
from chongdich.territory.models import AdminUnit, Level

# What a province that saved nothing gets.
DEFAULT_ALERT_LEVELS = ("red",)
DEFAULT_TRIP_GRACE_MINUTES = 360
DEFAULT_CHECKIN_STAY_MINUTES = 60
DEFAULT_CHECKIN_MARGIN_MINUTES = 30


def defaults(province: AdminUnit | None = None) -> MovementSetting:
    """Unsaved settings with the defaults (placed in ``province`` when given)."""
    setting = MovementSetting(
        alert_levels=list(DEFAULT_ALERT_LEVELS),
        watched_units=[],
        trip_grace_minutes=DEFAULT_TRIP_GRACE_MINUTES,
        checkin_stay_minutes=DEFAULT_CHECKIN_STAY_MINUTES,
        checkin_margin_minutes=DEFAULT_CHECKIN_MARGIN_MINUTES,
    )
    if province is not None:
        setting.place_in(province)
    return setting


def setting_for(province_code: str | None) -> MovementSetting:
    """The province's saved settings, or unsaved defaults when it saved none (or the code is unknown)."""
    if province_code:
        saved = MovementSetting.objects.filter(province_code=province_code).select_related("unit").first()
        if saved is not None:
            return saved
        province = AdminUnit.objects.filter(level=Level.PROVINCE, code=province_code).first()
        return defaults(province)
    return defaults()


# Colours of the risk levels (risk.rules.levels.COLOURS), lowest first.
COLOURS = ("green", "yellow", "orange", "red")
WATCHED_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)


def provinces_for(user) -> list[AdminUnit]:
    """Provinces whose settings the user may read: those of the units in their scope."""
    codes = set(AdminUnit.objects.for_user(user, VIEW).values_list("province_code", flat=True).distinct()[:100])
    return list(AdminUnit.objects.filter(level=Level.PROVINCE, code__in=codes).order_by("name"))


def may_edit(user, province: AdminUnit) -> bool:
    """The province's committee (and the national level) edit; the others read."""
    return in_scope(user, EDIT, province)


def watched_units_of(setting: MovementSetting) -> list[AdminUnit]:
    """The units the province watches, by path (a code no longer in the tree is left out)."""
    codes = list(setting.watched_units or [])
    return list(AdminUnit.objects.filter(code__in=codes).select_related("parent", "parent__parent").order_by("path"))


def unit_label(unit: AdminUnit) -> str:
    """``Xã Đức Hạnh — Huyện Bù Gia Mập — Tỉnh Bình Phước``: a name with the units above it."""
    names = [unit.name]
    parent = unit.parent if unit.parent_id else None
    while parent is not None:
        names.append(parent.name)
        parent = parent.parent if parent.parent_id else None
    return " — ".join(names)


def find_units(query: str, limit: int = 30) -> list[AdminUnit]:
    """Provinces, districts and communes whose name has every word typed (diacritics optional), or the
    unit of a code: the unit picker of the watched units (units are reference data, visible to all)."""
    query = " ".join((query or "").split())[:80]
    if not query:
        return []
    units = AdminUnit.objects.current().filter(level__in=WATCHED_LEVELS)
    if query.isdigit():
        rows = units.filter(code=query)
    else:
        rows = units
        for word in fold(query).split()[:6]:
            rows = rows.filter(folded_name__contains=word)
    return list(rows.select_related("parent", "parent__parent").order_by("level", "path")[:limit])


def units_of_codes(codes) -> list[AdminUnit]:
    """Provinces, districts and communes of these codes (those that exist), by path."""
    codes = [str(code)[:16] for code in codes if code]
    return list(
        AdminUnit.objects.filter(code__in=codes, level__in=WATCHED_LEVELS)
        .select_related("parent", "parent__parent")
        .order_by("path")
    )
