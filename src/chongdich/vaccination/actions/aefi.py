"""AEFI reports (phản ứng sau tiêm): report one from a dose, edit it later (the district assesses the
causality), and the district's acknowledgement of a serious one.

A serious report alerts the district: it stays in the AEFI inbox of everyone holding
``vaccination.view`` over the report's district (a badge on the vaccination pages, the inbox list)
until someone holding ``vaccination.edit`` there acknowledges it; the acknowledgement is the report's
``alerted_at`` and an audit event naming who.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chongdich.core import audit, clock, dates
from chongdich.core.recorded import replay
from chongdich.core.scoping import in_scope
from chongdich.vaccination.models import EDIT, AefiOutcome, AefiReport, Causality, Dose, Severity
from chongdich.vaccination.selectors.aefi import district_path

AEFI_FIELDS = ("onset_at", "manifestation", "severity", "treatment", "outcome", "reporter", "causality", "note")
TEXT_LIMITS = {"manifestation": 300, "treatment": 300, "reporter": 120, "note": 4000}


def outside_area() -> str:
    return _("You may only report reactions of doses given to people of your area.")


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


def _validate(dose: Dose, data: dict[str, Any]) -> dict[str, Any]:
    """The report's fields, checked and cleaned (texts stripped), or a refusal naming the field."""
    clean = dict(data)
    for name, limit in TEXT_LIMITS.items():
        clean[name] = (clean.get(name) or "").strip()
        if len(clean[name]) > limit:
            raise ValidationError({name: _("At most %(limit)s characters.") % {"limit": limit}})
    if not clean["manifestation"]:
        raise ValidationError({"manifestation": _("Describe the reaction (for example: fever 39 °C, rash).")})
    onset = clean.get("onset_at")
    if not isinstance(onset, datetime) or timezone.is_naive(onset):
        raise ValidationError({"onset_at": _("Enter the day and hour the reaction began.")})
    dates.check("vaccination.aefi_onset", timezone.localtime(onset).date(), "onset_at")
    if onset > clock.now():
        raise ValidationError({"onset_at": _("The onset cannot be in the future.")})
    if dose.given_at is not None and onset < dose.given_at:
        raise ValidationError(
            {"onset_at": _("The reaction cannot begin before the dose (%(given)s).") % {"given": _local(dose.given_at)}}
        )
    if timezone.localtime(onset).date() < dose.given_on:
        raise ValidationError(
            {
                "onset_at": _("The reaction cannot begin before the dose (%(given)s).")
                % {"given": dose.given_on.strftime("%d/%m/%Y")}
            }
        )
    for name, choices in (("severity", Severity), ("outcome", AefiOutcome), ("causality", Causality)):
        if clean.get(name) not in choices.values:
            raise ValidationError({name: _("Choose one of the list.")})
    if clean["outcome"] in (AefiOutcome.DIED, AefiOutcome.SEQUELAE) and clean["severity"] != Severity.SERIOUS:
        raise ValidationError(
            {"severity": _("A death or a lasting disability is a serious reaction: choose “Serious”.")}
        )
    return clean


@transaction.atomic
def do_report_aefi(actor, dose: Dose, *, data: dict[str, Any], client_id: str | None = None) -> tuple[AefiReport, bool]:
    """Report a reaction after ``dose``; a serious one enters the district's AEFI inbox."""
    existing = replay(actor, AefiReport, client_id, capability=EDIT, refusal=outside_area())
    if existing is not None:
        return existing, False
    if not in_scope(actor, EDIT, dose):
        raise PermissionDenied(outside_area())
    if dose.voided_at is not None:
        raise ValidationError(_("This dose was voided: report the reaction on the dose that was really given."))
    clean = _validate(dose, data)
    report = AefiReport(dose=dose, person_id=dose.person_id, **{k: clean[k] for k in AEFI_FIELDS}).stamp(
        actor, client_id
    )
    report.place_in(dose.unit)
    report.save()
    audit.record(
        actor,
        audit.AuditAction.CREATE,
        report,
        label=f"{report._meta.verbose_name} #{report.pk}",
        detail={"dose": dose.pk, "severity": report.severity, "person": dose.person_id},
    )
    return report, True


@transaction.atomic
def do_update_aefi(actor, report: AefiReport, *, data: dict[str, Any]) -> AefiReport:
    """Correct a report or add what was learnt later (outcome, the district's causality class)."""
    if not in_scope(actor, EDIT, report):
        raise PermissionDenied(outside_area())
    merged = {name: getattr(report, name) for name in AEFI_FIELDS} | data
    clean = _validate(report.dose, merged)
    changed = {}
    for name in AEFI_FIELDS:
        if clean[name] != getattr(report, name):
            changed[name] = [str(getattr(report, name)), str(clean[name])]
            setattr(report, name, clean[name])
    if changed:
        report.stamp(actor)
        report.save()
        audit.record(
            actor,
            audit.AuditAction.UPDATE,
            report,
            label=f"{report._meta.verbose_name} #{report.pk}",
            detail={"changed": changed, "person": report.person_id},
        )
    return report


@transaction.atomic
def do_acknowledge_aefi(actor, report: AefiReport) -> tuple[AefiReport, bool]:
    """The district has seen a serious report: it leaves the inbox (``alerted_at``, audited).  A second
    click changes nothing."""
    if not in_scope(actor, EDIT, district_path(report.unit_path)):
        raise PermissionDenied(_("Only the district (or the province) acknowledges serious reactions."))
    locked = AefiReport.objects.select_for_update().get(pk=report.pk)
    if locked.severity != Severity.SERIOUS:
        raise ValidationError(_("Only serious reactions are sent to the district."))
    if locked.alerted_at is not None:
        return locked, False
    locked.alerted_at = clock.now()
    locked.stamp(actor)
    locked.save(update_fields=["alerted_at"])
    audit.record(
        actor,
        audit.AuditAction.UPDATE,
        locked,
        label=f"{locked._meta.verbose_name} #{locked.pk}",
        detail={"acknowledged": locked.alerted_at.isoformat(), "person": locked.person_id},
    )
    return locked, True
