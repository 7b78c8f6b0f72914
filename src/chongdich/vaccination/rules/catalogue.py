"""The typed form of the rule families' values, and their compilers (validation included).

Each ``compile_*`` takes a version's ``values`` (national, or a province override merged over it)
and ``where`` (``"<family> [<version>]"``) and returns frozen dataclasses, or raises ``ConfigError``
naming ``where`` and the path of the bad value.  Lists that a province may edit item by item are
mappings in the data (products by code, interval gaps by number, groups by code, questions by
code), so that ``core.versioning.deep_merge`` changes one item without restating the others; an
item set to ``null`` by an override is withdrawn.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from chongdich.vaccination.rules.errors import ConfigError

CODE = re.compile(r"^[A-Z][A-Z0-9]{0,7}$")  # product codes: Dose.product / Lot.product hold 8 characters
GROUP_CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,7}$")  # Enrolment.group holds 8 characters
QUESTION_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
PLATFORMS = ("viral_vector", "mrna", "inactivated", "protein_subunit")
OUTCOMES = ("eligible", "caution", "postpone", "contraindicated")  # mildest first


@dataclass(frozen=True, slots=True)
class Interval:
    """The gap between primary dose ``gap`` and dose ``gap + 1`` (days from the earlier dose)."""

    gap: int
    min_days: int  # a later dose is valid from this many days (exactly min_days = valid)
    recommended_days: int  # the dose is due from this many days
    max_days: int | None  # the end of the recommended window (overdue after it); None = open
    floor_days: int  # the least ``min_days`` a province override may set (national versions say)


@dataclass(frozen=True, slots=True)
class Product:
    code: str
    name: str
    maker: str
    platform: str  # viral_vector | mrna | inactivated | protein_subunit
    primary_doses: int
    intervals: tuple[Interval, ...]  # primary_doses - 1 gaps
    min_age: int | None  # whole years at the dose date, inclusive; None = no bound
    max_age: int | None
    follow_ups: tuple[str, ...]  # codes allowed as the next primary dose after this one
    booster_products: tuple[str, ...]  # codes allowed as an additional or booster dose after this series
    approved_on: date | None  # MoH approval for use in Vietnam (information, not checked)
    doses_per_vial: int | None  # usual presentation (stock default; a lot may say otherwise)
    note: str = ""

    def interval(self, gap: int) -> Interval | None:
        return self.intervals[gap - 1] if 1 <= gap <= len(self.intervals) else None

    def allows_age(self, age: int) -> bool:
        return (self.min_age is None or age >= self.min_age) and (self.max_age is None or age <= self.max_age)


@dataclass(frozen=True, slots=True)
class AdditionalRule:
    """The additional dose (mũi bổ sung) of special groups (immunocompromised …)."""

    allowed: bool
    min_days: int  # after the dose that completed the primary series
    recommended_days: int


@dataclass(frozen=True, slots=True)
class BoosterRule:
    """Booster doses (mũi nhắc lại)."""

    allowed: bool
    max_boosters: int  # counted boosters a person may receive
    min_months: int  # after the primary series (calendar months)
    recommended_months: int
    after_additional_months: int  # after an additional dose, when one was given
    between_boosters_months: int  # from one booster to the next
    min_age: int | None


@dataclass(frozen=True, slots=True)
class ProductsRule:
    products: dict[str, Product]
    additional: AdditionalRule
    booster: BoosterRule


@dataclass(frozen=True, slots=True)
class PriorityGroup:
    code: str  # "G01" …: meaningful with the list (version) it comes from
    number: int  # its place in the instrument's list
    name_vi: str
    name_en: str
    high_risk: bool  # older people, chronic disease: QĐ 218's high-risk group
    min_age: int | None = None  # an age bound the group itself sets (e.g. ≥ 65), information only


@dataclass(frozen=True, slots=True)
class GroupsRule:
    instrument: str
    groups: tuple[PriorityGroup, ...]


@dataclass(frozen=True, slots=True)
class ColourRule:
    full_primary_min_days: int  # green: primary series completed at least this many days before
    recovered_max_days: int  # green: recovered at most this many days before
    one_dose_min_days: int  # yellow: a counted dose at least this many days before
    negative_pcr_max_hours: int  # yellow: a negative PCR sampled at most this many hours before


@dataclass(frozen=True, slots=True)
class Question:
    code: str
    number: int
    vi: str
    en: str
    yes: str  # the outcome a "yes" leads to (one of OUTCOMES)
    confidence: str = "R"


@dataclass(frozen=True, slots=True)
class VitalBound:
    """A measurement out of range leads to ``outcome``: abnormal when ``> above``, ``≥ at_least``
    or ``< below`` (each optional)."""

    code: str  # answers key: temperature, pulse, systolic, diastolic, spo2
    vi: str
    en: str
    above: float | None
    at_least: float | None
    below: float | None
    outcome: str

    def abnormal(self, value: float) -> bool:
        return (
            (self.above is not None and value > self.above)
            or (self.at_least is not None and value >= self.at_least)
            or (self.below is not None and value < self.below)
        )


@dataclass(frozen=True, slots=True)
class ScreeningRule:
    instrument: str
    questions: tuple[Question, ...]
    vitals: tuple[VitalBound, ...]


@dataclass(frozen=True, slots=True)
class TargetsRule:
    coverage_pct: Fraction | int  # share of the target population, per priority group too
    groups: dict[str, Fraction | int]  # group code -> its own target, where it differs


# --- value checks ---------------------------------------------------------------------------------
def _mapping(raw: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: expected an object, got {raw!r}")
    return raw


def _whole(raw: Any, where: str, *, minimum: int = 0) -> int:
    if type(raw) is not int or raw < minimum:
        raise ConfigError(f"{where}: expected a whole number ≥ {minimum}, got {raw!r}")
    return raw


def _optional_whole(raw: Any, where: str, *, minimum: int = 0) -> int | None:
    return None if raw is None else _whole(raw, where, minimum=minimum)


def _text(raw: Any, where: str, *, empty: bool = False) -> str:
    if type(raw) is not str or (not empty and not raw.strip()):
        raise ConfigError(f"{where}: expected a text, got {raw!r}")
    return raw


def _flag(raw: Any, where: str) -> bool:
    if type(raw) is not bool:
        raise ConfigError(f"{where}: expected true or false, got {raw!r}")
    return raw


def _number(raw: Any, where: str) -> float:
    if type(raw) not in (int, float) or raw != raw:  # noqa: PLR0124 - NaN check
        raise ConfigError(f"{where}: expected a number, got {raw!r}")
    return raw


def _pct(raw: Any, where: str) -> Fraction | int:
    if type(raw) is int and 0 <= raw <= 100:
        return raw
    if type(raw) is str:
        try:
            value = Fraction(raw)
        except (ValueError, ZeroDivisionError):
            value = None
        if value is not None and 0 <= value <= 100:
            return value
    if type(raw) is float and 0 <= raw <= 100:
        return Fraction(str(raw))
    raise ConfigError(f"{where}: expected a percentage 0–100, got {raw!r}")


def _codes(raw: Any, where: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(type(c) is str and CODE.match(c) for c in raw):
        raise ConfigError(f"{where}: expected a list of product codes, got {raw!r}")
    return tuple(dict.fromkeys(raw))


def _keys(raw: Mapping[str, Any], where: str, required: set[str], optional: set[str] = frozenset()) -> None:
    missing = required - set(raw)
    extra = set(raw) - required - set(optional)
    if missing or extra:
        raise ConfigError(f"{where}: missing {sorted(missing)}, unknown {sorted(extra)}")


def _day(raw: Any, where: str) -> date | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: expected a date YYYY-MM-DD or null, got {raw!r}") from None


# --- products -------------------------------------------------------------------------------------
PRODUCT_KEYS = {"name", "primary_doses", "intervals", "min_age", "max_age", "follow_ups", "booster_products"}
PRODUCT_OPTIONAL = {"maker", "platform", "approved_on", "doses_per_vial", "note"}
GAP_KEYS = {"min_days", "recommended_days"}
GAP_OPTIONAL = {"max_days", "floor_days"}


def compile_interval(raw: Any, where: str, gap: int) -> Interval:
    raw = _mapping(raw, where)
    _keys(raw, where, GAP_KEYS, GAP_OPTIONAL)
    low = _whole(raw["min_days"], f"{where}.min_days", minimum=1)
    due = _whole(raw["recommended_days"], f"{where}.recommended_days", minimum=1)
    high = _optional_whole(raw.get("max_days"), f"{where}.max_days", minimum=1)
    floor = _optional_whole(raw.get("floor_days"), f"{where}.floor_days", minimum=1)
    if due < low:
        raise ConfigError(f"{where}.recommended_days: {due} is less than min_days {low}")
    if high is not None and high < due:
        raise ConfigError(f"{where}.max_days: {high} is less than recommended_days {due}")
    if floor is not None and floor > low:
        raise ConfigError(f"{where}.floor_days: {floor} is more than min_days {low}")
    return Interval(gap, low, due, high, low if floor is None else floor)


def compile_product(code: str, raw: Any, where: str) -> Product:
    raw = _mapping(raw, where)
    _keys(raw, where, PRODUCT_KEYS, PRODUCT_OPTIONAL)
    doses = _whole(raw["primary_doses"], f"{where}.primary_doses", minimum=1)
    gaps = {gap: value for gap, value in _mapping(raw["intervals"], f"{where}.intervals").items() if value is not None}
    expected = {str(n) for n in range(1, doses)}
    if set(gaps) != expected:
        raise ConfigError(
            f"{where}.intervals: a series of {doses} doses needs gaps {sorted(expected)}, got {sorted(gaps)}"
        )
    intervals = tuple(compile_interval(gaps[str(n)], f"{where}.intervals.{n}", n) for n in range(1, doses))
    min_age = _optional_whole(raw["min_age"], f"{where}.min_age")
    max_age = _optional_whole(raw["max_age"], f"{where}.max_age")
    if min_age is not None and max_age is not None and max_age < min_age:
        raise ConfigError(f"{where}.max_age: {max_age} is less than min_age {min_age}")
    platform = raw.get("platform", "")
    if platform and platform not in PLATFORMS:
        raise ConfigError(f"{where}.platform: expected one of {list(PLATFORMS)}, got {platform!r}")
    return Product(
        code=code,
        name=_text(raw["name"], f"{where}.name"),
        maker=_text(raw.get("maker", ""), f"{where}.maker", empty=True),
        platform=platform,
        primary_doses=doses,
        intervals=intervals,
        min_age=min_age,
        max_age=max_age,
        follow_ups=_codes(raw["follow_ups"], f"{where}.follow_ups"),
        booster_products=_codes(raw["booster_products"], f"{where}.booster_products"),
        approved_on=_day(raw.get("approved_on"), f"{where}.approved_on"),
        doses_per_vial=_optional_whole(raw.get("doses_per_vial"), f"{where}.doses_per_vial", minimum=1),
        note=_text(raw.get("note", ""), f"{where}.note", empty=True),
    )


def compile_products(values: Mapping[str, Any], where: str) -> ProductsRule:
    values = _mapping(values, where)
    _keys(values, where, {"products", "additional", "booster"})
    products: dict[str, Product] = {}
    for code, raw in _mapping(values["products"], f"{where}.products").items():
        if not CODE.match(code):
            raise ConfigError(f"{where}.products: bad product code {code!r} (A–Z, 0–9, at most 8)")
        if raw is None:  # withdrawn by an override
            continue
        products[code] = compile_product(code, raw, f"{where}.products.{code}")
    if not products:
        raise ConfigError(f"{where}.products: the catalogue is empty")
    extra = _mapping(values["additional"], f"{where}.additional")
    _keys(extra, f"{where}.additional", {"allowed", "min_days", "recommended_days"})
    low = _whole(extra["min_days"], f"{where}.additional.min_days", minimum=1)
    due = _whole(extra["recommended_days"], f"{where}.additional.recommended_days", minimum=1)
    if due < low:
        raise ConfigError(f"{where}.additional.recommended_days: {due} is less than min_days {low}")
    boost = _mapping(values["booster"], f"{where}.booster")
    _keys(
        boost,
        f"{where}.booster",
        {"allowed", "max_boosters", "min_months", "recommended_months", "after_additional_months"},
        {"between_boosters_months", "min_age"},
    )
    months = _whole(boost["min_months"], f"{where}.booster.min_months", minimum=1)
    recommended = _whole(boost["recommended_months"], f"{where}.booster.recommended_months", minimum=1)
    if recommended < months:
        raise ConfigError(f"{where}.booster.recommended_months: {recommended} is less than min_months {months}")
    return ProductsRule(
        products=products,
        additional=AdditionalRule(_flag(extra["allowed"], f"{where}.additional.allowed"), low, due),
        booster=BoosterRule(
            allowed=_flag(boost["allowed"], f"{where}.booster.allowed"),
            max_boosters=_whole(boost["max_boosters"], f"{where}.booster.max_boosters"),
            min_months=months,
            recommended_months=recommended,
            after_additional_months=_whole(
                boost["after_additional_months"], f"{where}.booster.after_additional_months", minimum=1
            ),
            between_boosters_months=_whole(
                boost.get("between_boosters_months", 4), f"{where}.booster.between_boosters_months", minimum=1
            ),
            min_age=_optional_whole(boost.get("min_age"), f"{where}.booster.min_age"),
        ),
    )


# --- priority groups ------------------------------------------------------------------------------
def compile_groups(values: Mapping[str, Any], where: str) -> GroupsRule:
    values = _mapping(values, where)
    _keys(values, where, {"instrument", "groups"})
    groups = []
    for code, raw in _mapping(values["groups"], f"{where}.groups").items():
        here = f"{where}.groups.{code}"
        if not GROUP_CODE.match(code):
            raise ConfigError(f"{where}.groups: bad group code {code!r} (A–Z, 0–9, _, at most 8)")
        if raw is None:
            continue
        raw = _mapping(raw, here)
        _keys(raw, here, {"number", "vi", "en", "high_risk"}, {"min_age", "confidence"})
        groups.append(
            PriorityGroup(
                code=code,
                number=_whole(raw["number"], f"{here}.number", minimum=1),
                name_vi=_text(raw["vi"], f"{here}.vi"),
                name_en=_text(raw["en"], f"{here}.en"),
                high_risk=_flag(raw["high_risk"], f"{here}.high_risk"),
                min_age=_optional_whole(raw.get("min_age"), f"{here}.min_age"),
            )
        )
    numbers = [g.number for g in groups]
    if len(set(numbers)) != len(numbers):
        raise ConfigError(f"{where}.groups: two groups share a number ({sorted(numbers)})")
    return GroupsRule(_text(values["instrument"], f"{where}.instrument"), tuple(sorted(groups, key=lambda g: g.number)))


# --- colour ---------------------------------------------------------------------------------------
def compile_colour(values: Mapping[str, Any], where: str) -> ColourRule:
    values = _mapping(values, where)
    _keys(values, where, {"green", "yellow"})
    green = _mapping(values["green"], f"{where}.green")
    yellow = _mapping(values["yellow"], f"{where}.yellow")
    _keys(green, f"{where}.green", {"full_primary_min_days", "recovered_max_days"})
    _keys(yellow, f"{where}.yellow", {"one_dose_min_days", "negative_pcr_max_hours"})
    return ColourRule(
        full_primary_min_days=_whole(green["full_primary_min_days"], f"{where}.green.full_primary_min_days"),
        recovered_max_days=_whole(green["recovered_max_days"], f"{where}.green.recovered_max_days"),
        one_dose_min_days=_whole(yellow["one_dose_min_days"], f"{where}.yellow.one_dose_min_days"),
        negative_pcr_max_hours=_whole(yellow["negative_pcr_max_hours"], f"{where}.yellow.negative_pcr_max_hours"),
    )


# --- screening ------------------------------------------------------------------------------------
VITALS = ("temperature", "pulse", "systolic", "diastolic", "spo2")


def _outcome(raw: Any, where: str) -> str:
    if raw not in OUTCOMES:
        raise ConfigError(f"{where}: expected one of {list(OUTCOMES)}, got {raw!r}")
    return raw


def compile_screening(values: Mapping[str, Any], where: str) -> ScreeningRule:
    values = _mapping(values, where)
    _keys(values, where, {"instrument", "questions", "vitals"})
    questions = []
    for code, raw in _mapping(values["questions"], f"{where}.questions").items():
        here = f"{where}.questions.{code}"
        if not QUESTION_CODE.match(code) or code in VITALS:
            raise ConfigError(f"{where}.questions: bad question code {code!r}")
        if raw is None:
            continue
        raw = _mapping(raw, here)
        _keys(raw, here, {"number", "vi", "en", "yes"}, {"confidence"})
        if _outcome(raw["yes"], f"{here}.yes") == "eligible":
            raise ConfigError(f"{here}.yes: a 'yes' must lead to caution, postpone or contraindicated")
        confidence = raw.get("confidence", "R")
        if confidence not in ("V", "V~", "R", "D"):
            raise ConfigError(f"{here}.confidence: expected V, V~, R or D, got {confidence!r}")
        questions.append(
            Question(
                code,
                _whole(raw["number"], f"{here}.number", minimum=1),
                _text(raw["vi"], f"{here}.vi"),
                _text(raw["en"], f"{here}.en"),
                raw["yes"],
                confidence,
            )
        )
    if not questions:
        raise ConfigError(f"{where}.questions: the checklist is empty")
    numbers = [q.number for q in questions]
    if len(set(numbers)) != len(numbers):
        raise ConfigError(f"{where}.questions: two questions share a number ({sorted(numbers)})")
    vitals = []
    for code, raw in _mapping(values["vitals"], f"{where}.vitals").items():
        here = f"{where}.vitals.{code}"
        if code not in VITALS:
            raise ConfigError(f"{where}.vitals: unknown measurement {code!r}; expected one of {list(VITALS)}")
        if raw is None:
            continue
        raw = _mapping(raw, here)
        _keys(raw, here, {"vi", "en", "outcome"}, {"above", "at_least", "below"})
        bounds = {
            k: (None if raw.get(k) is None else _number(raw[k], f"{here}.{k}")) for k in ("above", "at_least", "below")
        }
        if all(v is None for v in bounds.values()):
            raise ConfigError(f"{here}: give at least one of above, at_least, below")
        vitals.append(
            VitalBound(
                code,
                _text(raw["vi"], f"{here}.vi"),
                _text(raw["en"], f"{here}.en"),
                bounds["above"],
                bounds["at_least"],
                bounds["below"],
                _outcome(raw["outcome"], f"{here}.outcome"),
            )
        )
    return ScreeningRule(
        _text(values["instrument"], f"{where}.instrument"),
        tuple(sorted(questions, key=lambda q: q.number)),
        tuple(sorted(vitals, key=lambda v: VITALS.index(v.code))),
    )


# --- targets --------------------------------------------------------------------------------------
def compile_targets(values: Mapping[str, Any], where: str) -> TargetsRule:
    values = _mapping(values, where)
    _keys(values, where, {"coverage_pct"}, {"groups"})
    groups = {}
    for code, raw in _mapping(values.get("groups", {}), f"{where}.groups").items():
        if raw is not None:
            groups[code] = _pct(raw, f"{where}.groups.{code}")
    return TargetsRule(_pct(values["coverage_pct"], f"{where}.coverage_pct"), groups)
