"""Date helpers of the vaccination rules: calendar months, whole years of age, Vietnamese dates,
and the instant a date-only ``as_of`` stands for."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7))  # ICT, no daylight saving


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months; the 31st of a shorter month becomes its last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def age_on(born: date, on: date) -> int:
    """Whole years of age on ``on`` (a person born on 29/2 turns a year older on 1/3)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def vi_date(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def local_naive(moment: datetime) -> datetime:
    """A moment as Vietnam's wall-clock time without tzinfo: aware values are converted to ICT
    (UTC+7), naive values are taken to be Vietnam time already."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(VIETNAM).replace(tzinfo=None)


def end_of_day(day: date) -> datetime:
    """The last instant of ``day`` (23:59:59.999999), Vietnam time, naive: a PCR sampled at the next
    midnight belongs to the next day."""
    return datetime.combine(day, time.max)
