"""What an evaluation returns: reasons (rule lines that fired, in Vietnamese and English),
the level, the inputs used and the inputs that were needed but absent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from chongdich.risk.rules.levels import Framework, scale


class Reason:
    """A rule line that fired, e.g. ``R-10: cụm ca bệnh không rõ nguồn lây → Đỏ``.

    Either give both texts, or build it with ``Reason.later(rule, make, *args)`` where
    ``make(lang, *args)`` writes the text for ``"vi"`` or ``"en"`` on first use: a national run
    only formats the 10,000 units' reasons in the one language it prints."""

    __slots__ = ("rule", "_vi", "_en", "_make", "_args", "_line")

    def __init__(self, rule: str, vi: str, en: str):
        self.rule = rule
        self._vi: str | None = vi
        self._en: str | None = en
        self._line: str | None = None

    @classmethod
    def later(cls, rule: str, make: Callable[..., str], *args: Any) -> Reason:
        reason = cls.__new__(cls)
        reason.rule, reason._vi, reason._en, reason._make, reason._args = rule, None, None, make, args
        reason._line = None
        return reason

    @property
    def vi(self) -> str:
        if self._vi is None:
            self._vi = self._make("vi", *self._args)
        return self._vi

    @property
    def en(self) -> str:
        if self._en is None:
            self._en = self._make("en", *self._args)
        return self._en

    def text(self, lang: str = "vi") -> str:
        """``"R-10: …"`` in ``vi``, ``en`` or ``both``; the Vietnamese line is kept, since
        reasons shared by many units (same band, same matrix cell) are printed many times."""
        if lang == "en":
            return f"{self.rule}: {self.en}"
        if lang == "both":
            return f"{self.rule}: {self.vi} / {self.en}"
        if self._line is None:
            self._line = f"{self.rule}: {self.vi}"
        return self._line

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Reason):
            return NotImplemented
        return (self.rule, self.vi, self.en) == (other.rule, other.vi, other.en)

    def __hash__(self) -> int:
        return hash((self.rule, self.vi, self.en))

    def __repr__(self) -> str:
        return f"Reason({self.rule!r}, {self.vi!r}, {self.en!r})"


@dataclass(slots=True)
class Evaluation:
    """A framework's verdict on one unit before the local policy (R-14) is applied."""

    level: int | None = None
    reasons: list[Reason] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    inputs: dict[str, Any] = field(default_factory=dict)
    indicators: dict[str, Any] = field(default_factory=dict)
    method: str = ""


@dataclass(slots=True)
class Assessment:
    """The result for one unit: computed level, level to apply, and why."""

    code: str
    name: str
    tier: str
    framework: Framework
    rule_version: str
    as_of: date
    computed_level: int | None
    applied_level: int | None
    reasons: list[Reason]
    missing: list[str]
    inputs: dict[str, Any]
    indicators: dict[str, Any]
    method: str

    @property
    def colour(self) -> str | None:
        level = self.applied_level
        return None if level is None else scale(self.framework).colour(level)

    @property
    def computed_colour(self) -> str | None:
        level = self.computed_level
        return None if level is None else scale(self.framework).colour(level)

    def level_name(self, lang: str = "vi") -> str | None:
        level = self.applied_level
        if level is None:
            return None
        levels = scale(self.framework)
        return levels.name_en(level) if lang == "en" else levels.name_vi(level)

    def to_dict(self, lang: str = "vi", details: bool = True) -> dict[str, Any]:
        """JSON-ready form used by the CLI; ``details`` adds the derived indicators and the
        inputs used (a national run leaves them out: they double the output)."""
        row = {
            "code": self.code,
            "name": self.name,
            "level": self.tier,
            "framework": str(self.framework),
            "rule_version": self.rule_version,
            "as_of": self.as_of.isoformat(),
            "computed_level": self.computed_level,
            "applied_level": self.applied_level,
            "colour": self.colour,
            "level_name": self.level_name("en" if lang == "en" else "vi"),
            "reasons": [reason.text(lang) for reason in self.reasons],
            "missing": self.missing,
            "method": self.method,
        }
        if details:
            row["indicators"] = self.indicators
            row["inputs"] = self.inputs
        return row
