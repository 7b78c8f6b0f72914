"""Daily monitoring of people at home and the alerts raised by warning signs (QĐ 261)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chongdich.care import plans
from chongdich.care.actions.common import check_person_in_scope, people_outside_area, replay_care, user_or_none
from chongdich.care.models import Alert, HomeOrder, MonitoringEntry, OrderStatus
from chongdich.care.rules import InputError
from chongdich.core import audit, clock

# Plausible readings: outside them the value was mistyped (37 typed as 3.7 or 377), not measured.
PLAUSIBLE = {
    "temperature_c": (Decimal("30"), Decimal("45"), "°C"),
    "spo2": (50, 100, "%"),
    "respiratory_rate": (5, 80, "/min"),
    "pulse": (20, 250, "/min"),
}
FEVER_LOOKBACK = timedelta(days=4)  # previous entries read to measure how long a fever has lasted
READINGS = tuple(PLAUSIBLE)


def empty_check_error() -> ValidationError:
    return ValidationError(
        _(
            "Nothing was recorded: enter at least one reading (temperature, SpO2, breathing rate, pulse), a symptom "
            "or a note on the check."
        ),
        code="empty_check",
    )


def is_empty(readings: dict, symptoms, note: str) -> bool:
    """A check with no reading, no symptom and no note says nothing about the person: it is refused
    (it would otherwise count as the day's check and clear the overdue flag)."""
    return all(readings.get(name) is None for name in READINGS) and not symptoms and not (note or "").strip()


def _check_readings(values: dict) -> None:
    errors = {}
    for name, (low, high, unit) in PLAUSIBLE.items():
        value = values.get(name)
        if value is not None and not low <= value <= high:
            errors[name] = _("Check this reading: it should be between %(low)s and %(high)s %(unit)s.") % {
                "low": low,
                "high": high,
                "unit": unit,
            }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def do_record_monitoring(
    actor,
    order: HomeOrder,
    *,
    at: datetime | None = None,
    temperature_c=None,
    spo2=None,
    respiratory_rate=None,
    pulse=None,
    symptoms=(),
    note: str = "",
    client_id: str | None = None,
) -> tuple[MonitoringEntry, Alert | None, bool]:
    """Record one check of a person under a home order; a warning sign raises an alert.

    Returns (entry, alert or None, created); a re-sent ``client_id`` returns the original entry.
    """
    existing = replay_care(actor, MonitoringEntry, client_id, refusal=people_outside_area(), path="order__unit_path")
    if existing is not None:
        return existing, existing.alerts.first(), False
    person = order.person
    check_person_in_scope(actor, person)
    if order.status != OrderStatus.ACTIVE:
        raise ValidationError(_("This order has ended; monitoring entries can only be added to an active order."))
    at = at or clock.now()
    if at > clock.now() + timedelta(minutes=5):
        raise ValidationError({"at": _("The time of the check cannot be in the future.")})
    if timezone.localtime(at).date() < order.start:
        raise ValidationError({"at": _("The check cannot be before the order started.")})
    readings = {"temperature_c": temperature_c, "spo2": spo2, "respiratory_rate": respiratory_rate, "pulse": pulse}
    symptoms = sorted(set(symptoms or ()))
    if is_empty(readings, symptoms, note):
        raise empty_check_error()
    _check_readings(readings)
    known = {code for code, _label in plans.symptom_choices()}
    if set(symptoms) - known:
        raise ValidationError(
            {"symptoms": _("Unknown symptom: %(codes)s.") % {"codes": ", ".join(sorted(set(symptoms) - known))}}
        )
    entry = MonitoringEntry(order=order, at=at, symptoms=symptoms, note=(note or "").strip()[:200], **readings).stamp(
        actor, client_id
    )
    previous = list(order.entries.filter(at__gte=at - FEVER_LOOKBACK, at__lte=at).order_by("at"))
    local_day = timezone.localtime(at).date()
    try:
        result = plans.check_entry(
            entry, age=float(person.age_on(local_day)), previous=previous, province=person.province_code
        )
    except InputError as exc:
        raise ValidationError(exc.en) from exc
    entry.warning = result.alert
    entry.signs = plans.signs_json(result)
    entry.rule_version = result.rule_version[:120]
    entry.save()
    alert = None
    if result.alert:
        alert = Alert(
            person=person,
            order=order,
            entry=entry,
            signs=entry.signs,
            raised_at=at,
            message="; ".join(s.vi for s in result.signs)[:300],
        )
        alert.place_in(person.unit)
        alert.save()
        audit.record(actor, audit.AuditAction.CREATE, alert, label=f"{person.full_name}: {alert.message}"[:200])
    audit.record(
        actor,
        audit.AuditAction.CREATE,
        entry,
        unit_path=order.unit_path,
        label=str(person),
        detail={"order": order.pk, "warning": entry.warning},
    )
    return entry, alert, True


@transaction.atomic
def do_resolve_alert(actor, alert: Alert, *, note: str = "") -> Alert:
    """Mark an alert as handled, saying what was done (called, visited, sent to hospital…)."""
    check_person_in_scope(actor, alert.person)
    if alert.resolved_at is not None:
        return alert
    if not (note or "").strip():
        raise ValidationError({"note": _("Say what was done (for example: called, visited, sent to hospital).")})
    alert.resolved_at, alert.resolved_by, alert.resolution_note = clock.now(), user_or_none(actor), note.strip()[:300]
    alert.save(update_fields=["resolved_at", "resolved_by", "resolution_note"])
    audit.record(actor, audit.AuditAction.UPDATE, alert, detail={"resolved": alert.resolution_note})
    return alert
