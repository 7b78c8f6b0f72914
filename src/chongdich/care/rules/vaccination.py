"""Vaccination history and the "fully vaccinated" / "recovered within N months" tests used by
R-52 (F1 quarantine) and R-54 (release).

Give the dose dates when known (``Vaccination.from_doses``); otherwise a summary (number of
doses and the date of the last one, ``Vaccination.summary``).  Only doses given on or before the
reference date count; a summary whose last dose is after the reference date cannot say how many
doses preceded it and is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from chongdich.surveillance.rules.bounds import number
from chongdich.surveillance.rules.dates import add_months, as_date, vi_date
from chongdich.surveillance.rules.errors import ConfigError, InputError

PRIMARY_SERIES = "primary_series"


@dataclass(frozen=True, slots=True)
class Vaccination:
    doses: tuple[date, ...] = ()  # dose dates, ascending, when known
    dose_count: int | None = None  # summary form: number of doses (dates unknown)
    last_dose: date | None = None  # summary form: date of the last dose
    primary_series_doses: int = 2  # 1 for a single-dose vaccine (Janssen)

    @classmethod
    def from_doses(cls, dates: Iterable[date | datetime], primary_series_doses: int = 2) -> Vaccination:
        days = tuple(sorted(as_date(d, "vaccination.doses") for d in dates))
        return cls(doses=days, primary_series_doses=_series(primary_series_doses))

    @classmethod
    def summary(cls, dose_count: int, last_dose: date | None, primary_series_doses: int = 2) -> Vaccination:
        if type(dose_count) is not int or dose_count < 0:
            raise InputError(
                "vaccination.dose_count",
                f"phải là số nguyên ≥ 0, nhận {dose_count!r}",
                f"must be an integer ≥ 0, got {dose_count!r}",
            )
        if dose_count > 0 and last_dose is None:
            raise InputError(
                "vaccination.last_dose",
                "cần ngày tiêm mũi cuối khi đã tiêm ít nhất 1 mũi",
                "the date of the last dose is needed when at least one dose was given",
            )
        return cls(dose_count=dose_count, last_dose=last_dose, primary_series_doses=_series(primary_series_doses))

    def on(self, day: date) -> tuple[int, date | None]:
        """(number of doses given on or before ``day``, date of the last of them)."""
        if self.dose_count is None:
            given = [d for d in self.doses if d <= day]
            return len(given), (given[-1] if given else None)
        if self.dose_count and self.last_dose is not None and self.last_dose > day:
            raise InputError(
                "vaccination.last_dose",
                f"mũi cuối ({vi_date(self.last_dose)}) sau ngày xét ({vi_date(day)}): cần ngày của "
                "từng mũi để biết số mũi đã tiêm trước đó",
                f"the last dose ({self.last_dose}) is after the reference date ({day}): give each "
                "dose's date to know how many doses preceded it",
            )
        return self.dose_count, self.last_dose


def as_vaccination(value: Vaccination | Iterable[date] | None) -> Vaccination:
    if value is None:
        return Vaccination()
    if isinstance(value, Vaccination):
        return value
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise InputError(
            "vaccination",
            "phải là Vaccination hoặc danh sách ngày tiêm",
            "must be a Vaccination or a list of dose dates",
        )
    return Vaccination.from_doses(value)


def _series(n: Any) -> int:
    if type(n) is not int or n < 1:
        raise InputError(
            "vaccination.primary_series_doses",
            f"phải là số nguyên ≥ 1, nhận {n!r}",
            f"must be an integer ≥ 1, got {n!r}",
        )
    return n


@dataclass(frozen=True, slots=True)
class VaccineTest:
    """ "Fully vaccinated" as a rule version defines it."""

    doses: int | None  # None = the person's primary series
    min_days_after_last_dose: int
    max_months_after_last_dose: int | None

    def check(self, vaccination: Vaccination, on: date) -> tuple[bool, str, str]:
        """(passed, why in Vietnamese, why in English) for the reference date ``on``."""
        count, last = vaccination.on(on)
        needed = vaccination.primary_series_doses if self.doses is None else self.doses
        series_vi = "đủ liều cơ bản" if self.doses is None else f"≥ {needed} mũi"
        series_en = "primary series complete" if self.doses is None else f"≥ {needed} doses"
        if count < needed or last is None:
            return False, f"chưa tiêm {series_vi} ({count}/{needed} mũi)", f"not {series_en} ({count}/{needed} doses)"
        days = (on - last).days
        if days < self.min_days_after_last_dose:
            return (
                False,
                f"mũi cuối mới {days} ngày (cần ≥ {self.min_days_after_last_dose} ngày)",
                f"last dose only {days} days before (needs ≥ {self.min_days_after_last_dose})",
            )
        if self.max_months_after_last_dose is not None and on > add_months(last, self.max_months_after_last_dose):
            return (
                False,
                f"mũi cuối đã quá {self.max_months_after_last_dose} tháng ({vi_date(last)})",
                f"last dose more than {self.max_months_after_last_dose} months before ({last.isoformat()})",
            )
        limit_vi = "" if self.max_months_after_last_dose is None else f", ≤ {self.max_months_after_last_dose} tháng"
        limit_en = "" if self.max_months_after_last_dose is None else f", ≤ {self.max_months_after_last_dose} months"
        return (
            True,
            f"đã tiêm {series_vi}, mũi cuối {days} ngày trước (≥ {self.min_days_after_last_dose} ngày{limit_vi})",
            f"{series_en}, last dose {days} days before (≥ {self.min_days_after_last_dose} days{limit_en})",
        )


def compile_vaccine_test(raw: Mapping[str, Any], where: str) -> VaccineTest:
    doses = raw["doses"]
    if doses != PRIMARY_SERIES and (type(doses) is not int or doses < 1):
        raise ConfigError(f"{where}.doses: expected {PRIMARY_SERIES!r} or an integer ≥ 1, got {doses!r}")
    max_months = raw.get("max_months_after_last_dose")
    return VaccineTest(
        doses=None if doses == PRIMARY_SERIES else doses,
        min_days_after_last_dose=_whole(raw["min_days_after_last_dose"], f"{where}.min_days_after_last_dose"),
        max_months_after_last_dose=None
        if max_months is None
        else _whole(max_months, f"{where}.max_months_after_last_dose"),
    )


def recovered_within(recovered: date | None, on: date, months: int) -> tuple[bool, str, str]:
    """Recovered on or before ``on`` and not more than ``months`` calendar months before it."""
    if recovered is None:
        return False, "không có ngày khỏi bệnh", "no recovery date"
    if recovered > on:
        return (
            False,
            f"ngày khỏi bệnh {vi_date(recovered)} sau ngày xét",
            f"recovered ({recovered}) after the reference date",
        )
    if on > add_months(recovered, months):
        return (
            False,
            f"khỏi bệnh đã quá {months} tháng ({vi_date(recovered)})",
            f"recovered more than {months} months before ({recovered.isoformat()})",
        )
    return (
        True,
        f"đã khỏi bệnh trong vòng {months} tháng ({vi_date(recovered)})",
        f"recovered within {months} months ({recovered.isoformat()})",
    )


def _whole(raw: Any, where: str) -> int:
    value = number(raw, where)
    if type(value) is not int or value < 0:
        raise ConfigError(f"{where}: expected a whole number ≥ 0, got {raw!r}")
    return value
