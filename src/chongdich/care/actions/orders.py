"""Home orders: home quarantine of an F1 (R-52), home care of an F0 (R-53, R-54), self-monitoring;
and their end (completed, converted, cancelled).  Home quarantine and self-monitoring move the tracing
status of the person's contacts forward (isolated, reached: ``care.services.tracing``).

Each order stores what the rule was given (``inputs``), the rule version and its reasons, so that the
decision can be explained and printed.  A departure from the rule (an F0 not eligible for home care,
an F1 the rule sends to a facility) needs a written reason, which is recorded.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from chongdich.care import case_link, plans
from chongdich.care.actions.common import (
    already_staying_error,
    check_person_in_scope,
    fmt,
    people_outside_area,
    replay_care,
)
from chongdich.care.actions.tracing import order_released, order_traced
from chongdich.care.models import HomeOrder, OrderKind, OrderStatus
from chongdich.care.rules import Vaccination
from chongdich.care.selectors import open_stay_of
from chongdich.core import audit, clock, dates
from chongdich.surveillance.models import Case, Outcome
from chongdich.tallies.engine import tracked

ONE_DAY = timedelta(days=1)


def recovered_on_of(person_id: int) -> date | None:
    """The day the person last recovered from COVID-19 (R-52 shortens quarantine after a recent recovery)."""
    return (
        Case.objects.filter(person_id=person_id, outcome=Outcome.RECOVERED)
        .order_by("-outcome_on")
        .values_list("outcome_on", flat=True)
        .first()
    )


def _existing(actor, client_id: str | None) -> HomeOrder | None:
    return replay_care(actor, HomeOrder, client_id, refusal=people_outside_area())


def _check_not_in_facility(person) -> None:
    stay = open_stay_of(person.pk)
    if stay is not None:
        raise already_staying_error(person, stay)


def _check_no_active(person, kinds) -> None:
    order = HomeOrder.objects.filter(person=person, status=OrderStatus.ACTIVE, kind__in=kinds).first()
    if order is not None:
        raise ValidationError(
            _("%(name)s is already under an order (%(kind)s) until %(date)s. End it before ordering again.")
            % {"name": person.full_name, "kind": order.get_kind_display(), "date": fmt(order.end)},
            code="already_ordered",
        )


def _save_new(actor, order: HomeOrder) -> HomeOrder:
    order._history_user = actor
    with tracked() as tally:
        try:
            with transaction.atomic():
                order.save()
        except IntegrityError as exc:  # a concurrent order of the same kind for the same person
            raise ValidationError(
                _("%(name)s was just given this order by someone else; reload the page.")
                % {"name": order.person.full_name}
            ) from exc
        tally.add(order)
    return order


def _convert(actor, person, kinds, on: date, why: str) -> None:
    for order in HomeOrder.objects.filter(person=person, status=OrderStatus.ACTIVE, kind__in=kinds):
        _finish(actor, order, OrderStatus.CONVERTED, max(on, order.start), why)


@transaction.atomic
def do_order_home_quarantine(
    actor,
    person,
    *,
    last_exposure: date | None = None,
    contact=None,
    vaccination: Vaccination | None = None,
    recovered_on: date | None = None,
    override_reason: str = "",
    order_number: str = "",
    client_id: str | None = None,
) -> tuple[HomeOrder, bool]:
    """Order an F1 into home quarantine with the R-52 plan in force on the day of last exposure.

    From 15/4/2022 the rule no longer quarantines F1: the order is self-monitoring.  When the rule in
    force prescribes concentrated quarantine, home quarantine needs ``override_reason`` (e.g. the
    province applies the F1 home-quarantine guidance).  Returns (order, created).
    """
    existing = _existing(actor, client_id)
    if existing is not None:
        return existing, False
    check_person_in_scope(actor, person)
    last_exposure = last_exposure or (contact.last_exposure if contact is not None else None)
    if last_exposure is None:
        raise ValidationError(
            {"last_exposure": _("Enter the day of last exposure: the quarantine is counted from it.")}
        )
    dates.check("order.last_exposure", last_exposure)
    dates.check("order.recovered_on", recovered_on)
    case = case_link.active_case_of(person.pk)
    if case is not None:
        raise ValidationError(
            _("%(name)s is an active case (%(number)s): order home care instead of quarantine.")
            % {"name": person.full_name, "number": case.case_number}
        )
    _check_not_in_facility(person)
    _check_no_active(person, [OrderKind.HOME_QUARANTINE, OrderKind.HOME_CARE])
    recovered_on = recovered_on or recovered_on_of(person.pk)
    plan = plans.f1_plan(
        last_exposure, province=person.province_code, vaccination=vaccination, recovered_on=recovered_on
    )
    override_reason = (override_reason or "").strip()
    if plans.prescribes_facility(plan) and not override_reason:
        raise ValidationError(
            _(
                "The rule in force on %(date)s (%(rule)s) prescribes concentrated quarantine for this person. Admit them to a facility, or give the reason for home quarantine (for example: the province applies home quarantine for F1)."
            )
            % {"date": fmt(last_exposure), "rule": plan.rule_version},
            code="facility_prescribed",
        )
    fields = plans.order_fields(plan)
    if fields["kind"] == OrderKind.HOME_QUARANTINE:
        _convert(actor, person, [OrderKind.SELF_MONITORING], fields["start"], _("Replaced by home quarantine"))
    else:
        _check_no_active(person, [OrderKind.SELF_MONITORING])
    order = HomeOrder(
        person=person,
        contact=contact,
        inputs=plans.plan_inputs(last_exposure, vaccination, recovered_on),
        override_reason=override_reason[:300],
        order_number=order_number,
        **fields,
    ).stamp(actor, client_id)
    order.place_in(person.unit)
    _save_new(actor, order)
    audit.record(
        actor,
        audit.AuditAction.CREATE,
        order,
        detail={
            "kind": order.kind,
            "from": order.start.isoformat(),
            "until": order.end.isoformat(),
            "rule": order.rule_version,
            "override": order.override_reason,
        },
    )
    order_traced(actor, order)
    return order, True


def _failed_lines(eligibility) -> list[str]:
    english = (translation.get_language() or "vi").startswith("en")
    lines = []
    for reason in eligibility.reasons:
        if reason.en.startswith(("failed", "missing")):
            lines.append(reason.en if english else reason.vi)
    return lines


@transaction.atomic
def do_order_home_care(
    actor,
    person,
    *,
    on: date,
    facts: plans.HomeCareFacts,
    case=None,
    override_reason: str = "",
    order_number: str = "",
    client_id: str | None = None,
) -> tuple[HomeOrder, bool]:
    """Treat an F0 at home from ``on`` when eligible under the R-53 version in force (QĐ 4038 / QĐ 261).

    Not eligible, or not enough facts to decide: refused with the failed criteria listed, unless an
    authorised ``override_reason`` is given (recorded on the order).  The planned end and the test day
    come from the release rule (R-54); the case's treatment place becomes home.
    """
    existing = _existing(actor, client_id)
    if existing is not None:
        return existing, False
    check_person_in_scope(actor, person)
    case = case or case_link.active_case_of(person.pk)
    if case is None or case.outcome != Outcome.ACTIVE:
        raise ValidationError(
            _("%(name)s has no active case: home care is for confirmed cases (F0).") % {"name": person.full_name}
        )
    if on is None:
        raise ValidationError({"on": _("Enter the first day of home care.")})
    dates.check("order.start", on, field="on")
    if on < case.confirmed_on:
        raise ValidationError(
            _("Home care cannot start before the case was confirmed (%(date)s).") % {"date": fmt(case.confirmed_on)}
        )
    _check_not_in_facility(person)
    _check_no_active(person, [OrderKind.HOME_CARE])
    eligibility = plans.home_care_check(person, case, facts, on)
    override_reason = (override_reason or "").strip()
    if not eligibility.eligible and not override_reason:
        raise ValidationError(
            _(
                "Not eligible for home care under %(rule)s: %(criteria)s. Treat the case in a facility, complete the missing facts, or give the authorised reason for home care."
            )
            % {"rule": eligibility.rule_version, "criteria": "; ".join(_failed_lines(eligibility))},
            code="not_eligible",
        )
    vaccination = plans.vaccination_from(facts.vaccinated_doses, facts.last_dose_date)
    release = plans.home_care_release(case, on, vaccination)
    end, tests = plans.home_care_dates(release, on)
    _convert(actor, person, [OrderKind.HOME_QUARANTINE, OrderKind.SELF_MONITORING], on, _("Became a case"))
    order = HomeOrder(
        person=person,
        kind=OrderKind.HOME_CARE,
        case=case,
        start=on,
        end=end,
        test_days=plans.iso_days(tests),
        rule_version=eligibility.rule_version[:120],
        reasons=plans.reasons_json([*eligibility.reasons, *release.reasons]),
        inputs={
            **facts.as_json(),
            "age": person.age_on(on),
            "severity": case.severity,
            "eligible": eligibility.eligible,
            "failed": eligibility.failed,
            "missing": eligibility.missing,
        },
        override_reason=override_reason[:300],
        order_number=order_number,
    ).stamp(actor, client_id)
    order.place_in(person.unit)
    _save_new(actor, order)
    case_link.case_home(actor, case, on)
    audit.record(
        actor,
        audit.AuditAction.CREATE,
        order,
        detail={
            "kind": order.kind,
            "case": case.pk,
            "eligible": eligibility.eligible,
            "rule": order.rule_version,
            "override": order.override_reason,
        },
    )
    return order, True


@transaction.atomic
def do_order_self_monitoring(
    actor,
    person,
    *,
    start: date,
    end: date,
    contact=None,
    note: str = "",
    client_id: str | None = None,
) -> tuple[HomeOrder, bool]:
    """Ask a person to monitor their health at home from ``start`` to ``end`` (e.g. an F2)."""
    existing = _existing(actor, client_id)
    if existing is not None:
        return existing, False
    check_person_in_scope(actor, person)
    if start is None or end is None:
        raise ValidationError(_("Enter the first and the last day of self-monitoring."))
    if end < start:
        raise ValidationError(
            _("The last day (%(end)s) cannot be before the first day (%(start)s).")
            % {"end": fmt(end), "start": fmt(start)}
        )
    dates.check("order.start", start, field="start")
    dates.check("order.until", end, field="end")
    _check_not_in_facility(person)
    _check_no_active(person, [OrderKind.HOME_QUARANTINE, OrderKind.HOME_CARE, OrderKind.SELF_MONITORING])
    order = HomeOrder(
        person=person,
        kind=OrderKind.SELF_MONITORING,
        start=start,
        end=end,
        self_monitor_until=end,
        contact=contact,
        end_note="",
        inputs={"note": note[:300]} if note else {},
    ).stamp(actor, client_id)
    order.place_in(person.unit)
    _save_new(actor, order)
    audit.record(
        actor,
        audit.AuditAction.CREATE,
        order,
        detail={"kind": order.kind, "from": start.isoformat(), "until": end.isoformat()},
    )
    order_traced(actor, order)
    return order, True


def _finish(actor, order: HomeOrder, status: str, ended_on: date, note: str, *, automatic: bool = False) -> HomeOrder:
    with tracked(order):
        order.status, order.ended_on, order.end_note = status, ended_on, note[:300]
        order._history_user = actor
        order.save()
    detail = {"changed": {"status": [OrderStatus.ACTIVE, status]}, "ended_on": ended_on.isoformat()}
    if automatic:
        detail["automatic"] = True
    audit.record(actor, audit.AuditAction.UPDATE, order, detail=detail)
    return order


def default_end_day(order: HomeOrder, today: date | None = None) -> date:
    """The first day free when an order is completed today: the day after the plan's end once it is reached."""
    today = today or clock.today()
    if order.kind == OrderKind.HOME_CARE:
        return today
    return order.end + ONE_DAY if today >= order.end else today


