"""The province's vaccination rules: its overrides of the national catalogue (priority groups, the
AstraZeneca 4-week interval from 20/9/2021, its coverage target…), checked before they are saved."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chongdich.core import audit
from chongdich.core.scoping import in_scope
from chongdich.territory.models import AdminUnit, Level
from chongdich.vaccination import rules
from chongdich.vaccination.configuration import national
from chongdich.vaccination.models import EDIT, ProvinceVaccinationSetting


def parse_overrides(text: str, province_code: str) -> list[dict]:
    """The rule versions of a JSON text (a list of ``core.versioning`` mappings), each one naming this
    province; ``ValidationError`` with the rules' message (which version, which field, which day)."""
    try:
        raw = json.loads(text or "[]")
    except json.JSONDecodeError as error:
        raise ValidationError(
            _("This is not valid JSON (line %(line)s, column %(col)s).") % {"line": error.lineno, "col": error.colno}
        ) from None
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise ValidationError(_("Give a list of rule versions: [{…}, {…}]."))
    for item in raw:
        if item.get("province") != province_code:
            raise ValidationError(
                _('Every rule version must name this province ("province": "%(code)s").') % {"code": province_code}
            )
    try:
        versions = [rules.version_from_dict(item) for item in raw]
        rules.validate_overrides(versions, national())
    except (rules.ConfigError, rules.InputError, ValueError, TypeError, KeyError) as error:
        raise ValidationError(_("The rules refuse this version: %(error)s") % {"error": error}) from None
    return raw


@transaction.atomic
def do_save_province_rules(actor, province: AdminUnit, text: str) -> ProvinceVaccinationSetting:
    """Replace the province's overrides with the versions in ``text`` (JSON; an empty list removes them)."""
    if province.level != Level.PROVINCE:
        raise ValidationError(_("Vaccination rules are set by a province."))
    if not in_scope(actor, EDIT, province):
        raise PermissionDenied(_("Only the province's committee may change its vaccination rules."))
    versions = parse_overrides(text, province.code)
    setting = ProvinceVaccinationSetting.objects.select_for_update().filter(province=province).first()
    before = setting.versions if setting else []
    if setting is None:
        setting = ProvinceVaccinationSetting(province=province)
    setting.versions = versions
    setting.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    setting._history_user = setting.updated_by
    setting.save()
    audit.record(
        actor,
        audit.AuditAction.UPDATE if before else audit.AuditAction.CREATE,
        setting,
        unit_path=province.path,
        label=f"{province.name}: {_('vaccination rules')}",
        detail={"versions": len(versions), "before": len(before or [])},
    )
    return setting
