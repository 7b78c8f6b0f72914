"""Exposures (one contact event between two people) and contact levels F0 … F5."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, datetime
from enum import IntEnum, StrEnum

from chongdich.surveillance.rules.dates import as_date
from chongdich.surveillance.rules.errors import InputError


class ExposureKind(StrEnum):
    HOUSEHOLD = "household"  # living in the same home: a small enclosed space
    PHYSICAL_CONTACT = "physical_contact"  # handshake, hug, kiss, skin/body contact — R-50 (1)
    CLOSE_MASKED = "close_masked"  # close contact, masked — R-50 (2)
    CLOSE_UNMASKED = "close_unmasked"  # close contact, unmasked — R-50 (3)
    SAME_ENCLOSED_SPACE = "same_enclosed_space"  # same small enclosed space — R-50 (2)/(3)
    CARE_WITHOUT_PPE = "care_without_ppe"  # care/examination without full PPE — R-50 (4)
    OTHER = "other"  # anything else: judged on distance, mask and duration only

    @property
    def vi(self) -> str:
        return KIND_NAMES[self][0]

    @property
    def en(self) -> str:
        return KIND_NAMES[self][1]


KIND_NAMES = {
    ExposureKind.HOUSEHOLD: ("sống cùng nhà", "same household"),
    ExposureKind.PHYSICAL_CONTACT: ("tiếp xúc cơ thể trực tiếp", "direct physical contact"),
    ExposureKind.CLOSE_MASKED: ("tiếp xúc gần có đeo khẩu trang", "close contact, masked"),
    ExposureKind.CLOSE_UNMASKED: ("tiếp xúc gần không đeo khẩu trang", "close contact, unmasked"),
    ExposureKind.SAME_ENCLOSED_SPACE: ("cùng không gian kín nhỏ", "same small enclosed space"),
    ExposureKind.CARE_WITHOUT_PPE: (
        "chăm sóc, thăm khám không đủ phương tiện phòng hộ",
        "care or examination without full PPE",
    ),
    ExposureKind.OTHER: ("tiếp xúc khác", "other contact"),
}


_KIND_BY_VALUE = {kind.value: kind for kind in ExposureKind}
_NUMBERS = (int, float)


def exposure_kind(value: object) -> ExposureKind:
    """``value`` (a member or its string) as an ``ExposureKind``; ``InputError`` otherwise."""
    member = _KIND_BY_VALUE.get(value) if isinstance(value, str) else None
    if member is None:
        raise InputError(
            "kind",
            f"loại tiếp xúc không hợp lệ: {value!r}",
            f"unknown exposure kind {value!r}; expected one of {list(_KIND_BY_VALUE)}",
        )
    return member


class ContactLevel(IntEnum):
    """Rank in the tracing chain: F0 confirmed case, F1 close contact of an F0, F2 contact of an
    F1 (national definitions); F3–F5 local tracing practice [R]."""

    F0 = 0
    F1 = 1
    F2 = 2
    F3 = 3
    F4 = 4
    F5 = 5

    @property
    def label(self) -> str:
        return f"F{int(self)}"


@dataclass(frozen=True, slots=True)
class Exposure:
    """One contact between ``source`` and ``contact`` (person ids; the graph treats them as
    symmetric).  ``start``/``end`` are dates or local datetimes; ``end`` defaults to ``start``.
    ``None`` in an optional field means "not recorded", never zero."""

    kind: ExposureKind
    start: date | datetime
    end: date | datetime | None = None
    distance_m: float | None = None
    duration_min: float | None = None
    masked: bool | None = None
    source: Hashable | None = None
    contact: Hashable | None = None

    def __post_init__(self) -> None:  # fast paths first: millions of exposures may be built
        kind = self.kind
        if kind.__class__ is not ExposureKind:
            kind = exposure_kind(kind)
            object.__setattr__(self, "kind", kind)
        start, end = self.start, self.end
        if start.__class__ is not date:
            as_date(start, "start")
        if end is not None:
            first, last = as_date(start, "start"), as_date(end, "end")
            if last < first or (isinstance(start, datetime) and isinstance(end, datetime) and end < start):
                raise InputError("end", "thời điểm kết thúc trước thời điểm bắt đầu", "end is before start")
        distance, duration, masked = self.distance_m, self.duration_min, self.masked
        if distance is not None and (distance.__class__ not in _NUMBERS or not distance >= 0):
            raise InputError(
                "distance_m", f"phải là số ≥ 0, nhận {distance!r}", f"must be a number ≥ 0, got {distance!r}"
            )
        if duration is not None and (duration.__class__ not in _NUMBERS or not duration >= 0):
            raise InputError(
                "duration_min", f"phải là số ≥ 0, nhận {duration!r}", f"must be a number ≥ 0, got {duration!r}"
            )
        if masked is not None:
            if masked.__class__ is not bool:
                raise InputError("masked", "phải là true/false", "must be true or false")
            if (kind is ExposureKind.CLOSE_MASKED and not masked) or (kind is ExposureKind.CLOSE_UNMASKED and masked):
                raise InputError(
                    "masked", f"mâu thuẫn với loại tiếp xúc '{kind.vi}'", f"contradicts the exposure kind '{kind.en}'"
                )

    @property
    def first_day(self) -> date:
        return as_date(self.start, "start")

    @property
    def last_day(self) -> date:
        return as_date(self.end if self.end is not None else self.start, "end")

    def minutes(self) -> float | None:
        """``duration_min`` if recorded, else end − start when both are datetimes [D], else None."""
        if self.duration_min is not None:
            return self.duration_min
        if isinstance(self.start, datetime) and isinstance(self.end, datetime):
            return (self.end - self.start).total_seconds() / 60
        return None

    def is_masked(self) -> bool | None:
        if self.kind is ExposureKind.CLOSE_MASKED:
            return True
        if self.kind is ExposureKind.CLOSE_UNMASKED:
            return False
        return self.masked