@transaction.atomic
def do_end_order(actor, order: HomeOrder, *, outcome: str, on: date | None = None, note: str = "") -> HomeOrder:
    """End an active order.

    ``completed``: the person is released on ``on`` (the first day free; by default the day after the
    planned end).  Completing home care certifies recovery: the case is closed as recovered on ``on``.
    ``converted``: the person became a case or moved to a facility on ``on``.  ``cancelled``: entered by
    mistake — the order no longer counts anywhere.
    """
    check_person_in_scope(actor, order.person)
    if order.status != OrderStatus.ACTIVE:
        raise ValidationError(_("This order has already ended (%(status)s).") % {"status": order.get_status_display()})
    today = clock.today()
    if outcome == OrderStatus.CANCELLED:
        if not (note or "").strip():
            raise ValidationError({"note": _("Say why the order is cancelled.")})
        return _finish(actor, order, OrderStatus.CANCELLED, max(order.start, min(today, order.end)), note)
    if outcome not in (OrderStatus.COMPLETED, OrderStatus.CONVERTED):
        raise ValidationError(_("Choose how the order ends."))
    on = on or default_end_day(order, today)
    latest = today
    if outcome == OrderStatus.COMPLETED and order.kind != OrderKind.HOME_CARE and today >= order.end:
        latest = order.end + ONE_DAY  # completing on the last day releases the person tomorrow
    if on > latest:
        raise ValidationError(_("The end (%(date)s) cannot be in the future.") % {"date": fmt(on)})
    if on < order.start or (
        outcome == OrderStatus.COMPLETED and on == order.start and order.kind != OrderKind.HOME_CARE
    ):
        raise ValidationError(
            _("The order cannot end before it started (%(date)s).") % {"date": fmt(order.start)}, code="before_start"
        )
    # The order ends first: closing the case then finds no open home care to end (care.actions.case_sync).
    _finish(actor, order, outcome, on, note)
    if outcome == OrderStatus.COMPLETED and order.kind == OrderKind.HOME_CARE and order.case_id:
        case_link.case_recovered(actor, order.case, on)
    elif outcome == OrderStatus.COMPLETED:
        order_released(actor, order)
    return order
