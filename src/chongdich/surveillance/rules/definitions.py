"""The F1 (R-50) and F2 (R-51) contact definitions compiled from a rule version, and the test
of one exposure against them — without the time window, which ``contacts`` checks.

A test returns ``(meets, code, missing)``: ``meets`` is True, False or None (cannot tell: an
input is missing), ``code`` names the condition met or failed, ``missing`` the absent input.
No strings are built here: ``ranks`` runs this on millions of exposures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chongdich.surveillance.rules.bounds import number
from chongdich.surveillance.rules.errors import ConfigError
from chongdich.surveillance.rules.exposure import Exposure, ExposureKind

Judgement = tuple[bool | None, str, str | None]

_HOUSEHOLD = ExposureKind.HOUSEHOLD
_PHYSICAL = ExposureKind.PHYSICAL_CONTACT
_CARE = ExposureKind.CARE_WITHOUT_PPE
_ENCLOSED = ExposureKind.SAME_ENCLOSED_SPACE
_CLOSE = (ExposureKind.CLOSE_MASKED, ExposureKind.CLOSE_UNMASKED)
_MASKED = ExposureKind.CLOSE_MASKED
_UNMASKED = ExposureKind.CLOSE_UNMASKED


@dataclass(frozen=True, slots=True)
class F1Rule:
    distance_m: float
    masked_min_minutes: float
    unmasked_min_minutes: float
    physical_contact: bool
    care_without_ppe: bool
    household_is_enclosed_space: bool
    unknown_mask_as_unmasked: bool

    def judge(self, e: Exposure) -> Judgement:
        kind = e.kind
        if kind is _PHYSICAL and self.physical_contact:
            return True, "physical_contact", None
        if kind is _CARE and self.care_without_ppe:
            return True, "care_without_ppe", None
        # Proximity: the same small enclosed space, or within D metres.
        if kind is _ENCLOSED or (kind is _HOUSEHOLD and self.household_is_enclosed_space):
            near: bool | None = True
        elif e.distance_m is not None:
            near = e.distance_m <= self.distance_m
        elif kind in _CLOSE:
            near = True  # recorded as "close" by the tracer under the rule in force [D]
        else:
            near = None
        if near is False:
            return False, "too_far", None
        masked = True if kind is _MASKED else False if kind is _UNMASKED else e.masked
        if masked is None and self.unknown_mask_as_unmasked:
            masked = False
        minutes = e.duration_min if e.duration_min is not None else e.minutes()
        if masked is None:  # mask unknown and not assumed: decidable only when long enough either way
            needed = max(self.masked_min_minutes, self.unmasked_min_minutes)
            if minutes is not None and minutes >= needed:
                return (True, "near_long", None) if near else (None, "near_long", "distance_m")
            return None, "mask_unknown", "masked"
        needed = self.masked_min_minutes if masked else self.unmasked_min_minutes
        if needed > 0:
            if minutes is None:
                return None, "masked_near" if masked else "unmasked_near", "duration_min"
            if minutes < needed:
                return False, "too_short", None
        if near is None:
            return None, "masked_near" if masked else "unmasked_near", "distance_m"
        return True, "masked_near" if masked else "unmasked_near", None


@dataclass(frozen=True, slots=True)
class F2Rule:
    distance_m: float
    physical_contact: bool
    care_without_ppe: bool
    household: bool
    same_enclosed_space: bool
    isolation_day_counts: bool

    def judge(self, e: Exposure) -> Judgement:
        kind = e.kind
        if kind is _PHYSICAL and self.physical_contact:
            return True, "physical_contact", None
        if kind is _CARE and self.care_without_ppe:
            return True, "care_without_ppe", None
        if e.distance_m is not None:
            return (True, "within", None) if e.distance_m <= self.distance_m else (False, "too_far", None)
        if (kind is _HOUSEHOLD and self.household) or (kind is _ENCLOSED and self.same_enclosed_space):
            return True, "shared_space", None
        if kind in _CLOSE:
            return True, "close", None  # recorded as "close" by the tracer [D]
        return None, "within", "distance_m"


def compile_f1(values: Mapping[str, Any], where: str) -> F1Rule:
    return F1Rule(
        distance_m=_positive(values["distance_m"], f"{where}.distance_m"),
        masked_min_minutes=_non_negative(values["masked_min_minutes"], f"{where}.masked_min_minutes"),
        unmasked_min_minutes=_non_negative(values["unmasked_min_minutes"], f"{where}.unmasked_min_minutes"),
        physical_contact=_flag(values["physical_contact"], f"{where}.physical_contact"),
        care_without_ppe=_flag(values["care_without_ppe"], f"{where}.care_without_ppe"),
        household_is_enclosed_space=_flag(
            values["household_is_enclosed_space"], f"{where}.household_is_enclosed_space"
        ),
        unknown_mask_as_unmasked=_flag(values["unknown_mask_as_unmasked"], f"{where}.unknown_mask_as_unmasked"),
    )


def compile_f2(values: Mapping[str, Any], where: str) -> F2Rule:
    return F2Rule(
        distance_m=_positive(values["distance_m"], f"{where}.distance_m"),
        physical_contact=_flag(values["physical_contact"], f"{where}.physical_contact"),
        care_without_ppe=_flag(values["care_without_ppe"], f"{where}.care_without_ppe"),
        household=_flag(values["household"], f"{where}.household"),
        same_enclosed_space=_flag(values["same_enclosed_space"], f"{where}.same_enclosed_space"),
        isolation_day_counts=_flag(values["isolation_day_counts"], f"{where}.isolation_day_counts"),
    )


def _positive(raw: Any, where: str) -> float:
    value = number(raw, where)
    if value <= 0:
        raise ConfigError(f"{where}: must be > 0, got {raw!r}")
    return value


def _non_negative(raw: Any, where: str) -> float:
    value = number(raw, where)
    if value < 0:
        raise ConfigError(f"{where}: must be ≥ 0, got {raw!r}")
    return value


def _flag(raw: Any, where: str) -> bool:
    if type(raw) is not bool:
        raise ConfigError(f"{where}: expected true or false, got {raw!r}")
    return raw
