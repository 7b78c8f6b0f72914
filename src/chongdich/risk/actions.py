"""Writes of the risk module other than overrides (``policy``): a province's settings, a unit's
capacity readiness, task status.  Each checks the committee's scope, validates, writes in a
transaction and is audited."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chongdich.core import audit, clock
from chongdich.core.roles import Cap
from chongdich.core.scoping import scope_for
from chongdich.risk.models import CapacityReadiness, ProvinceRiskSetting, Task, TaskStatus
from chongdich.territory.models import AdminUnit, Level

SETTING_FIELDS = (
    "framework",
    "raise_border_by",
    "raise_next_to_higher_by",
    "scenario_2_from",
    "scenario_3_above",
    "scenario_tier",
    "notice_hours",
    "note",
)


def _check_edit(actor, unit: AdminUnit, message: str) -> None:
    if not scope_for(actor, Cap.UNITS_EDIT).contains(unit.path):
        raise PermissionDenied(message)


@transaction.atomic
def do_save_province_setting(actor, province: AdminUnit, *, effective_from: date, **values) -> ProvinceRiskSetting:
    """Record the province's risk settings from ``effective_from`` (replacing a setting of the same day)."""
    _check_edit(actor, province, _("Only the province's committee may change its risk settings."))
    if province.level != Level.PROVINCE:
        raise ValidationError(_("Risk settings belong to a province."))
    unknown = set(values) - set(SETTING_FIELDS)
    if unknown:
        raise ValueError(f"unknown setting fields {sorted(unknown)}")
    errors = {}
    if effective_from < clock.today():
        errors["effective_from"] = _("Settings cannot start in the past: choose today or a later day.")
    for name in ("raise_border_by", "raise_next_to_higher_by"):
        if values.get(name, 0) not in (0, 1, 2):
            errors[name] = _("Choose no raise, 1 or 2 levels.")
    low, high = values.get("scenario_2_from", 100), values.get("scenario_3_above", 500)
    if not (0 < low <= high):
        errors["scenario_3_above"] = _("Scenario 3 must start above the start of scenario 2 (e.g. 100 and 500).")
    if not 0 <= values.get("notice_hours", 48) <= 240:
        errors["notice_hours"] = _("The notice must be between 0 and 240 hours (resolution 128: 48 hours).")
    if values.get("framework"):
        from chongdich.core.versioning import NoRuleInForce
        from chongdich.risk.configuration import deployment_config
        from chongdich.risk.rules.config import FRAMEWORK_RULES

        try:
            deployment_config().rule(FRAMEWORK_RULES[values["framework"]], effective_from)
        except (KeyError, NoRuleInForce):
            errors["framework"] = _(
                "This framework is not in force on %(day)s; leave it empty to follow the national dates."
            ) % {"day": effective_from.strftime("%d/%m/%Y")}
    if errors:
        raise ValidationError(errors)
    setting = ProvinceRiskSetting.objects.filter(province=province, effective_from=effective_from).first()
    before = {name: getattr(setting, name) for name in SETTING_FIELDS} if setting else {}
    if setting is None:
        setting = ProvinceRiskSetting(
            province=province, effective_from=effective_from, created_by=actor, created_at=clock.now()
        )
    for name, value in values.items():
        setattr(setting, name, value)
    setting.created_by = actor
    setting.save()
    changed = {
        name: [str(before.get(name, "")), str(getattr(setting, name))]
        for name in SETTING_FIELDS
        if before.get(name) != getattr(setting, name)
    }
    audit.record(
        actor,
        audit.AuditAction.UPDATE if before else audit.AuditAction.CREATE,
        setting,
        unit_path=province.path,
        label=f"{province.name}: {_('risk settings')} {effective_from:%d/%m/%Y}",
        detail={"changed": changed, "effective_from": effective_from.isoformat()},
    )
    if effective_from <= clock.today():
        from chongdich.risk.policy import reassess_on_commit

        reassess_on_commit(clock.today())
    return setting


@transaction.atomic
def do_set_readiness(
    actor, unit: AdminUnit, *, ready: bool, note: str = "", effective_from: date | None = None
) -> CapacityReadiness:
    """Declare whether the unit's treatment capacity is ready (4800 criterion 3; 218 criterion 3a)."""
    _check_edit(actor, unit, _("Only the committee of this unit or of a unit above it may declare its readiness."))
    if unit.level not in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        raise ValidationError(_("Readiness is declared for a commune, a district or a province."))
    effective_from = effective_from or clock.today()
    if effective_from < clock.today():
        raise ValidationError(
            {"effective_from": _("A declaration cannot start in the past: choose today or a later day.")}
        )
    flag = CapacityReadiness.objects.filter(unit=unit, effective_from=effective_from).first()
    before = None if flag is None else flag.ready
    if flag is None:
        flag = CapacityReadiness(unit=unit, unit_path=unit.path, effective_from=effective_from)
    flag.ready, flag.note, flag.set_by, flag.set_at = bool(ready), note.strip(), actor, clock.now()
    flag.save()
    audit.record(
        actor,
        audit.AuditAction.UPDATE if before is not None else audit.AuditAction.CREATE,
        flag,
        unit_path=unit.path,
        label=f"{unit.name}: {_('treatment capacity ready') if ready else _('treatment capacity not ready')}",
        detail={
            "changed": {"ready": [str(before), str(flag.ready)]},
            "note": flag.note,
            "effective_from": effective_from.isoformat(),
        },
    )
    if effective_from <= clock.today():
        from chongdich.risk.policy import reassess_on_commit

        reassess_on_commit(clock.today())
    return flag


@transaction.atomic
def do_set_task_status(actor, task: Task, *, status: str, note: str = "") -> Task:
    """Mark a scenario task done or cancelled, or reopen it."""
    _check_edit(actor, task.unit, _("Only the committee of this unit or of a unit above it may update its tasks."))
    if status not in TaskStatus.values:
        raise ValidationError(_("Unknown status."))
    if status == TaskStatus.CANCELLED and not note.strip():
        raise ValidationError({"note": _("Say why the task is cancelled.")})
    before = task.status
    task.status = status
    task.note = note.strip() or task.note
    if status == TaskStatus.OPEN:
        task.closed_at, task.closed_by = None, None
    else:
        task.closed_at, task.closed_by = clock.now(), actor
    task.save(update_fields=["status", "note", "closed_at", "closed_by"])
    audit.record(
        actor, audit.AuditAction.UPDATE, task, detail={"changed": {"status": [before, status]}, "note": task.note}
    )
    return task
