"""R-01: which framework is in force on a date (a province override may keep an older one)."""

from __future__ import annotations

from datetime import date

from chongdich.risk.rules.config import FRAMEWORK_KEY, RiskConfig, default_config
from chongdich.risk.rules.levels import Framework


def select_framework(on: date, province: str | None = None, config: RiskConfig | None = None) -> Framework | None:
    """The framework in force, or None before 31/5/2021 (directives 15/16/19 only)."""
    version = (config or default_config()).rule(FRAMEWORK_KEY, on, province)
    chosen = version.values.get("framework")
    return None if chosen is None else Framework(chosen)
