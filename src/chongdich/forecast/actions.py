"""The writers of the forecast app: the province's forecast settings, and a run started by hand."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chongdich.core import audit
from chongdich.core.scoping import in_scope
from chongdich.forecast.models import EDIT, ForecastSetting
from chongdich.forecast.rules import InputError, config
from chongdich.territory.models import AdminUnit, Level

# -- settings -----------------------------------------------------------------------------------------


@transaction.atomic
def do_save_settings(actor, province: AdminUnit, overrides: dict) -> ForecastSetting:
    """Save the province's overrides of the forecast configuration (empty: the rules' defaults), after the
    rules accept them (``rules.config`` raises ``InputError`` naming the field).  Only the province's
    committee or the national administrators may; audited with what changed."""
    if province.level != Level.PROVINCE:
        raise ValidationError(_("Forecast settings belong to a province."))
    if not in_scope(actor, EDIT, province):
        raise PermissionDenied(_("Only the province's committee may change its forecast settings."))
    overrides = dict(overrides or {})
    try:
        config(overrides)
    except InputError as error:
        raise ValidationError(
            _("The forecast rules refused these settings: %(reason)s") % {"reason": str(error)}
        ) from error
    setting = ForecastSetting.objects.select_for_update().filter(unit=province).first()
    before = dict(setting.overrides or {}) if setting else {}
    created = setting is None
    if created:
        setting = ForecastSetting(overrides=overrides)
        setting.place_in(province)
    setting.overrides = overrides
    setting.updated_by = actor
    setting._history_user = actor
    setting.save()
    changed = {
        key: [before.get(key), overrides.get(key)]
        for key in sorted(set(before) | set(overrides))
        if before.get(key) != overrides.get(key)
    }
    audit.record(
        actor,
        audit.AuditAction.CREATE if created else audit.AuditAction.UPDATE,
        setting,
        unit_path=province.path,
        label=f"{province.name}: {_('forecast settings')}",
        detail={"changed": changed},
    )
    return setting


# -- end of settings
