"""A person's vaccination status on a day (``assess``) and what a new dose would be (``check_new_dose``).

How doses are read (docs/vaccination/rules.md §"Evaluation" says the same):

* Doses are taken in date order (same day: by product code), so the input order never matters.
  A dose dated after ``as_of`` is flagged ``dose_in_future`` and never counted; it is still
  numbered and checked as if it had been given, after the others.
* Every dose is numbered within its kind — ``primary`` until the primary series is complete, then
  ``additional`` (special groups only, one counted) and then ``booster`` — counting every dose given
  of that kind, counted or not, so that a number is never used twice (the repeat of a dose given
  too early is dose 3 of a 2-dose series, not a second "dose 2").
* A dose *counts* unless it was given too early (``interval_too_short``, ``additional_too_early``,
  ``booster_too_early``), of a product that may not follow (``mixing_not_allowed``), of a product
  not in the catalogue on its day (``unknown_product``) or beyond the doses allowed
  (``too_many_doses``): such a dose must be repeated.  ``age_not_allowed`` is flagged but the dose
  counts (it protects; the age bound decides whom to invite, not whether a given dose worked).
* Primary intervals are the series product's (the product of the first counted dose), measured
  from the last counted dose — and, when an uncounted dose was given since, from that one too
  (the repeat is spaced from the invalid dose).  Exactly the minimum number of days is valid.
* The rules in force on a dose's date judge that dose; ``next_due`` and ``earliest_next`` use the
  rules in force on ``as_of``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from chongdich.core.versioning import NoRuleInForce
from chongdich.vaccination.rules.catalogue import Product, ProductsRule
from chongdich.vaccination.rules.config import VaccinationConfig, resolve
from chongdich.vaccination.rules.dates import add_months, age_on, end_of_day, local_naive
from chongdich.vaccination.rules.errors import InputError

PRIMARY, ADDITIONAL, BOOSTER = "primary", "additional", "booster"
KINDS = (PRIMARY, ADDITIONAL, BOOSTER)
GREEN, YELLOW, RED = "green", "yellow", "red"
COLOURS = (GREEN, YELLOW, RED)

INTERVAL_TOO_SHORT = "interval_too_short"
MIXING_NOT_ALLOWED = "mixing_not_allowed"
AGE_NOT_ALLOWED = "age_not_allowed"
DOSE_IN_FUTURE = "dose_in_future"
UNKNOWN_PRODUCT = "unknown_product"
BOOSTER_TOO_EARLY = "booster_too_early"
ADDITIONAL_TOO_EARLY = "additional_too_early"
TOO_MANY_DOSES = "too_many_doses"

PROBLEM_TEXT: dict[str, tuple[str, str]] = {
    INTERVAL_TOO_SHORT: ("chưa đủ khoảng cách tối thiểu với mũi trước", "too soon after the previous dose"),
    MIXING_NOT_ALLOWED: (
        "loại vắc xin này không được tiêm sau loại đã tiêm",
        "this vaccine may not follow the one given before",
    ),
    AGE_NOT_ALLOWED: ("tuổi ngoài độ tuổi được tiêm loại vắc xin này", "age outside the vaccine's age range"),
    DOSE_IN_FUTURE: ("ngày tiêm sau ngày xét", "dose dated after the reference date"),
    UNKNOWN_PRODUCT: ("loại vắc xin không có trong danh mục ngày đó", "vaccine not in the catalogue on that day"),
    BOOSTER_TOO_EARLY: ("mũi nhắc lại quá sớm", "booster too early"),
    ADDITIONAL_TOO_EARLY: ("mũi bổ sung quá sớm", "additional dose too early"),
    TOO_MANY_DOSES: ("vượt số mũi được phép", "more doses than allowed"),
}
PROBLEM_CODES: tuple[str, ...] = tuple(PROBLEM_TEXT)
KIND_TEXT: dict[str, tuple[str, str]] = {
    PRIMARY: ("Mũi cơ bản", "Primary series"),
    ADDITIONAL: ("Mũi bổ sung", "Additional dose"),
    BOOSTER: ("Mũi nhắc lại", "Booster"),
}
COLOUR_TEXT: dict[str, tuple[str, str]] = {GREEN: ("Xanh", "Green"), YELLOW: ("Vàng", "Yellow"), RED: ("Đỏ", "Red")}
NOT_YET, DUE, OVERDUE = "not_yet", "due", "overdue"
# Problems that stop a dose from counting (it must be repeated); age_not_allowed only flags.
NOT_COUNTED = frozenset(PROBLEM_CODES) - {AGE_NOT_ALLOWED}


def problem_text(code: str, lang: str = "vi") -> str:
    vi, en = PROBLEM_TEXT.get(code, (code, code))
    return {"vi": vi, "en": en}.get(lang, f"{vi} / {en}")


def _as_day(value: Any, field_name: str, *, optional: bool = False) -> dt.date | None:
    if value is None and optional:
        return None
    if isinstance(value, dt.datetime):
        return local_naive(value).date()
    if isinstance(value, dt.date):
        return value
    raise InputError(field_name, f"phải là ngày, nhận {value!r}", f"must be a date, got {value!r}")


@dataclass(frozen=True, slots=True)
class DoseIn:
    product: str  # a catalogue code ("AZ", "PF", …)
    date: dt.date

    def __post_init__(self) -> None:
        if type(self.product) is not str or not self.product.strip():
            raise InputError(
                "product", f"phải là mã vắc xin, nhận {self.product!r}", f"must be a product code, got {self.product!r}"
            )
        object.__setattr__(self, "product", self.product.strip().upper())
        object.__setattr__(self, "date", _as_day(self.date, "date"))


@dataclass(frozen=True, slots=True)
class PersonIn:
    id: Any  # echoed in the results (str or int)
    date_of_birth: dt.date | None = None
    doses: tuple[DoseIn, ...] = ()
    recovered_on: dt.date | None = None
    negative_pcr_at: dt.datetime | None = None  # a date alone means 00:00 that day; aware values: ICT
    special_group: bool = False  # immunocompromised etc.: an additional dose after the primary series

    def __post_init__(self) -> None:
        object.__setattr__(self, "date_of_birth", _as_day(self.date_of_birth, "date_of_birth", optional=True))
        object.__setattr__(self, "recovered_on", _as_day(self.recovered_on, "recovered_on", optional=True))
        if isinstance(self.doses, (str, bytes)) or not isinstance(self.doses, Iterable):
            raise InputError("doses", "phải là danh sách mũi tiêm", "must be a list of doses")
        doses = tuple(self.doses)
        for n, dose in enumerate(doses):
            if not isinstance(dose, DoseIn):
                raise InputError(f"doses[{n}]", "phải là DoseIn", "must be a DoseIn")
        object.__setattr__(self, "doses", doses)
        pcr = self.negative_pcr_at
        if pcr is not None:
            if isinstance(pcr, dt.datetime):
                pcr = local_naive(pcr)
            elif isinstance(pcr, dt.date):
                pcr = dt.datetime.combine(pcr, dt.time.min)
            else:
                raise InputError(
                    "negative_pcr_at", f"phải là ngày giờ, nhận {pcr!r}", f"must be a date and time, got {pcr!r}"
                )
            object.__setattr__(self, "negative_pcr_at", pcr)
        if type(self.special_group) is not bool:
            raise InputError(
                "special_group",
                f"phải là true/false, nhận {self.special_group!r}",
                f"must be true or false, got {self.special_group!r}",
            )


@dataclass(frozen=True, slots=True)
class DoseVerdict:
    product: str
    date: dt.date
    number: int  # 1-based within its kind, counting every dose of that kind given
    kind: str  # primary | additional | booster
    completes_primary: bool  # this dose completed the primary series
    problems: tuple[str, ...]
    counted: bool = True  # counts towards the series / boosters (False: must be repeated)
    earliest: dt.date | None = None  # the first day this dose would have been valid (None: no bound)
    rule_version: str = ""  # the catalogue version that judged it

    def to_dict(self) -> dict[str, Any]:
        return {
            "product": self.product,
            "date": self.date.isoformat(),
            "number": self.number,
            "kind": self.kind,
            "completes_primary": self.completes_primary,
            "counted": self.counted,
            "problems": list(self.problems),
            "earliest": _iso(self.earliest),
            "rule_version": self.rule_version,
        }


@dataclass(frozen=True, slots=True)
class Status:
    complete: bool  # primary series complete on as_of (counted doses only)
    completed_on: dt.date | None
    doses_counted: int  # counted doses of every kind given on or before as_of
    next_due: dt.date | None  # recommended date of the next dose; None when nothing is due
    earliest_next: dt.date | None  # the first day the next dose would be valid
    colour: str  # green | yellow | red
    problems: tuple[str, ...]  # every dose's problems, each once, in order of first appearance
    doses: tuple[DoseVerdict, ...]  # every input dose, in date order
    next_kind: str | None = None  # primary | additional | booster | None (nothing more)
    next_number: int | None = None
    overdue_after: dt.date | None = None  # the end of the recommended window of the next dose
    series_product: str | None = None  # product of the first counted primary dose
    colour_reason: str = "none"  # full_primary | recovered | one_dose | negative_pcr | none

    def due(self, day: dt.date) -> str | None:
        """On ``day``: ``None`` (nothing due), ``"not_yet"`` (before ``next_due``), ``"due"`` (from
        ``next_due`` to ``overdue_after``, inclusive) or ``"overdue"`` (after ``overdue_after``)."""
        if self.next_due is None:
            return None
        if day < self.next_due:
            return NOT_YET
        if self.overdue_after is not None and day > self.overdue_after:
            return OVERDUE
        return DUE

    def to_dict(self, person_id: Any = None) -> dict[str, Any]:
        row = {} if person_id is None else {"id": person_id}
        row.update(
            {
                "complete": self.complete,
                "completed_on": _iso(self.completed_on),
                "doses_counted": self.doses_counted,
                "next_due": _iso(self.next_due),
                "earliest_next": _iso(self.earliest_next),
                "overdue_after": _iso(self.overdue_after),
                "next_kind": self.next_kind,
                "next_number": self.next_number,
                "colour": self.colour,
                "colour_reason": self.colour_reason,
                "series_product": self.series_product,
                "problems": list(self.problems),
                "doses": [d.to_dict() for d in self.doses],
            }
        )
        return row


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


@dataclass
class _State:
    """What the doses so far add up to."""

    series: Product | None = None  # product of the first counted primary dose
    primary_counted: list[tuple[dt.date, str]] = field(default_factory=list)
    given: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    uncounted_since: dt.date | None = None  # last uncounted primary dose after the last counted one
    completed_on: dt.date | None = None
    additional_on: dt.date | None = None
    boosters: list[dt.date] = field(default_factory=list)
    counted: int = 0

    def kind(self, rule: ProductsRule | None, special: bool) -> str:
        if self.completed_on is None:
            return PRIMARY
        if special and self.additional_on is None and rule is not None and rule.additional.allowed:
            return ADDITIONAL
        return BOOSTER

    def series_now(self, rule: ProductsRule | None) -> Product | None:
        if self.series is None:
            return None
        return (rule.products.get(self.series.code) if rule else None) or self.series

    def booster_base(self, rule: ProductsRule) -> tuple[dt.date, int, int]:
        """(base date, minimum months, recommended months) of the next booster."""
        booster = rule.booster
        if self.boosters:
            return self.boosters[-1], booster.between_boosters_months, booster.between_boosters_months
        if self.additional_on is not None:
            return self.additional_on, booster.after_additional_months, booster.after_additional_months
        assert self.completed_on is not None
        return self.completed_on, booster.min_months, booster.recommended_months


def _catalogue(cfg: VaccinationConfig, on: dt.date, province: str | None) -> tuple[ProductsRule | None, str]:
    try:
        return cfg.products_rule(on, province), cfg.product_version(on, province)
    except NoRuleInForce:
        return None, ""


def _judge(state: _State, code: str, day: dt.date, person: PersonIn, cfg: VaccinationConfig, province: str | None):
    """The verdict on a dose of ``code`` given on ``day`` after ``state``; updates ``state``."""
    rule, version = _catalogue(cfg, day, province)
    kind = state.kind(rule, person.special_group)
    number = state.given[kind] + 1
    state.given[kind] = number
    product = rule.products.get(code) if rule else None
    problems: list[str] = []
    earliest: dt.date | None = None
    series = state.series_now(rule)
    if kind == BOOSTER and (
        rule is None or not rule.booster.allowed or len(state.boosters) >= rule.booster.max_boosters
    ):
        problems.append(TOO_MANY_DOSES)
    if product is None:
        problems.append(UNKNOWN_PRODUCT)
    else:
        if kind == PRIMARY and series is not None and state.primary_counted:
            last_day, last_code = state.primary_counted[-1]
            previous = rule.products.get(last_code) or series
            if code not in previous.follow_ups:
                problems.append(MIXING_NOT_ALLOWED)
            interval = series.interval(len(state.primary_counted))
            if interval is not None:
                earliest = last_day + dt.timedelta(days=interval.min_days)
                if state.uncounted_since is not None:
                    earliest = max(earliest, state.uncounted_since + dt.timedelta(days=interval.min_days))
                if day < earliest:
                    problems.append(INTERVAL_TOO_SHORT)
        elif kind in (ADDITIONAL, BOOSTER) and series is not None:
            if code not in series.booster_products:
                problems.append(MIXING_NOT_ALLOWED)
            if kind == ADDITIONAL:
                earliest = state.completed_on + dt.timedelta(days=rule.additional.min_days)
                if day < earliest:
                    problems.append(ADDITIONAL_TOO_EARLY)
            elif TOO_MANY_DOSES not in problems:
                base, months, _ = state.booster_base(rule)
                earliest = add_months(base, months)
                if day < earliest:
                    problems.append(BOOSTER_TOO_EARLY)
        if person.date_of_birth is not None:
            age = age_on(person.date_of_birth, day) if person.date_of_birth <= day else -1
            booster_age = rule.booster.min_age if kind == BOOSTER else None
            if not product.allows_age(age) or (booster_age is not None and age < booster_age):
                problems.append(AGE_NOT_ALLOWED)
    counted = not NOT_COUNTED.intersection(problems)
    completes = False
    if counted:
        state.counted += 1
        if kind == PRIMARY:
            if state.series is None:
                state.series = product
            state.primary_counted.append((day, code))
            state.uncounted_since = None
            # the series length in force on this dose's day (the first dose's product, as that day's rules say)
            if len(state.primary_counted) >= (series or product).primary_doses:
                state.completed_on = day
                completes = True
        elif kind == ADDITIONAL:
            state.additional_on = day
        else:
            state.boosters.append(day)
    elif kind == PRIMARY:
        state.uncounted_since = day
    return DoseVerdict(code, day, number, kind, completes, tuple(problems), counted, earliest, version)


def _sorted(doses: Iterable[DoseIn]) -> list[DoseIn]:
    return sorted(doses, key=lambda d: (d.date, d.product))


def _day_arg(value: Any, name: str) -> dt.date:
    day = _as_day(value, name)
    assert day is not None
    return day


def _check_person(person: Any) -> PersonIn:
    if not isinstance(person, PersonIn):
        raise InputError("person", "phải là PersonIn", f"must be a PersonIn, got {type(person).__name__}")
    return person


def assess(
    person: PersonIn,
    as_of: dt.date,
    cfg: VaccinationConfig | None = None,
    *,
    province: str | None = None,
    at: dt.datetime | None = None,
) -> Status:
    """``person``'s status on ``as_of``: series, counted doses, the next dose, the colour.

    The colour is the one at ``at`` (a moment of ``as_of``; aware values are converted to Vietnam
    time) or, without ``at``, at the end of ``as_of`` — the colour that holds for the whole day's end,
    so a PCR counts only if it is still within 72 hours at midnight closing ``as_of``."""
    person = _check_person(person)
    as_of = _day_arg(as_of, "as_of")
    cfg = resolve(cfg)
    moment = end_of_day(as_of)
    if at is not None:
        if not isinstance(at, dt.datetime):
            raise InputError("at", f"phải là ngày giờ, nhận {at!r}", f"must be a date and time, got {at!r}")
        moment = local_naive(at)
        if moment.date() != as_of:
            raise InputError(
                "at",
                f"thời điểm {moment.isoformat()} không thuộc ngày xét {as_of.isoformat()}",
                f"the moment {moment.isoformat()} is not on as_of {as_of.isoformat()}",
            )
    state = _State()
    snapshot: _State | None = None
    verdicts = []
    for dose in _sorted(person.doses):
        future = dose.date > as_of
        if future and snapshot is None:
            snapshot = _copy(state)
        verdict = _judge(state, dose.product, dose.date, person, cfg, province)
        if future:
            verdict = DoseVerdict(
                verdict.product,
                verdict.date,
                verdict.number,
                verdict.kind,
                False,
                (DOSE_IN_FUTURE, *verdict.problems),
                False,
                verdict.earliest,
                verdict.rule_version,
            )
        verdicts.append(verdict)
    now = snapshot if snapshot is not None else state
    problems = tuple(dict.fromkeys(p for v in verdicts for p in v.problems))
    next_kind, next_number, earliest, due, overdue = _next(now, person, as_of, cfg, province)
    colour, reason = _colour(now, person, as_of, moment, cfg, province)
    return Status(
        complete=now.completed_on is not None,
        completed_on=now.completed_on,
        doses_counted=now.counted,
        next_due=due,
        earliest_next=earliest,
        colour=colour,
        problems=problems,
        doses=tuple(verdicts),
        next_kind=next_kind,
        next_number=next_number,
        overdue_after=overdue,
        series_product=now.series.code if now.series else None,
        colour_reason=reason,
    )


def _copy(state: _State) -> _State:
    return _State(
        series=state.series,
        primary_counted=list(state.primary_counted),
        given=dict(state.given),
        uncounted_since=state.uncounted_since,
        completed_on=state.completed_on,
        additional_on=state.additional_on,
        boosters=list(state.boosters),
        counted=state.counted,
    )


def _next(state: _State, person: PersonIn, as_of: dt.date, cfg: VaccinationConfig, province: str | None):
    """(kind, number, earliest, recommended, end of window) of the next dose by the rules on ``as_of``."""
    rule, _ = _catalogue(cfg, as_of, province)
    kind = state.kind(rule, person.special_group)
    number = state.given[kind] + 1
    if rule is None:
        return kind, number, None, None, None
    series = state.series_now(rule)
    if kind == PRIMARY:
        if series is None or not state.primary_counted:
            return kind, number, None, None, None  # the first dose: any day the person is eligible
        last_day = state.primary_counted[-1][0]
        interval = series.interval(len(state.primary_counted))
        if interval is None:
            return kind, number, None, None, None
        earliest = last_day + dt.timedelta(days=interval.min_days)
        if state.uncounted_since is not None:
            earliest = max(earliest, state.uncounted_since + dt.timedelta(days=interval.min_days))
        due = max(last_day + dt.timedelta(days=interval.recommended_days), earliest)
        # overdue after the recommended window; never before the dose is due (a repeat spaced late)
        overdue = None if interval.max_days is None else max(last_day + dt.timedelta(days=interval.max_days), due)
        return kind, number, earliest, due, overdue
    if kind == ADDITIONAL:
        earliest = state.completed_on + dt.timedelta(days=rule.additional.min_days)
        return kind, number, earliest, state.completed_on + dt.timedelta(days=rule.additional.recommended_days), None
    if not rule.booster.allowed or len(state.boosters) >= rule.booster.max_boosters:
        return None, None, None, None, None
    base, months, recommended = state.booster_base(rule)
    return kind, number, add_months(base, months), add_months(base, recommended), None


def _colour(
    state: _State, person: PersonIn, as_of: dt.date, moment: dt.datetime, cfg: VaccinationConfig, province: str | None
) -> tuple[str, str]:
    rule = cfg.colour_rule(as_of, province)
    day = as_of  # day counts (14 days, 180 days) by calendar date; the PCR's 72 hours by the moment
    if state.completed_on is not None and (day - state.completed_on).days >= rule.full_primary_min_days:
        return GREEN, "full_primary"
    recovered = person.recovered_on
    if recovered is not None and recovered <= day and (day - recovered).days <= rule.recovered_max_days:
        return GREEN, "recovered"
    if state.primary_counted and (day - state.primary_counted[0][0]).days >= rule.one_dose_min_days:
        return YELLOW, "one_dose"
    pcr = person.negative_pcr_at
    if pcr is not None and pcr <= moment and moment - pcr <= dt.timedelta(hours=rule.negative_pcr_max_hours):
        return YELLOW, "negative_pcr"
    return RED, "none"


def check_new_dose(
    person: PersonIn, product: str, on: dt.date, cfg: VaccinationConfig | None = None, *, province: str | None = None
) -> DoseVerdict:
    """What recording a dose of ``product`` on ``on`` would be: its kind, number and problems.  The
    person's doses dated after ``on`` are left out (the new dose comes after those of ``on``)."""
    person = _check_person(person)
    on = _day_arg(on, "on")
    code = DoseIn(product, on).product
    cfg = resolve(cfg)
    state = _State()
    for dose in _sorted(person.doses):
        if dose.date > on:
            break
        _judge(state, dose.product, dose.date, person, cfg, province)
    return _judge(state, code, on, person, cfg, province)
