"""Classifying one exposure: F1 of an F0 (R-50) and F2 of an F1 (R-51).

The definition used is the one in force on the day of the exposure.  An exposure spanning a
change of definition (e.g. 14–15/4/2022) is judged under each version in force on its days
inside the window; it counts if it meets the definition in force on any of those days [D]: the
contact happened while that definition applied.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from chongdich.surveillance.rules.bounds import fmt, fmt_vi
from chongdich.surveillance.rules.config import F1_KEY, F2_KEY, SurveillanceConfig, resolve
from chongdich.surveillance.rules.dates import ONE_DAY, as_date, optional_date, vi_date
from chongdich.surveillance.rules.definitions import F1Rule, F2Rule, Judgement, compile_f1, compile_f2
from chongdich.surveillance.rules.errors import InputError
from chongdich.surveillance.rules.exposure import ContactLevel, Exposure, ExposureKind
from chongdich.surveillance.rules.infectious import InfectiousPeriod
from chongdich.surveillance.rules.reasons import Reason

MISSING_NAMES = {
    "distance_m": ("khoảng cách", "distance"),
    "duration_min": ("thời gian tiếp xúc", "duration"),
    "masked": ("có đeo khẩu trang hay không", "whether masked"),
}


@dataclass(frozen=True, slots=True)
class ContactDecision:
    """``level`` F1/F2, or None (not a contact, or undetermined when ``missing`` is not empty)."""

    level: ContactLevel | None
    rule_version: str
    condition: str | None  # code of the condition met (or failed), e.g. "masked_near", "too_far"
    reasons: list[Reason] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # inputs that would decide an undetermined case

    @property
    def is_contact(self) -> bool:
        return self.level is not None


def classify_exposure(
    exposure: Exposure,
    f0_infectious_period: InfectiousPeriod,
    config: SurveillanceConfig | None = None,
    *,
    province: str | None = None,
) -> ContactDecision:
    """F1 if the exposure overlaps the F0's infectious period and meets the F1 definition in
    force on an overlapping day (R-50)."""
    config = resolve(config)
    first, last = exposure.first_day, exposure.last_day
    window = f0_infectious_period.overlap(first, last)
    if window is None:
        version = config.rule(F1_KEY, first, province)
        end = "…" if f0_infectious_period.last_day is None else vi_date(f0_infectious_period.last_day)
        end_en = "…" if f0_infectious_period.last_day is None else f0_infectious_period.last_day.isoformat()
        return ContactDecision(
            None,
            version.version,
            "outside_period",
            [
                Reason(
                    "R-50",
                    f"tiếp xúc {_days_vi(first, last)} ngoài thời kỳ lây truyền của F0 "
                    f"({vi_date(f0_infectious_period.start)} – {end}) → không phải F1",
                    f"exposure {_days_en(first, last)} outside the F0's infectious period "
                    f"({f0_infectious_period.start} – {end_en}) → not F1",
                )
            ],
        )
    return _judge(exposure, window, config, province, F1_KEY, compile_f1, ContactLevel.F1, "R-50")


def classify_secondary(
    exposure_to_f1: Exposure,
    f1_exposure_start: date | datetime,
    f1_isolation_start: date | datetime | None,
    config: SurveillanceConfig | None = None,
    *,
    province: str | None = None,
) -> ContactDecision:
    """F2 if the exposure (with the F1) is within 2 m and falls between the F1's exposure to the
    F0 and the F1's isolation start (R-51, QĐ 3638).  ``f1_isolation_start`` None = the F1 is
    not isolated yet (window still open)."""
    config = resolve(config)
    first, last = exposure_to_f1.first_day, exposure_to_f1.last_day
    window_start = as_date(f1_exposure_start, "f1_exposure_start")
    isolation = optional_date(f1_isolation_start, "f1_isolation_start")
    if isolation is not None and isolation < window_start:
        raise InputError(
            "f1_isolation_start",
            "ngày cách ly F1 trước ngày F1 tiếp xúc với F0",
            "the F1's isolation starts before the F1's exposure to the F0",
        )
    _, head = config.compiled(F2_KEY, first, province, compile_f2)
    window_end = None if isolation is None else isolation if head.isolation_day_counts else isolation - ONE_DAY
    low = max(first, window_start)
    high = last if window_end is None else min(last, window_end)
    if low > high:
        version = config.rule(F2_KEY, first, province)
        end_vi = "nay" if window_end is None else vi_date(window_end)
        end_en = "now" if window_end is None else window_end.isoformat()
        return ContactDecision(
            None,
            version.version,
            "outside_window",
            [
                Reason(
                    "R-51",
                    f"tiếp xúc {_days_vi(first, last)} ngoài khoảng từ khi F1 tiếp xúc F0 ({vi_date(window_start)}) "
                    f"đến khi F1 được cách ly ({end_vi}) → không phải F2",
                    f"exposure {_days_en(first, last)} outside the window from the F1's exposure ({window_start}) to the "
                    f"F1's isolation ({end_en}) → not F2",
                )
            ],
        )
    return _judge(exposure_to_f1, (low, high), config, province, F2_KEY, compile_f2, ContactLevel.F2, "R-51")


def _judge(
    e: Exposure,
    window: tuple[date, date],
    config: SurveillanceConfig,
    province: str | None,
    key: str,
    compile_rule: Callable[[Mapping[str, Any], str], F1Rule | F2Rule],
    level: ContactLevel,
    rule: str,
) -> ContactDecision:
    results: list[tuple[Judgement, str, F1Rule | F2Rule]] = []
    for day in config.boundaries(key, window[0], window[1], province):
        version, params = config.compiled(key, day, province, compile_rule)
        judgement = params.judge(e)
        results.append((judgement, version.version, params))
        if judgement[0] is True:
            break
    (meets, code, missing), name, params = next((r for r in results if r[0][0] is True), None) or next(
        (r for r in results if r[0][0] is None), results[-1]
    )
    reasons = [_explain(e, params, name, (meets, code, missing), level, rule)]
    if len(results) > 1:
        names = ", ".join(r[1] for r in results)
        reasons.append(
            Reason(
                rule,
                f"tiếp xúc kéo dài qua ngày thay đổi định nghĩa; đã xét: {names}",
                f"exposure spans a change of definition; judged under: {names}",
            )
        )
    if meets is True:
        return ContactDecision(level, name, code, reasons)
    return ContactDecision(None, name, code, reasons, [missing] if meets is None and missing else [])


def _explain(
    e: Exposure, p: F1Rule | F2Rule, version: str, judgement: Judgement, level: ContactLevel, rule: str
) -> Reason:
    meets, code, missing = judgement
    label = level.label
    other = "F0" if level is ContactLevel.F1 else "F1"
    verdict_vi = f"→ {label}" if meets else f"→ không phải {label}" if meets is False else f"→ chưa xác định {label}"
    verdict_en = f"→ {label}" if meets else f"→ not {label}" if meets is False else f"→ {label} undetermined"
    where_vi = f"(theo {version})"
    where_en = f"(per {version})"
    if meets is None and missing:
        name_vi, name_en = MISSING_NAMES[missing]
        return Reason(
            rule,
            f"{e.kind.vi}: thiếu {name_vi} để kết luận {verdict_vi} {where_vi}",
            f"{e.kind.en}: {name_en} needed to decide {verdict_en} {where_en}",
        )
    d = fmt(p.distance_m)
    d_vi = fmt_vi(p.distance_m)
    if code == "physical_contact":
        text = ("tiếp xúc cơ thể trực tiếp", "direct physical contact")
    elif code == "care_without_ppe":
        text = ("chăm sóc, thăm khám không đủ phương tiện phòng hộ", "care or examination without full PPE")
    elif code == "too_far":
        text = (f"khoảng cách {fmt_vi(e.distance_m or 0)} m > {d_vi} m", f"distance {fmt(e.distance_m or 0)} m > {d} m")
    elif code == "too_short":
        minutes = e.minutes() or 0
        limit = p.masked_min_minutes if isinstance(p, F1Rule) else 0
        text = (
            f"có đeo khẩu trang, {fmt_vi(round(minutes, 1))} phút < {fmt_vi(limit)} phút",
            f"masked, {fmt(round(minutes, 1))} min < {fmt(limit)} min",
        )
    elif code in ("masked_near", "unmasked_near", "near_long"):
        assert isinstance(p, F1Rule)
        space_vi, space_en = _proximity(e, p)
        if code == "masked_near":
            minutes = e.minutes() or 0
            text = (
                f"có đeo khẩu trang, {space_vi}, {fmt_vi(round(minutes, 1))} phút ≥ "
                f"{fmt_vi(p.masked_min_minutes)} phút",
                f"masked, {space_en}, {fmt(round(minutes, 1))} min ≥ {fmt(p.masked_min_minutes)} min",
            )
        elif code == "unmasked_near":
            assumed = e.is_masked() is None
            text = (
                f"không đeo khẩu trang{' (không ghi nhận, coi như không đeo)' if assumed else ''}, {space_vi}",
                f"unmasked{' (not recorded, assumed unmasked)' if assumed else ''}, {space_en}",
            )
        else:
            text = (f"{space_vi}, đủ lâu dù có đeo khẩu trang hay không", f"{space_en}, long enough masked or not")
    else:  # F2: "within", "shared_space", "close"
        if e.distance_m is not None:
            text = (f"khoảng cách {fmt_vi(e.distance_m)} m ≤ {d_vi} m", f"distance {fmt(e.distance_m)} m ≤ {d} m")
        else:
            text = (f"{e.kind.vi} (coi như trong phạm vi {d_vi} m)", f"{e.kind.en} (taken as within {d} m)")
    return Reason(
        rule, f"{text[0]} với {other} {verdict_vi} {where_vi}", f"{text[1]} with the {other} {verdict_en} {where_en}"
    )


def _proximity(e: Exposure, p: F1Rule) -> tuple[str, str]:
    if e.kind is ExposureKind.SAME_ENCLOSED_SPACE or (
        e.kind is ExposureKind.HOUSEHOLD and p.household_is_enclosed_space
    ):
        return "cùng không gian kín nhỏ", "same small enclosed space"
    if e.distance_m is None:
        return (
            f"tiếp xúc gần (coi như trong phạm vi {fmt_vi(p.distance_m)} m)",
            f"close contact (taken as within {fmt(p.distance_m)} m)",
        )
    return (
        f"khoảng cách {fmt_vi(e.distance_m)} m ≤ {fmt_vi(p.distance_m)} m",
        f"distance {fmt(e.distance_m)} m ≤ {fmt(p.distance_m)} m",
    )


def _days_vi(first: date, last: date) -> str:
    return f"ngày {vi_date(first)}" if first == last else f"từ {vi_date(first)} đến {vi_date(last)}"


def _days_en(first: date, last: date) -> str:
    return f"on {first}" if first == last else f"from {first} to {last}"
