"""What an evaluation returns: reasons (rule lines that fired, in Vietnamese and English),
the level, the inputs used and the inputs that were needed but absent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from chongdich.risk.rules.levels import Framework, scale


@dataclass(frozen=True, slots=True)
class Reason:
    rule: str  # "R-10", "R-22", …
    vi: str
    en: str

    def text(self, lang: str = "vi") -> str:
        if lang == "en":
            return f"{self.rule}: {self.en}"
        if lang == "both":
            return f"{self.rule}: {self.vi} / {self.en}"
        return f"{self.rule}: {self.vi}"


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

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """JSON-ready form used by the CLI (and handy for storing ``inputs_json``)."""
        return {
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
            "indicators": self.indicators,
            "inputs": self.inputs,
        }
