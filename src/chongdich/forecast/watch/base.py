"""What the watch's rules share: a candidate notice, publishing only the new ones, weekly reminders, the
province's alert settings and the formats of dates in params.

A rule returns ``Candidate`` notices; ``publish_new`` asks the notices table once which keys exist
already (in chunks) and publishes the rest, one ``notices.actions.publish`` each (idempotent by key,
so two runs at the same moment still make one notice).  A run that dies half-way leaves the notices
it published; the next run publishes the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from chongdich.forecast.models import ForecastSetting
from chongdich.forecast.rules import Config, InputError, config
from chongdich.notices.actions import publish
from chongdich.notices.models import Notice
from chongdich.territory.models import AdminUnit

log = logging.getLogger("chongdich.forecast.watch")

REMIND_DAYS = 7  # a condition that lasts is sent again after a week, never daily
CHUNK = 500  # keys per IN (…) query


@dataclass(frozen=True)
class Candidate:
    """A notice a rule wants published: its kind's code, the unit it concerns (the fan-out stays in that
    unit and the units above it), a stable key (a re-run publishes nothing new), params, link, severity."""

    kind: str
    unit: AdminUnit
    key: str
    params: dict = field(default_factory=dict)
    link: str = ""
    severity: str | None = None
    day: date | None = None  # the day it is about (the digest groups by it); None: today


def existing_keys(keys: Iterable[str]) -> set[str]:
    """The keys among ``keys`` that a notice already has (one indexed query per ``CHUNK`` keys)."""
    keys = list(dict.fromkeys(keys))
    found: set[str] = set()
    for start in range(0, len(keys), CHUNK):
        found.update(Notice.objects.filter(key__in=keys[start : start + CHUNK]).values_list("key", flat=True))
    return found


def publish_new(candidates: Iterable[Candidate]) -> int:
    """Publish the candidates whose key no notice has yet; the number of notices created."""
    pending = {candidate.key: candidate for candidate in candidates}
    if not pending:
        return 0
    known = existing_keys(pending)
    created = 0
    for key, candidate in pending.items():
        if key in known:
            continue
        _notice, made = publish(
            candidate.kind,
            candidate.unit,
            key,
            candidate.params,
            link=candidate.link,
            severity=candidate.severity,
            day=candidate.day,
        )
        created += bool(made)
    return created


def day_key(prefix: str, day: date) -> str:
    return f"{prefix}:{day.isoformat()}"


def reminded(prefixes: Iterable[str], day: date, days: int = REMIND_DAYS) -> set[str]:
    """The prefixes (a key without its day) with a notice keyed on one of the ``days - 1`` days before
    ``day``: a condition that holds again today is not sent again before a week has passed."""
    keys = {day_key(prefix, day - timedelta(days=back)): prefix for prefix in prefixes for back in range(1, days)}
    return {keys[key] for key in existing_keys(keys)}


def settings_by_province(day: date) -> Callable[[str], Config]:
    """``of(province_code) -> Config``: the forecast configuration of each province on ``day`` (its
    overrides merged over the defaults; a province whose stored overrides the rules refuse gets the
    defaults, with a warning in the log)."""
    overrides = dict(ForecastSetting.objects.values_list("province_code", "overrides"))
    cache: dict[str, Config] = {}

    def of(code: str) -> Config:
        if code not in cache:
            try:
                cache[code] = config(overrides.get(code) or None, on=day)
            except InputError as error:
                log.warning("forecast settings of province %s refused (%s): defaults used", code, error)
                cache[code] = config(None, on=day)
        return cache[code]

    return of


def day_text(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def moment_text(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else ""


def units_by_id(ids: Iterable[int]) -> dict[int, AdminUnit]:
    return AdminUnit.objects.in_bulk(set(ids))
