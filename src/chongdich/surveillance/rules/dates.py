"""Date helpers shared by the rules: day numbering, calendar months, date/datetime inputs.

Day numbering [D]: day 1 is the first day of the period (the day of last exposure for R-52,
the day of confirmation for R-54), so day ``n`` is ``start + (n − 1)`` days.  Calendar months
(the "6 months" and "3 months" of R-52) add months and clamp to the end of a shorter month:
31/8 + 6 months = 28/2 (29/2 in a leap year).
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

from chongdich.surveillance.rules.errors import InputError

ONE_DAY = timedelta(days=1)


def as_date(value: date | datetime, field: str) -> date:
    """The calendar date of ``value`` (a ``datetime`` at its own wall-clock date: the caller
    passes local Vietnamese time, Asia/Ho_Chi_Minh)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise InputError(
        field,
        f"phải là ngày (date) hoặc thời điểm (datetime), nhận {value!r}",
        f"must be a date or datetime, got {value!r}",
    )


def optional_date(value: date | datetime | None, field: str) -> date | None:
    return None if value is None else as_date(value, field)


def day_n(start: date, n: int) -> date:
    """The date of day ``n`` of a period starting on ``start`` (day 1 = ``start``)."""
    return start + timedelta(days=n - 1)


def day_number(start: date, on: date) -> int:
    """Which day of the period ``on`` is (``start`` is day 1)."""
    return (on - start).days + 1


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the last day of the target month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def vi_date(day: date) -> str:
    """``2022-04-15`` → ``15/4/2022`` (the usual Vietnamese form in official texts)."""
    return f"{day.day}/{day.month}/{day.year}"
