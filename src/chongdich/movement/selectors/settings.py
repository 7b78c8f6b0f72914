"""The province's movement settings: which origins raise an arrival alert, the watched units, the
green lane's grace period and the check-in overlap for candidate contacts."""

from __future__ import annotations

from chongdich.movement.models import MovementSetting
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
