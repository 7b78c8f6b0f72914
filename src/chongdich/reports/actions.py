"""Writing daily reports: save a draft, send, reopen, and a province's cut-off hour.

Reports are written by the committees (``units.edit``) of the unit or of a unit above it.  Saving
and sending both read the figures from the tallies at that moment and keep them in the report, so
a sent report stays as it was sent.  Every write is audited.
"""

from __future__ import annotations

from datetime import date, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chongdich.core import audit, clock
from chongdich.core.roles import Cap
from chongdich.core.scoping import in_scope
from chongdich.reports.indicators import REPORTED_LEVELS, cut_off_of, figures
from chongdich.reports.models import DEFAULT_CUT_OFF, DailyReport, ReportSetting, ReportStatus
from chongdich.territory.models import AdminUnit, Level

TEXT_FIELDS = ("number", "comments", "recipients", "signer")
MAX_LENGTHS = {"number": 40, "comments": 10_000, "recipients": 2_000, "signer": 120}


def check_authority(actor, unit: AdminUnit) -> None:
    if not in_scope(actor, Cap.UNITS_EDIT, unit):
        raise PermissionDenied(_("Only the committee of this unit or of a unit above it may write its report."))


cut_off_for = cut_off_of  # the province's cut-off hour (18:00 unless the province set another)


def validate_day(unit: AdminUnit, day: date) -> None:
    if unit.level not in REPORTED_LEVELS:
        raise ValidationError(_("Daily reports are made for communes, districts and provinces."))
    if day > clock.today():
        raise ValidationError(
            {"day": _("A report cannot be made for a day in the future: choose today or an earlier day.")}
        )


def _clean(values: dict) -> dict:
    unknown = set(values) - {*TEXT_FIELDS, "cut_off"}
    if unknown:
        raise ValueError(f"unknown report fields {sorted(unknown)}")
    cleaned, errors = {}, {}
    for name in TEXT_FIELDS:
        if name in values:
            text = (values[name] or "").strip()
            if len(text) > MAX_LENGTHS[name]:
                errors[name] = _("Too long: at most %(n)s characters.") % {"n": MAX_LENGTHS[name]}
            cleaned[name] = text
    if values.get("cut_off") is not None:
        if not isinstance(values["cut_off"], time):
            errors["cut_off"] = _("Enter the cut-off time as hours and minutes, e.g. 18:00.")
        cleaned["cut_off"] = values["cut_off"]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _write(actor, unit: AdminUnit, day: date, values: dict, *, send: bool) -> DailyReport:
    check_authority(actor, unit)
    validate_day(unit, day)
    cleaned = _clean(values)
    report = DailyReport.objects.select_for_update().filter(unit=unit, day=day).first()
    created = report is None
    if report is None:
        report = DailyReport(day=day, cut_off=cut_off_for(unit), created_by=actor, created_at=clock.now())
        report.place_in(unit)
    elif report.sent:
        raise ValidationError(
            _("This report was sent on %(at)s; reopen it to change it.")
            % {"at": timezone.localtime(report.sent_at).strftime("%H:%M %d/%m/%Y")}
        )
    before = {name: str(getattr(report, name)) for name in (*TEXT_FIELDS, "cut_off")}
    for name, value in cleaned.items():
        setattr(report, name, value)
    now = clock.now()
    report.indicators = figures(unit, day, report.cut_off)  # up to the report's cut-off hour
    report.figures_at = now
    report.updated_by, report.updated_at = actor, now
    if send:
        report.status, report.sent_by, report.sent_at = ReportStatus.SENT, actor, now
    report.save()
    changed = {
        name: [old, str(getattr(report, name))]
        for name, old in before.items()
        if not created and old != str(getattr(report, name))
    }
    audit.record(
        actor,
        audit.AuditAction.CREATE if created else audit.AuditAction.UPDATE,
        report,
        label=_("%(unit)s: daily report of %(day)s") % {"unit": unit.name, "day": f"{day:%d/%m/%Y}"},
        detail={"day": day.isoformat(), "status": report.status, "sent": send, "changed": changed},
    )
    return report


