"""The infectious period of an F0 (spec §4.1, used by R-50): from 2 days before symptom onset
(asymptomatic: 2 days before the first positive sample) until the first negative test or the
first sample with Ct > 30."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from chongdich.surveillance.rules.bounds import number
from chongdich.surveillance.rules.config import INFECTIOUS_KEY, SurveillanceConfig, resolve
from chongdich.surveillance.rules.dates import ONE_DAY, optional_date, vi_date
from chongdich.surveillance.rules.errors import ConfigError, InputError
from chongdich.surveillance.rules.reasons import Reason

ANCHORS = ("earliest", "onset_first")


@dataclass(frozen=True, slots=True)
class InfectiousParams:
    days_before_onset: int
    days_before_positive_sample: int
    anchor: str
    ct_threshold: float
    end_inclusive: bool


def compile_params(values: Mapping[str, Any], where: str) -> InfectiousParams:
    anchor = values["anchor"]
    if anchor not in ANCHORS:
        raise ConfigError(f"{where}.anchor: expected one of {list(ANCHORS)}, got {anchor!r}")
    days = {}
    for name in ("days_before_onset", "days_before_positive_sample"):
        value = number(values[name], f"{where}.{name}")
        if type(value) is not int or value < 0:
            raise ConfigError(f"{where}.{name}: expected a whole number of days ≥ 0, got {value!r}")
        days[name] = value
    if type(values["end_inclusive"]) is not bool:
        raise ConfigError(f"{where}.end_inclusive: expected true or false")
    return InfectiousParams(
        anchor=anchor,
        ct_threshold=number(values["ct_threshold"], f"{where}.ct_threshold"),
        end_inclusive=values["end_inclusive"],
        **days,
    )


@dataclass(frozen=True, slots=True)
class InfectiousPeriod:
    """Days ``start`` … ``last_day`` inclusive; ``last_day`` None = still infectious (open)."""

    start: date
    last_day: date | None
    anchor: str  # "onset" or "positive_sample"
    rule_version: str = ""
    reasons: list[Reason] = field(default_factory=list)

    def contains(self, day: date) -> bool:
        return self.start <= day and (self.last_day is None or day <= self.last_day)

    def overlap(self, first: date, last: date) -> tuple[date, date] | None:
        """The part of the days ``first`` … ``last`` inside the period, or None."""
        low = max(first, self.start)
        high = last if self.last_day is None else min(last, self.last_day)
        return (low, high) if low <= high else None


def infectious_period(
    onset_date: date | datetime | None,
    first_positive_sample_date: date | datetime | None,
    first_negative_date: date | datetime | None = None,
    ct_above_30_date: date | datetime | None = None,
    *,
    config: SurveillanceConfig | None = None,
    province: str | None = None,
) -> InfectiousPeriod:
    """The F0's infectious period.  ``onset_date`` None = asymptomatic.  The rule version is the
    one in force on the anchor date.  Raises ``InputError`` without any anchor or when the end
    is before the start."""
    onset = optional_date(onset_date, "onset_date")
    positive = optional_date(first_positive_sample_date, "first_positive_sample_date")
    negative = optional_date(first_negative_date, "first_negative_date")
    ct_end = optional_date(ct_above_30_date, "ct_above_30_date")
    if onset is None and positive is None:
        raise InputError(
            "onset_date",
            "cần ngày khởi phát triệu chứng hoặc ngày lấy mẫu dương tính đầu tiên",
            "needs the symptom onset date or the first positive sample date",
        )
    anchor_day = onset if onset is not None else positive
    assert anchor_day is not None
    version, p = resolve(config).compiled(INFECTIOUS_KEY, anchor_day, province, compile_params)
    candidates = []
    if onset is not None:
        candidates.append((onset - timedelta(days=p.days_before_onset), "onset"))
    if positive is not None and (onset is None or p.anchor == "earliest"):
        candidates.append((positive - timedelta(days=p.days_before_positive_sample), "positive_sample"))
    start, anchor = min(candidates)
    reasons = [_start_reason(start, anchor, onset, positive, p)]

    ends = [(d, what) for d, what in ((negative, "negative"), (ct_end, "ct")) if d is not None]
    last_day = None
    if ends:
        end, what = min(ends)
        last_day = end if p.end_inclusive else end - ONE_DAY
        if last_day < start:
            raise InputError(
                "first_negative_date" if what == "negative" else "ct_above_30_date",
                f"kết thúc ({vi_date(end)}) trước khi thời kỳ lây truyền bắt đầu ({vi_date(start)})",
                f"ends ({end}) before the infectious period starts ({start})",
            )
        reasons.append(_end_reason(end, last_day, what, p))
    else:
        reasons.append(
            Reason(
                "R-50",
                "chưa có xét nghiệm âm tính hoặc Ct > ngưỡng: vẫn trong thời kỳ lây truyền",
                "no negative test or Ct above threshold yet: still infectious",
            )
        )
    return InfectiousPeriod(start, last_day, anchor, version.version, reasons)


def _start_reason(start: date, anchor: str, onset: date | None, positive: date | None, p: InfectiousParams) -> Reason:
    if anchor == "onset":
        return Reason(
            "R-50",
            f"bắt đầu {vi_date(start)}: {p.days_before_onset} ngày trước ngày khởi phát ({vi_date(onset)})",  # type: ignore[arg-type]
            f"starts {start}: {p.days_before_onset} days before symptom onset ({onset})",
        )
    why_vi = "không có triệu chứng" if onset is None else "mẫu dương tính sớm hơn ngày khởi phát"
    why_en = "asymptomatic" if onset is None else "the positive sample precedes onset"
    return Reason(
        "R-50",
        f"bắt đầu {vi_date(start)}: {p.days_before_positive_sample} ngày trước ngày lấy mẫu "
        f"dương tính đầu tiên ({vi_date(positive)}; {why_vi})",  # type: ignore[arg-type]
        f"starts {start}: {p.days_before_positive_sample} days before the first positive sample ({positive}; {why_en})",
    )


def _end_reason(end: date, last_day: date, what: str, p: InfectiousParams) -> Reason:
    ct = f"Ct > {p.ct_threshold:g}"
    what_vi = "xét nghiệm âm tính đầu tiên" if what == "negative" else f"mẫu đầu tiên có {ct}"
    what_en = "first negative test" if what == "negative" else f"first sample with {ct}"
    return Reason(
        "R-50",
        f"kết thúc {vi_date(end)} ({what_vi}); ngày lây cuối cùng {vi_date(last_day)}",
        f"ends {end} ({what_en}); last infectious day {last_day}",
    )
