"""Writes of the forecasts started by people: a run started by hand (the page follows the Run), and the
province's forecast settings."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tasks_db.backend import DatabaseBackend

from chongdich.core import audit, clock
from chongdich.core.scoping import in_scope
from chongdich.core.tasks import enqueue
from chongdich.forecast.models import EDIT, ForecastSetting, Run, RunStatus
from chongdich.forecast.nightly import default_day
from chongdich.forecast.rules import InputError, config
from chongdich.forecast.tasks import forecast_run
from chongdich.territory.models import AdminUnit, Level


def do_start_run(actor, day: date | None = None) -> Run:
    """Queue a forecast run for ``day`` (default: yesterday) and return it; the page follows its progress.

    Refused (``ValidationError`` in the user's language) for a day in the future, and
    while a run of the same day is queued or running (a re-sent form never queues a second one)."""
    day = day or default_day()
    today = clock.today()
    if day > today:
        raise ValidationError({"day": _("The day cannot be in the future.")})
    with transaction.atomic():
        if connection.vendor == "postgresql":  # two clicks at once: one waits for the other's row
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x0F0CA57, day.toordinal()])
        busy = Run.objects.filter(day=day, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).first()
        if busy is not None:
            raise ValidationError(
                _("A forecast run for %(day)s is already queued or running: follow it instead of starting another.")
                % {"day": day.strftime("%d/%m/%Y")},
                code="busy",
                params={"run": busy.pk},
            )
        run = Run.objects.create(day=day, status=RunStatus.QUEUED, step="queued", started_by=actor)
        audit.record(
            actor,
            audit.AuditAction.CREATE,
            run,
            unit_path="",
            label=_("Forecast run for %(day)s") % {"day": day.strftime("%d/%m/%Y")},
            detail={"day": day.isoformat()},
        )
        if isinstance(forecast_run.get_backend(), DatabaseBackend):
            # the task row is written in this transaction; its id lets the recovery see it ended unrun
            result = forecast_run.enqueue(run.pk)
            run.figures = {"task_id": str(result.id)}
            Run.objects.filter(pk=run.pk).update(figures=run.figures)
        else:
            enqueue(forecast_run, run.pk)  # immediate (tests): runs once the transaction has committed
    return run


# -- settings -----------------------------------------------------------------------------------------


def _refusal(message: str) -> dict[str, str] | str:
    """The rules' refusal ("shares.icu: must be between 0 and 1, got 2") on the settings form's field
    ("share_icu"), in the user's language."""
    where = message.split(":", 1)[0].strip()
    if where == "shares":
        return {"share_treatment": _("The shares of cases add up to more than 1: lower one of them.")}
    table, _dot, key = where.partition(".")
    field = {"shares": f"share_{key}", "stay_days": f"stay_{key}"}.get(table, where) if key else where
    text = _("The forecast rules do not accept this value (%(reason)s).") % {
        "reason": message.split(":", 1)[-1].strip()
    }
    if field in SETTINGS_FIELDS:
        return {field: text}
    return text


SETTINGS_FIELDS = {
    "si_mean",
    "si_sd",
    "window",
    "min_cases",
    "imported",
    "f1_per_case",
    "tests_per_case",
    "alert_days",
    "alert_probability",
    *(f"share_{key}" for key in ("treatment", "oxygen", "icu", "home")),
    *(f"stay_{key}" for key in ("treatment", "oxygen", "icu", "active", "quarantine")),
}


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
        raise ValidationError(_refusal(str(error))) from error
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
