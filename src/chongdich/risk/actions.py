"""Writes of the risk module: local decisions on levels (overrides), a province's settings, a unit's
capacity readiness, task status.  Each checks the committee's scope, validates, writes in a
transaction and is audited; a change that affects today queues today's assessment on commit.

Local decisions on levels (R-14): a locality may apply a level stronger than the assessed one,
never weaker.  An override needs a reason and a committee in scope — the commune's committee for
its commune, the district's for the district and its communes, the province's for all of them
(``units.edit`` on the unit) — is checked with the rules' ``check_override`` and is audited; an
attempt at a weaker level is refused with the rule's explanation (and the attempt is audited too).
The next assessment of the day applies it (queued at once).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chongdich.core import audit, clock
from chongdich.core.roles import Cap
from chongdich.core.scoping import in_scope
from chongdich.core.versioning import NoRuleInForce
from chongdich.risk.configuration import deployment_config, framework_on
from chongdich.risk.models import CapacityReadiness, ProvinceRiskSetting, RiskOverride, Task, TaskStatus
from chongdich.risk.names import lang
from chongdich.risk.rules import check_override, scale
from chongdich.risk.rules.config import FRAMEWORK_RULES
from chongdich.risk.selectors import computed_level_on
from chongdich.risk.tasks import assess_risk
from chongdich.territory.models import AdminUnit, Level

ASSESSED_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
MIN_REASON = 10


class OverrideRefused(ValidationError):
    """The requested level is weaker than the assessed one (or not a level): the rule's reason."""

    def __init__(self, reason, computed: int | None):
        self.reason = reason
        self.computed = computed
        text = reason.text("en" if lang() == "en" else "vi")
        super().__init__({"level": [ValidationError(text, code="weaker_level")]})


def check_authority(actor, unit: AdminUnit) -> None:
    if not in_scope(actor, Cap.UNITS_EDIT, unit):
        raise PermissionDenied(_("Only the committee of this unit or of a unit above it may decide its level."))


def do_override(
    actor,
    unit: AdminUnit,
    *,
    level: int,
    reason: str,
    valid_from: date | None = None,
    valid_to: date | None = None,
    config=None,
) -> RiskOverride:
    """Apply ``level`` to ``unit`` from ``valid_from`` (default today) until ``valid_to`` (last day,
    optional).  Raises PermissionDenied (not the unit's committee), ValidationError (bad input),
    OverrideRefused (weaker than assessed)."""
    check_authority(actor, unit)
    if unit.level not in ASSESSED_LEVELS:
        raise ValidationError(_("Levels are decided for communes, districts and provinces only."))
    today = clock.today()
    valid_from = valid_from or today
    reason = (reason or "").strip()
    errors = {}
    if len(reason) < MIN_REASON:
        errors["reason"] = _(
            "Give the reason for the decision (at least %(n)s characters), e.g. the number and date "
            "of the committee's decision."
        ) % {"n": MIN_REASON}
    if valid_from < today:
        errors["valid_from"] = _("A decision cannot start in the past: choose today or a later day.")
    if valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = _("The last day cannot be before the first day.")
    if errors:
        raise ValidationError(errors)
    config = config or deployment_config()
    framework = framework_on(config, valid_from, unit.province_code)
    if framework is None:
        raise ValidationError(
            _("No risk-level framework is in force on %(day)s (only directives 15/16/19).")
            % {"day": valid_from.strftime("%d/%m/%Y")}
        )
    computed = computed_level_on(unit, framework, valid_from)
    decision = check_override(computed, level, scale(framework))
    if not decision.accepted:
        audit.record(
            actor,
            audit.AuditAction.UPDATE,
            unit,
            label=_("%(unit)s: stronger level refused") % {"unit": unit.name},
            detail={
                "override_refused": {
                    "framework": framework,
                    "requested": level,
                    "computed": computed,
                    "reason": reason,
                    "why": decision.reason.en,
                }
            },
        )
        raise OverrideRefused(decision.reason, computed)
    with transaction.atomic():
        # One decision at a time: an earlier one still running ends the day before this one starts.
        for earlier in (
            RiskOverride.objects.select_for_update()
            .filter(unit=unit, withdrawn_at__isnull=True)
            .exclude(valid_to__lt=valid_from)
        ):
            earlier.valid_to = valid_from - timedelta(days=1)
            earlier.save(update_fields=["valid_to"])
        override = RiskOverride.objects.create(
            unit=unit,
            unit_path=unit.path,
            framework=framework,
            level=level,
            reason=reason,
            valid_from=valid_from,
            valid_to=valid_to,
            by=actor,
            at=clock.now(),
        )
        audit.record(
            actor,
            audit.AuditAction.CREATE,
            override,
            unit_path=unit.path,
            label=f"{unit.name}: {override.level_label}",
            detail={
                "framework": framework,
                "level": level,
                "computed": computed,
                "reason": reason,
                "valid_from": valid_from.isoformat(),
                "valid_to": valid_to.isoformat() if valid_to else None,
                "decision": decision.reason.en,
            },
        )
        if valid_from <= today:
            reassess_on_commit(today)
    return override


def do_withdraw_override(actor, override: RiskOverride) -> RiskOverride:
    """End an override: it no longer applies from today (an override not started yet never applies)."""
    unit = override.unit
    check_authority(actor, unit)
    if override.withdrawn_at is not None:
        raise ValidationError(_("This decision was already withdrawn."))
    today = clock.today()
    with transaction.atomic():
        override.withdrawn_at, override.withdrawn_by = clock.now(), actor
        override.valid_to = min(override.valid_to or today, today - timedelta(days=1))
        override.save(update_fields=["withdrawn_at", "withdrawn_by", "valid_to"])
        audit.record(
            actor,
            audit.AuditAction.UPDATE,
            override,
            unit_path=unit.path,
            label=_("%(unit)s: stronger level withdrawn") % {"unit": unit.name},
            detail={"changed": {"valid_to": [None, override.valid_to.isoformat()]}, "withdrawn": True},
        )
        if override.valid_from <= today:
            reassess_on_commit(today)
    return override


def reassess_on_commit(day: date) -> None:
    transaction.on_commit(lambda: assess_risk.enqueue(day.isoformat()))


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
    if not in_scope(actor, Cap.UNITS_EDIT, unit):
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
