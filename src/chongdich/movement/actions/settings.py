"""The province's movement settings: the only writer of ``MovementSetting``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chongdich.core import audit
from chongdich.core.scoping import in_scope
from chongdich.movement.models import EDIT, MovementSetting
from chongdich.movement.selectors.settings import COLOURS, WATCHED_LEVELS, defaults
from chongdich.territory.models import AdminUnit, Level

MAX_WATCHED = 200
# (field, lowest, highest, refusal)
BOUNDS = {
    "trip_grace_minutes": (0, 72 * 60),
    "checkin_stay_minutes": (5, 24 * 60),
    "checkin_margin_minutes": (0, 12 * 60),
}
FIELDS = ("alert_levels", "watched_units", *BOUNDS)


def _refusal(field: str, low: int, high: int) -> str:
    messages = {
        "trip_grace_minutes": _("The grace period of a trip is between %(low)s and %(high)s minutes (3 days)."),
        "checkin_stay_minutes": _("The assumed stay at a venue is between %(low)s and %(high)s minutes (a day)."),
        "checkin_margin_minutes": _("The overlap margin is between %(low)s and %(high)s minutes (12 hours)."),
    }
    return messages[field] % {"low": low, "high": high}


def _clean(province: AdminUnit, values: dict) -> dict:
    errors: dict[str, str] = {}
    levels = list(dict.fromkeys(values.get("alert_levels") or []))
    if any(level not in COLOURS for level in levels):
        errors["alert_levels"] = _("Choose levels among green, yellow, orange and red.")
    codes = list(dict.fromkeys(str(code).strip() for code in values.get("watched_units") or [] if str(code).strip()))
    if len(codes) > MAX_WATCHED:
        errors["watched_units"] = _("At most %(most)s watched units: pick a district or a province instead.") % {
            "most": MAX_WATCHED
        }
    else:
        found = dict(AdminUnit.objects.filter(code__in=codes, level__in=WATCHED_LEVELS).values_list("code", "path"))
        unknown = [code for code in codes if code not in found]
        if unknown:
            errors["watched_units"] = _("Unknown unit: %(codes)s. Pick units with the search.") % {
                "codes": ", ".join(unknown[:5])
            }
        # a unit inside another watched unit adds nothing: keep the larger one
        codes = [
            code
            for code in codes
            if code in found and not any(o != code and found[code].startswith(found[o]) for o in found)
        ]
        codes.sort(key=lambda code: found.get(code, ""))
    clean = {"alert_levels": [c for c in COLOURS if c in levels], "watched_units": codes}
    for field, (low, high) in BOUNDS.items():
        value = values.get(field)
        if value is None or isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors[field] = _refusal(field, low, high)
        clean[field] = value
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def do_save_movement_settings(actor, province: AdminUnit, values: dict) -> MovementSetting:
    """Save the province's settings (created on the first save; a re-sent form changes nothing more)."""
    if province is None or province.level != Level.PROVINCE:
        raise ValidationError(_("Movement settings are set by a province."))
    if not in_scope(actor, EDIT, province):
        raise PermissionDenied(_("Only the province's committee may change its movement settings."))
    clean = _clean(province, values)
    setting = MovementSetting.objects.select_for_update().filter(unit=province).first()
    creating = setting is None
    if creating:
        setting = defaults(province)
    changed = {
        field: [getattr(setting, field), clean[field]] for field in FIELDS if getattr(setting, field) != clean[field]
    }
    if not changed and not creating:
        return setting
    for field in FIELDS:
        setattr(setting, field, clean[field])
    setting.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    setting._history_user = setting.updated_by
    setting.save()
    audit.record(
        actor,
        audit.AuditAction.CREATE if creating else audit.AuditAction.UPDATE,
        setting,
        unit_path=province.path,
        label=f"{province.name}: {_('movement settings')}",
        detail={"changed": changed},
    )
    return setting