@transaction.atomic
def do_save_report(actor, unit: AdminUnit, day: date, **values) -> DailyReport:
    """Create or update the draft report of ``unit`` for ``day`` with the figures of now.
    Raises PermissionDenied (not the unit's committee) or ValidationError (bad input, already sent)."""
    return _write(actor, unit, day, values, send=False)


@transaction.atomic
def do_send_report(actor, unit: AdminUnit, day: date, **values) -> DailyReport:
    """Save the report with the figures of now and mark it sent (its figures no longer change)."""
    return _write(actor, unit, day, values, send=True)


@transaction.atomic
def do_reopen_report(actor, report: DailyReport, *, reason: str) -> DailyReport:
    """Turn a sent report back into a draft, to correct and send it again; the reason is audited."""
    report = DailyReport.objects.select_for_update().select_related("unit").get(pk=report.pk)
    check_authority(actor, report.unit)
    reason = (reason or "").strip()
    if not report.sent:
        raise ValidationError(_("This report has not been sent: it can be changed as it is."))
    if len(reason) < 5:
        raise ValidationError(
            {"reason": _("Say why the report is reopened (at least 5 characters), e.g. “corrected number of samples”.")}
        )
    sent_at = report.sent_at
    report.status, report.sent_by, report.sent_at = ReportStatus.DRAFT, None, None
    report.updated_by, report.updated_at = actor, clock.now()
    report.save()
    audit.record(
        actor,
        audit.AuditAction.UPDATE,
        report,
        label=_("%(unit)s: daily report of %(day)s reopened")
        % {"unit": report.unit.name, "day": f"{report.day:%d/%m/%Y}"},
        detail={
            "day": report.day.isoformat(),
            "reopened": True,
            "reason": reason,
            "was_sent_at": sent_at.isoformat() if sent_at else None,
        },
    )
    return report


@transaction.atomic
def do_set_cut_off(actor, province: AdminUnit, *, cut_off: time) -> ReportSetting:
    """Set the province's cut-off hour for the reports of its units made from now on."""
    if not in_scope(actor, Cap.UNITS_EDIT, province):
        raise PermissionDenied(_("Only the province's committee may change its report cut-off time."))
    if province.level != Level.PROVINCE:
        raise ValidationError(_("The cut-off time is set for a province."))
    if not isinstance(cut_off, time):
        raise ValidationError({"cut_off": _("Enter the cut-off time as hours and minutes, e.g. 18:00.")})
    setting = ReportSetting.objects.select_for_update().filter(province=province).first()
    before = setting.cut_off if setting else DEFAULT_CUT_OFF
    if setting is None:
        setting = ReportSetting(province=province)
    setting.cut_off, setting.updated_by, setting.updated_at = cut_off, actor, clock.now()
    setting.save()
    audit.record(
        actor,
        audit.AuditAction.UPDATE,
        setting,
        unit_path=province.path,
        label=_("%(unit)s: report cut-off time %(time)s") % {"unit": province.name, "time": f"{cut_off:%H:%M}"},
        detail={"changed": {"cut_off": [f"{before:%H:%M}", f"{cut_off:%H:%M}"]}},
    )
    return setting


def do_record_export(actor, unit: AdminUnit, day: date, report: DailyReport | None, kind: str) -> None:
    """An export of a unit's daily report (Excel or PDF, saved or a preview) is audited."""
    audit.record(
        actor,
        audit.AuditAction.EXPORT,
        report,
        unit_path=unit.path,
        object_type_label="reports.dailyreport",
        label=_("%(unit)s: daily report of %(day)s") % {"unit": unit.name, "day": f"{day:%d/%m/%Y}"} + f" ({kind})",
        detail={"day": day.isoformat(), "format": kind, "status": report.status if report else "preview"},
    )
