"""Helpers of the alerts tests: declarations and passages written through the one event writer,
published risk levels."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time

from django.utils import timezone

_serial = itertools.count(1)


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def publish_level(unit, day: date, level: int, framework: str = "4800") -> None:
    from chongdich.risk.models import RiskAssessment

    RiskAssessment.objects.create(
        unit=unit,
        code=unit.code,
        name=unit.name,
        tier=unit.level,
        unit_path=unit.path,
        province_code=unit.province_code,
        day=day,
        framework=framework,
        rule_version="t",
        announced_at=at(day, 0),
        in_force_framework=framework,
        in_force_level=level,
        in_force_since=at(day, 0),
    )


def declaration(unit, day: date, *, watched=False, symptoms=(), origin="", client_id=None, **fields):
    from chongdich.movement.models import Declaration

    n = next(_serial)
    row = Declaration(
        received_at=fields.pop("received_at", at(day)),
        day=day,
        client_id=client_id,
        receipt=f"R{n:07d}",
        full_name=fields.pop("full_name", "Trần Thị Bình"),
        birth_year=fields.pop("birth_year", 1990),
        sex=fields.pop("sex", "female"),
        phone=fields.pop("phone", f"+8490{n:07d}"),
        arrived_from_commune_code=origin,
        arrived_from_level="red" if watched else "",
        arrived_on=fields.pop("arrived_on", day if origin else None),
        symptoms=list(symptoms),
        symptomatic=bool(symptoms),
        from_watched_area=watched,
        **fields,
    )
    row.place_in(unit)
    return row


def save_declarations(rows):
    from chongdich.movement.actions.alerts import alerts_for_declarations
    from chongdich.movement.ingest import save_events
    from chongdich.movement.models import Declaration

    return save_events(Declaration, rows, after=alerts_for_declarations)


def checkpoint(unit, code="CP1"):
    from chongdich.movement.models import Checkpoint, CheckpointKind

    cp = Checkpoint(code=code, name=f"Chốt {code}", kind=CheckpointKind.PROVINCE_BORDER)
    cp.place_in(unit)
    cp.save()
    return cp


def passage(cp, day: date, *, watched=False, destination="", client_id=None, **fields):
    from chongdich.movement.models import Passage

    row = Passage(
        at=fields.pop("at", at(day, 10)),
        day=day,
        received_at=at(day, 10),
        client_id=client_id,
        checkpoint=cp,
        direction=fields.pop("direction", "in"),
        subject=fields.pop("subject", "vehicle"),
        plate=fields.pop("plate", "51C12345"),
        vehicle_type="car",
        full_name=fields.pop("full_name", "Lê Văn Cường"),
        origin_commune_code=fields.pop("origin", "26734" if watched else ""),
        origin_level="red" if watched else "",
        from_watched_area=watched,
        destination_commune_code=destination,
        action=fields.pop("action", "through"),
        **fields,
    )
    row.place_in(cp.unit)
    return row


def save_passages(rows):
    from chongdich.movement.actions.alerts import alerts_for_passages
    from chongdich.movement.ingest import save_events
    from chongdich.movement.models import Passage

    return save_events(Passage, rows, after=alerts_for_passages)
