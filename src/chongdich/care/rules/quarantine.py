"""F1 quarantine plan (R-52): place, length, test days and self-monitoring after quarantine,
by the rule version in force on ``as_of`` (default: the day of last exposure).

Day counting: day 1 = the day of last exposure ([V] "from last exposure", day-1 convention
[D]); ``end`` is the last quarantine day (inclusive); self-monitoring follows on the next day.
Without quarantine (from 15/4/2022) self-monitoring starts on day 1.  Vaccination and recovery
are judged on the day of last exposure [D].
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from chongdich.care.rules.config import QUARANTINE_KEY, SurveillanceConfig, resolve
from chongdich.care.rules.vaccination import (
    Vaccination,
    VaccineTest,
    as_vaccination,
    compile_vaccine_test,
    recovered_within,
)
from chongdich.surveillance.rules.dates import ONE_DAY, as_date, day_n, optional_date, vi_date
from chongdich.surveillance.rules.errors import ConfigError, InputError
from chongdich.surveillance.rules.reasons import Reason


class Place(StrEnum):
    CONCENTRATED = "concentrated"  # cách ly tập trung
    HOME = "home"  # cách ly tại nhà / nơi lưu trú
    NONE = "none"  # không cách ly (tự theo dõi sức khỏe)

    @property
    def vi(self) -> str:
        return {"concentrated": "cách ly tập trung", "home": "cách ly tại nhà", "none": "không cách ly"}[self.value]

    @property
    def en(self) -> str:
        return {"concentrated": "concentrated quarantine", "home": "home quarantine", "none": "no quarantine"}[
            self.value
        ]


@dataclass(frozen=True, slots=True)
class Branch:
    place: Place
    days: int
    test_days: tuple[int, ...]
    self_monitor_days: int
    self_monitor_test_days: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Protection:
    vaccine: VaccineTest
    recovered_within_months: int | None


@dataclass(frozen=True, slots=True)
class QuarantineParams:
    protection: Protection | None
    protected: Branch | None
    default: Branch


@dataclass(frozen=True, slots=True)
class ScheduledTest:
    day: date
    phase: str  # "quarantine" or "self_monitoring"
    day_number: int  # day of that phase (1 = first day of the phase)


@dataclass(frozen=True, slots=True)
class QuarantinePlan:
    place: Place
    days: int  # 0 without quarantine
    start: date  # day 1 = day of last exposure
    end: date | None  # last quarantine day, inclusive; None without quarantine
    test_days: list[date]  # every scheduled test (quarantine and self-monitoring), ascending
    self_monitor_days: int
    self_monitor_start: date | None
    self_monitor_end: date | None  # inclusive
    protected: bool | None  # vaccinated/recovered branch taken; None when the version has no such branch
    rule_version: str
    reasons: list[Reason] = field(default_factory=list)
    tests: list[ScheduledTest] = field(default_factory=list)

    @property
    def last_day(self) -> date:
        """Last day of quarantine or self-monitoring (the plan's horizon)."""
        return self.self_monitor_end or self.end or self.start


def quarantine_plan(
    exposure_date: date | datetime,
    vaccination: Vaccination | Iterable[date] | None = None,
    recovered_date: date | datetime | None = None,
    as_of: date | datetime | None = None,
    province: str | None = None,
    config: SurveillanceConfig | None = None,
) -> QuarantinePlan:
    """The F1's quarantine plan from the day of last exposure."""
    start = as_date(exposure_date, "exposure_date")
    on = start if as_of is None else as_date(as_of, "as_of")
    if on < start:
        raise InputError("as_of", "ngày áp dụng trước ngày tiếp xúc cuối", "as_of is before the last exposure")
    recovered = optional_date(recovered_date, "recovered_date")
    version, p = resolve(config).compiled(QUARANTINE_KEY, on, province, compile_params)
    reasons = [
        Reason(
            "R-52",
            f"áp dụng {version.version} (ngày {vi_date(on)})",
            f"rule {version.version} (as of {on.isoformat()})",
        )
    ]
    protected: bool | None = None
    branch = p.default
    if p.protection is not None:
        protected, why_vi, why_en = _protected(p.protection, as_vaccination(vaccination), recovered, start)
        if protected:
            assert p.protected is not None
            branch = p.protected
        reasons.append(
            Reason(
                "R-52",
                f"{why_vi} → {'nhánh đã tiêm đủ/đã khỏi bệnh' if protected else 'nhánh còn lại'}",
                f"{why_en} → {'vaccinated/recovered branch' if protected else 'other branch'}",
            )
        )
    return _plan(start, branch, protected, version.version, reasons)


def _protected(rule: Protection, vaccination: Vaccination, recovered: date | None, on: date) -> tuple[bool, str, str]:
    ok, vi, en = rule.vaccine.check(vaccination, on)
    if ok:
        return True, vi, en
    if rule.recovered_within_months is not None and recovered is not None:
        ok_r, vi_r, en_r = recovered_within(recovered, on, rule.recovered_within_months)
        return ok_r, f"{vi}; {vi_r}", f"{en}; {en_r}"
    return False, vi, en


def _plan(start: date, b: Branch, protected: bool | None, version: str, reasons: list[Reason]) -> QuarantinePlan:
    tests = [ScheduledTest(day_n(start, n), "quarantine", n) for n in b.test_days]
    end = day_n(start, b.days) if b.days else None
    monitor_start = monitor_end = None
    if b.self_monitor_days:
        monitor_start = (end + ONE_DAY) if end is not None else start
        monitor_end = day_n(monitor_start, b.self_monitor_days)
        tests += [ScheduledTest(day_n(monitor_start, n), "self_monitoring", n) for n in b.self_monitor_test_days]
    tests.sort(key=lambda t: t.day)
    if end is not None:
        days_vi = ", ".join(f"ngày {n}" for n in b.test_days) or "không"
        days_en = ", ".join(f"day {n}" for n in b.test_days) or "none"
        reasons.append(
            Reason(
                "R-52",
                f"{b.place.vi} {b.days} ngày từ {vi_date(start)} đến {vi_date(end)} "
                f"(ngày 1 = ngày tiếp xúc cuối); xét nghiệm: {days_vi}",
                f"{b.place.en} {b.days} days from {start} to {end} (day 1 = day of last exposure); tests: {days_en}",
            )
        )
    else:
        reasons.append(
            Reason(
                "R-52",
                "F1 không phải cách ly; thực hiện biện pháp phòng bệnh, tự theo dõi sức khỏe, "
                "báo y tế và xét nghiệm khi có triệu chứng",
                "F1 not quarantined: precautions, self-monitoring, report and test on symptoms",
            )
        )
    if monitor_start is not None and monitor_end is not None:
        extra_vi = "".join(f"; xét nghiệm ngày {n} của thời gian theo dõi" for n in b.self_monitor_test_days)
        extra_en = "".join(f"; test on day {n} of monitoring" for n in b.self_monitor_test_days)
        reasons.append(
            Reason(
                "R-52",
                f"tự theo dõi sức khỏe {b.self_monitor_days} ngày từ {vi_date(monitor_start)} "
                f"đến {vi_date(monitor_end)}{extra_vi}",
                f"self-monitoring {b.self_monitor_days} days from {monitor_start} to {monitor_end}{extra_en}",
            )
        )
    return QuarantinePlan(
        place=b.place,
        days=b.days,
        start=start,
        end=end,
        test_days=[t.day for t in tests],
        self_monitor_days=b.self_monitor_days,
        self_monitor_start=monitor_start,
        self_monitor_end=monitor_end,
        protected=protected,
        rule_version=version,
        reasons=reasons,
        tests=tests,
    )


def compile_params(values: Mapping[str, Any], where: str) -> QuarantineParams:
    raw = values.get("protection")
    protection = None
    if raw is not None:
        months = raw.get("recovered_within_months")
        if months is not None and (type(months) is not int or months < 0):
            raise ConfigError(f"{where}.protection.recovered_within_months: expected a whole number ≥ 0 or null")
        protection = Protection(compile_vaccine_test(raw, f"{where}.protection"), months)
        if not isinstance(values.get("protected"), Mapping):
            raise ConfigError(f"{where}.protected: required when protection is set")
    return QuarantineParams(
        protection=protection,
        protected=_branch(values["protected"], f"{where}.protected") if protection is not None else None,
        default=_branch(values["default"], f"{where}.default"),
    )


def _branch(raw: Mapping[str, Any], where: str) -> Branch:
    try:
        place = Place(raw["place"])
    except ValueError:
        raise ConfigError(f"{where}.place: expected one of {[p.value for p in Place]}, got {raw['place']!r}") from None
    days = _whole(raw["days"], f"{where}.days")
    monitor = _whole(raw["self_monitor_days"], f"{where}.self_monitor_days")
    if (days == 0) != (place is Place.NONE):
        raise ConfigError(f"{where}: days must be 0 exactly when place is 'none'")
    return Branch(
        place,
        days,
        _days(raw["test_days"], days, f"{where}.test_days"),
        monitor,
        _days(raw.get("self_monitor_test_days", []), monitor, f"{where}.self_monitor_test_days"),
    )


def _days(raw: Any, within: int, where: str) -> tuple[int, ...]:
    if not isinstance(raw, list) or any(type(n) is not int or not 1 <= n <= within for n in raw):
        raise ConfigError(f"{where}: expected a list of day numbers from 1 to {within}, got {raw!r}")
    return tuple(sorted(set(raw)))


def _whole(raw: Any, where: str) -> int:
    if type(raw) is not int or raw < 0:
        raise ConfigError(f"{where}: expected a whole number ≥ 0, got {raw!r}")
    return raw
