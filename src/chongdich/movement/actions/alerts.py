"""Alerts to the commune: raised by the system (an arrival from an epidemic area, a declaration with
symptoms, a green-lane trip overdue) or reported by a person (an undeclared arrival); taken by an
officer, done with an outcome.

``raise_alert`` runs inside the caller's transaction (the event ingest's ``after`` step, the trip
sweep): one alert per (kind, source) — a re-sent source returns None and writes nothing — and the
alerts' tallies are kept.  An arrival's alert carries the plan the care rules give for an arrival
from an epidemic area on that day (R-52, counted from the day of arrival, as for an entrant) so the
commune sees what to order before opening anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import IntegrityError, transaction

from chongdich.movement.models import Alert, AlertKind, Direction, PassageAction
from chongdich.tallies.engine import tracked
from chongdich.territory.models import AdminUnit

# -- the plan the care rules give -----------------------------------------------------------------------


def arrival_plan(arrived_on: date, province_code: str | None) -> dict:
    """The quarantine or monitoring plan of the care rules for an arrival from an epidemic area on
    ``arrived_on`` (the day of arrival is day 1, as the last exposure of an F1), as stored in an
    alert's ``detail["plan"]``; ``{"error": …}`` when the rules give none for that day."""
    from chongdich.care import plans  # noqa: PLC0415 - care's rules, read when an arrival is alerted
    from chongdich.care.rules import ConfigError, InputError  # noqa: PLC0415

    try:
        plan = plans.f1_plan(arrived_on, province=province_code or None)
    except (InputError, ConfigError, ValueError) as exc:
        return {"error": str(exc)[:200], "arrived_on": arrived_on.isoformat()}
    return {
        "arrived_on": arrived_on.isoformat(),
        "place": str(plan.place),
        "place_vi": plan.place.vi,
        "place_en": plan.place.en,
        "days": plan.days,
        "start": plan.start.isoformat(),
        "end": plan.end.isoformat() if plan.end else None,
        "self_monitor_days": plan.self_monitor_days,
        "self_monitor_until": plan.self_monitor_end.isoformat() if plan.self_monitor_end else None,
        "test_days": sorted({d.isoformat() for d in plan.test_days}),
        "rule_version": plan.rule_version,
        "reasons": plans.reasons_json(plan.reasons),
    }


# -- raising --------------------------------------------------------------------------------------------


def _commune_of(unit) -> AdminUnit | None:
    """The commune that acts for ``unit`` (a village's commune; a commune itself; else the unit)."""
    if unit is None:
        return None
    if unit.commune_code and unit.code != unit.commune_code:
        return AdminUnit.objects.filter(code=unit.commune_code).first() or unit
    return unit


def raise_alert(
    kind: str,
    source_ref: str,
    unit,
    *,
    day: date,
    raised_at: datetime,
    full_name: str = "",
    phone: str = "",
    birth_year: int | None = None,
    person=None,
    origin_commune_code: str = "",
    origin_level: str = "",
    arrived_on: date | None = None,
    trip=None,
    detail: dict | None = None,
) -> Alert | None:
    """Raise an alert of ``kind`` from ``source_ref`` ("declaration:12", "passage:7", "trip:3",
    "report:…") to the commune ``unit`` that must act; None when that source raised it before (or
    there is no unit to tell).  Runs in the caller's transaction; no actor (the system)."""
    unit = _commune_of(unit)
    if unit is None or not source_ref:
        return None
    if Alert.objects.filter(kind=kind, source_ref=source_ref).exists():
        return None
    alert = Alert(
        kind=kind,
        source_ref=source_ref[:40],
        raised_at=raised_at,
        day=day,
        full_name=(full_name or "")[:120],
        phone=(phone or "")[:16],
        birth_year=birth_year,
        person=person,
        origin_commune_code=origin_commune_code or "",
        origin_level=(origin_level or "")[:8],
        arrived_on=arrived_on,
        trip=trip,
        detail=detail or {},
    ).stamp(None)
    alert.place_in(unit)
    with tracked() as tally:
        try:
            with transaction.atomic():
                alert.save()
        except IntegrityError:  # raised concurrently by another sender of the same source
            return None
        tally.add(alert)
    return alert


def _local_day(at: datetime) -> date:
    from django.utils import timezone  # noqa: PLC0415

    return timezone.localtime(at).date()


def alerts_for_declarations(rows: Iterable) -> list[Alert]:
    """The ``after`` step of the declarations' ingest: an arrival alert for a declarant from an
    epidemic area (as the row says), a symptoms alert for one with symptoms (to the health station's
    list, for a test)."""
    raised: list[Alert] = []
    for row in rows:
        common = {
            "day": row.day,
            "raised_at": row.received_at,
            "full_name": row.full_name,
            "phone": row.phone,
            "birth_year": row.birth_year,
            "origin_commune_code": row.arrived_from_commune_code,
            "origin_level": row.arrived_from_level,
            "arrived_on": row.arrived_on,
        }
        ref = f"declaration:{row.pk}"
        if row.from_watched_area:
            arrived = row.arrived_on or row.day
            detail = {
                "receipt": row.receipt,
                "came_from": row.arrived_from_text,
                "transport": row.transport,
                "symptoms": list(row.symptoms or []),
                "exposures": list(row.exposures or []),
                "plan": arrival_plan(arrived, row.province_code),
            }
            alert = raise_alert(AlertKind.WATCHED_ARRIVAL, ref, row.unit, detail=detail, **common)
            if alert is not None:
                raised.append(alert)
        if row.symptomatic:
            detail = {
                "receipt": row.receipt,
                "symptoms": list(row.symptoms or []),
                "exposures": list(row.exposures or []),
            }
            alert = raise_alert(AlertKind.SYMPTOMS, ref, row.unit, detail=detail, **common)
            if alert is not None:
                raised.append(alert)
    return raised


def alerts_for_passages(rows: Iterable) -> list[Alert]:
    """The ``after`` step of the passages' ingest: an inbound passage from an epidemic area (as the
    row says) that was not turned back is an arrival for the destination commune (the checkpoint's
    commune when no destination was given).  A green-lane trip is followed by its own alerts."""
    raised: list[Alert] = []
    destinations: dict[str, AdminUnit | None] = {}
    for row in rows:
        if not row.from_watched_area or row.direction != Direction.IN or row.action == PassageAction.TURNED_BACK:
            continue
        if row.trip_id:
            continue
        code = row.destination_commune_code
        if code and code not in destinations:
            destinations[code] = AdminUnit.objects.filter(code=code).first()
        unit = destinations.get(code) if code else None
        unit = unit or row.unit
        day = row.day or _local_day(row.at)
        detail = {
            "checkpoint": row.checkpoint_id,
            "plate": row.plate,
            "people_on_board": row.people_on_board,
            "checkpoint_action": row.action,
            "plan": arrival_plan(day, unit.province_code if unit is not None else row.province_code),
        }
        alert = raise_alert(
            AlertKind.WATCHED_ARRIVAL,
            f"passage:{row.pk}",
            unit,
            day=day,
            raised_at=row.at,
            full_name=row.full_name,
            phone=row.phone,
            person=row.person if row.person_id else None,
            origin_commune_code=row.origin_commune_code,
            origin_level=row.origin_level,
            arrived_on=day,
            detail=detail,
        )
        if alert is not None:
            raised.append(alert)
    return raised
