"""Active cases under treatment (R-55 [D]): ``confirmed − recovered − deaths − transferred
out`` (all cumulative up to the same day), which must equal the sum over treatment places
(hospital, concentrated facility, home).  Home-treated F0 count as active until the commune
health station certifies recovery."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from chongdich.surveillance.rules.config import ACTIVE_KEY, SurveillanceConfig, resolve
from chongdich.surveillance.rules.errors import InputError
from chongdich.surveillance.rules.reasons import Reason

R = "R-55"
PLACE_NAMES = {
    "hospital": ("bệnh viện", "hospital"),
    "concentrated": ("cơ sở điều trị tập trung", "concentrated facility"),
    "home": ("tại nhà", "home"),
}


@dataclass(frozen=True, slots=True)
class ActiveCount:
    active: int
    by_place: dict[str, int] = field(default_factory=dict)
    rule_version: str = ""
    reasons: list[Reason] = field(default_factory=list)


def active_count(
    confirmed: int,
    recovered: int,
    deaths: int,
    transferred_out: int,
    by_place: Mapping[str, int] | None = None,
    *,
    on: date | None = None,
    province: str | None = None,
    config: SurveillanceConfig | None = None,
) -> ActiveCount:
    """Active cases; with ``by_place`` also checks that the places add up to it.  Raises
    ``InputError`` for negative counts, more outcomes than cases, unknown places or a mismatch.
    ``on`` (the date of the counts) picks the rule version; None = the version still in force."""
    counts = {"confirmed": confirmed, "recovered": recovered, "deaths": deaths, "transferred_out": transferred_out}
    for name, value in counts.items():
        _count(name, value)
    closed = recovered + deaths + transferred_out
    if closed > confirmed:
        raise InputError(
            "confirmed",
            f"số khỏi + tử vong + chuyển đi ({closed}) lớn hơn số ca xác nhận ({confirmed})",
            f"recovered + deaths + transferred out ({closed}) exceed confirmed cases ({confirmed})",
        )
    active = confirmed - closed
    version = resolve(config).rule(ACTIVE_KEY, date.max if on is None else on, province)
    reasons = [
        Reason(
            R,
            f"đang điều trị = {confirmed} − {recovered} − {deaths} − {transferred_out} = {active}",
            f"active = {confirmed} − {recovered} − {deaths} − {transferred_out} = {active}",
        )
    ]
    places: dict[str, int] = {}
    if by_place is not None:
        allowed = list(version.values["places"])
        unknown = sorted(set(by_place) - set(allowed))
        if unknown:
            raise InputError(
                "by_place",
                f"nơi điều trị không hợp lệ: {unknown} (cho phép: {allowed})",
                f"unknown treatment places {unknown} (allowed: {allowed})",
            )
        for place, value in by_place.items():
            places[place] = _count(f"by_place.{place}", value)
        total = sum(places.values())
        if total != active:
            raise InputError(
                "by_place",
                f"tổng theo nơi điều trị ({total}) khác số đang điều trị ({active})",
                f"the sum over treatment places ({total}) differs from active cases ({active})",
            )
        parts_vi = ", ".join(f"{PLACE_NAMES.get(p, (p, p))[0]} {n}" for p, n in places.items())
        parts_en = ", ".join(f"{PLACE_NAMES.get(p, (p, p))[1]} {n}" for p, n in places.items())
        reasons.append(
            Reason(R, f"khớp tổng theo nơi điều trị: {parts_vi}", f"matches the sum over places: {parts_en}")
        )
    return ActiveCount(active, places, version.version, reasons)


def _count(name: str, value: object) -> int:
    if type(value) is not int or value < 0:
        raise InputError(name, f"phải là số nguyên ≥ 0, nhận {value!r}", f"must be an integer ≥ 0, got {value!r}")
    return value
