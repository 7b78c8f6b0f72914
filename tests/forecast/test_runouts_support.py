"""Helpers of the runouts tests (no tests here): projections written directly with known paths, and
facilities, beds, stays, labs and vaccine stock saved directly (the thresholds read counts only)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

DAY = date(2021, 8, 1)
H = 14
_persons = itertools.count(1)


def flat(value: float, h: int = H) -> list[float]:
    return [float(value)] * h


def ramp(start: float, step: float, h: int = H) -> list[float]:
    """start + step, start + 2·step, …: the values of the days as_of+1 … as_of+h."""
    return [float(start + step * (i + 1)) for i in range(h)]


def project(unit, day=DAY, h: int = H, **measures):
    """A renewal projection of ``unit`` on ``day``; ``measure=(q50 path, q95 path)`` or one path for both."""
    from chongdich.forecast.models import Method, Projection

    demand = {}
    for measure, paths in measures.items():
        q50, q95 = paths if isinstance(paths, tuple) else (paths, paths)
        demand[measure] = {"q50": list(q50), "q95": list(q95)}
    row = Projection(unit=unit, as_of=day, method=Method.RENEWAL, horizon=h, quantiles={}, demand=demand)
    row.place_in(unit)
    row.save()
    return row


def facility(unit, name: str, *, closed_on=None, **beds):
    """A facility of ``unit`` with ``bed_type=count`` beds from ten days before ``DAY``."""
    from chongdich.care.models import CapacityChange, Facility

    made = Facility(name=name, kind="field_hospital", closed_on=closed_on)
    made.place_in(unit)
    made.save()
    for bed_type, count in beds.items():
        CapacityChange.objects.create(facility=made, bed_type=bed_type, day=DAY - timedelta(days=10), delta=count)
    return made


def occupy(facility, bed_type: str, count: int, make_person, admitted=None):
    """``count`` open stays of ``bed_type`` in ``facility`` (one new person each)."""
    from chongdich.care.models import Stay

    for _ in range(count):
        person = make_person(full_name=f"Người bệnh {next(_persons)}")
        stay = Stay(
            person=person,
            facility=facility,
            bed_type=bed_type,
            purpose="treatment" if bed_type != "quarantine" else "quarantine_f1",
            admitted_on=admitted or DAY - timedelta(days=2),
        )
        stay.place_in(person.unit)
        stay.save()


def runouts(kind=None, day=DAY):
    from chongdich.forecast.models import Runout

    rows = Runout.objects.filter(as_of=day)
    if kind is not None:
        rows = rows.filter(kind=kind)
    return {row.subject_ref: row for row in rows}
