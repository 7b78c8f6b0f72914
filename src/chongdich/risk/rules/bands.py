"""Exact band tables: a value is placed in a band without rounding.

Rates are kept as integer ratios (``cases × 100000`` over ``population``) and compared with
thresholds by cross-multiplication, so 1 case in 5,000 people is exactly 20 per 100,000 and
lands in the band that starts "from 20" (spec §7: lower bounds inclusive, comparisons unrounded).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from itertools import pairwise
from typing import Any

from chongdich.risk.rules.errors import ConfigError
from chongdich.risk.rules.fmt import num_en, num_vi


class Ratio:
    """``num / den`` kept exact (den > 0).  A plain slotted class: it is built for every rate of
    every unit, and a frozen dataclass costs twice as much to create."""

    __slots__ = ("num", "den")

    def __init__(self, num: int, den: int):
        self.num = num
        self.den = den

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ratio) and self.num * other.den == other.num * self.den

    def __repr__(self) -> str:
        return f"Ratio({self.num}, {self.den})"

    def __float__(self) -> float:
        return self.num / self.den

    def at_least(self, threshold: Fraction) -> bool:
        return self.num * threshold.denominator >= threshold.numerator * self.den

    def more_than(self, threshold: Fraction) -> bool:
        return self.num * threshold.denominator > threshold.numerator * self.den


def per_100k(count: int, population: int) -> Ratio:
    return Ratio(count * 100_000, population)


def percent(part: int, whole: int) -> Ratio:
    return Ratio(part * 100, whole)


Value = Ratio | int | float


def reaches(value: Value, threshold: Fraction, inclusive: bool) -> bool:
    """``value ≥ threshold`` (inclusive) or ``value > threshold``, exactly."""
    if isinstance(value, Ratio):
        return value.at_least(threshold) if inclusive else value.more_than(threshold)
    near = float(threshold)
    if value != near:  # rounding to a double keeps order, so unequal doubles already decide
        return value > near
    exact = decimal(value)
    return exact >= threshold if inclusive else exact > threshold


def decimal(value: int | float) -> Fraction:
    """A number as the decimal it was written as: 0.2 from JSON means 1/5, not the double
    just above it, so that an input equal to a threshold compares equal."""
    return Fraction(value) if type(value) is int else Fraction(repr(value))


def threshold(raw: Any, where: str) -> Fraction:
    """A configured number as an exact fraction (``0.3`` means 3/10, not the nearest double)."""
    if type(raw) is int:
        return Fraction(raw)
    if type(raw) is float:
        return Fraction(str(raw))
    raise ConfigError(f"{where}: expected a number, got {raw!r}")


@dataclass(frozen=True, slots=True)
class Cut:
    label: Hashable
    threshold: Fraction
    inclusive: bool  # "at_least" (≥) or "more_than" (>)
    # The threshold's parts and nearest double, kept ready for the comparisons below.
    num: int = field(init=False, repr=False, compare=False)
    den: int = field(init=False, repr=False, compare=False)
    near: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "num", self.threshold.numerator)
        object.__setattr__(self, "den", self.threshold.denominator)
        object.__setattr__(self, "near", float(self.threshold))

    def reached(self, value: Value) -> bool:
        if type(value) is Ratio:
            left, right = value.num * self.den, self.num * value.den
            return left > right or (left == right and self.inclusive)
        if value != self.near:  # rounding to a double keeps order, so unequal doubles already decide
            return value > self.near
        return reaches(value, self.threshold, self.inclusive)


@dataclass(frozen=True)
class BandTable:
    """``base`` below the first cut; each cut starts the next band (cuts ascending)."""

    base: Hashable
    cuts: tuple[Cut, ...]

    def band(self, value: Value) -> Hashable:
        label = self.base
        if type(value) is Ratio:  # the hot path: cross-multiplied integers
            num, den = value.num, value.den
            for cut in self.cuts:
                left, right = num * cut.den, cut.num * den
                if left < right or (left == right and not cut.inclusive):
                    break
                label = cut.label
            return label
        for cut in self.cuts:
            if not cut.reached(value):
                break
            label = cut.label
        return label

    @cached_property
    def labels(self) -> tuple[Hashable, ...]:
        return (self.base, *(cut.label for cut in self.cuts))

    def interval(self, label: Hashable, var: str = "x", lang: str = "vi") -> str:
        """Human text of a band: ``r < 20``, ``20 ≤ r < 50`` or ``r > 600`` (cached)."""
        key = (label, var, lang)
        texts = self._texts
        if key not in texts:
            texts[key] = self._interval(label, var, lang)
        return texts[key]

    @cached_property
    def _texts(self) -> dict[tuple[Hashable, str, str], str]:
        return {}

    def _interval(self, label: Hashable, var: str, lang: str) -> str:
        number = num_vi if lang == "vi" else num_en
        index = self.labels.index(label)
        lower = self.cuts[index - 1] if index > 0 else None
        upper = self.cuts[index] if index < len(self.cuts) else None
        text = var
        if lower is not None:
            op = "≤" if lower.inclusive else "<"
            text = f"{number(float(lower.threshold))} {op} {var}"
            if upper is None:  # open top band reads better as "r ≥ 150"
                text = f"{var} {'≥' if lower.inclusive else '>'} {number(float(lower.threshold))}"
        if upper is not None:
            text += f" {'<' if upper.inclusive else '≤'} {number(float(upper.threshold))}"
        return text

    @classmethod
    def from_config(cls, raw: Mapping[str, Any], where: str, labels: Sequence[Hashable] | None = None) -> BandTable:
        """Parse ``{"base": 1, "cuts": [{"label": 2, "at_least": 20}, {"label": 4, "more_than": 600}]}``."""
        if not isinstance(raw, Mapping) or "base" not in raw or "cuts" not in raw:
            raise ConfigError(f"{where}: expected {{'base': …, 'cuts': [...]}}")
        cuts = []
        for i, item in enumerate(raw["cuts"]):
            spot = f"{where}.cuts[{i}]"
            if not isinstance(item, Mapping) or "label" not in item:
                raise ConfigError(f"{spot}: expected {{'label': …, 'at_least'|'more_than': number}}")
            bounds = [k for k in ("at_least", "more_than") if k in item]
            if len(bounds) != 1:
                raise ConfigError(f"{spot}: give exactly one of 'at_least' or 'more_than'")
            cuts.append(Cut(item["label"], threshold(item[bounds[0]], spot), bounds[0] == "at_least"))
        for before, after in pairwise(cuts):
            if after.threshold < before.threshold or (
                after.threshold == before.threshold and not (before.inclusive and not after.inclusive)
            ):
                raise ConfigError(f"{where}: cuts must be in ascending order")
        table = cls(raw["base"], tuple(cuts))
        if labels is not None and set(table.labels) - set(labels):
            raise ConfigError(f"{where}: labels {table.labels!r} must be among {tuple(labels)!r}")
        if len(set(table.labels)) != len(table.labels):
            raise ConfigError(f"{where}: band labels must be distinct")
        return table
