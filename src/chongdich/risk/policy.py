"""Local decisions on levels (R-14): a locality may apply a level stronger than the assessed one,
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
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from chongdich.core import audit, clock
from chongdich.core.roles import Cap
from chongdich.core.scoping import scope_for
from chongdich.risk.configuration import deployment_config, framework_on
from chongdich.risk.models import RiskAssessment, RiskOverride
from chongdich.risk.rules import check_override, scale
from chongdich.territory.models import AdminUnit, Level

ASSESSED_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
MIN_REASON = 10


class OverrideRefused(ValidationError):
    """The requested level is weaker than the assessed one (or not a level): the rule's reason."""

    def __init__(self, reason, computed: int | None):
        self.reason = reason
        self.computed = computed
        super().__init__(reason.text("en" if lang() == "en" else "vi"), code="weaker_level")


def lang() -> str:
    return "en" if (get_language() or "vi").startswith("en") else "vi"


def check_authority(actor, unit: AdminUnit) -> None:
    if not scope_for(actor, Cap.UNITS_EDIT).contains(unit.path):
        raise PermissionDenied(_("Only the committee of this unit or of a unit above it may decide its level."))


def computed_level_on(unit: AdminUnit, framework: str, day: date) -> int | None:
    """The assessed level of ``unit`` under ``framework`` on ``day`` (its latest assessment up to then)."""
    return (
        RiskAssessment.objects.filter(code=unit.code, framework=framework, day__lte=day)
        .order_by("-day")
        .values_list("computed_level", flat=True)
        .first()
    )


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
    from chongdich.risk.tasks import assess_risk

    transaction.on_commit(lambda: assess_risk.enqueue(day.isoformat()))
