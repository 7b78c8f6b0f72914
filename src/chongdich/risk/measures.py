"""The measure catalogue seen from the system: the measures in force for a unit's level (with its
province's changes), and a framework's catalogue by level, read from the rules (``measures_for``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from chongdich.risk.configuration import deployment_config
from chongdich.risk.rules import MeasureSet, RiskConfig, measures_for, scale
from chongdich.risk.rules.config import MEASURES_KEY

FRAMEWORK_TITLES = {
    "2686": ("QĐ 2686/QĐ-BCĐQG (31/5/2021)", "Decision 2686/QĐ-BCĐQG (31/5/2021)"),
    "4800": (
        "NQ 128/NQ-CP và QĐ 4800/QĐ-BYT (11–12/10/2021)",
        "Resolution 128/NQ-CP and Decision 4800/QĐ-BYT (11–12/10/2021)",
    ),
    "218": ("QĐ 218/QĐ-BYT (27/1/2022)", "Decision 218/QĐ-BYT (27/1/2022)"),
}


def framework_title(framework: str, lang: str = "vi") -> str:
    titles = FRAMEWORK_TITLES.get(framework)
    if titles is None:
        return framework
    return titles[1] if lang == "en" else titles[0]


def measures_in_force(
    framework: str, level: int | None, *, on: date, province: str | None, config: RiskConfig | None = None
) -> MeasureSet | None:
    if level is None or not framework:
        return None
    return measures_for(framework, level, on=on, province=province or None, config=config or deployment_config())


@dataclass
class CatalogueLevel:
    level: int
    colour: str
    label_vi: str
    label_en: str
    measures: MeasureSet


def catalogue_day(framework: str, on: date, config: RiskConfig) -> date:
    """``on``, or the first day of the framework's catalogue when it was not in force yet on ``on``
    (or the last day when it no longer was)."""
    versions = [v for v in config.book(MEASURES_KEY[framework]).versions if v.province is None]
    if not versions or any(v.covers(on) for v in versions):
        return on
    later = [v.effective_from for v in versions if v.effective_from > on]
    if later:
        return min(later)
    return max(v.effective_to for v in versions if v.effective_to) - timedelta(days=1)


def catalogue(
    framework: str, *, on: date, province: str | None = None, config: RiskConfig | None = None
) -> list[CatalogueLevel]:
    """Every level of ``framework`` with its measures on ``on`` (with the province's changes)."""
    config = config or deployment_config()
    levels = scale(framework)
    return [
        CatalogueLevel(
            level,
            levels.colour(level),
            levels.label_vi(level),
            levels.label_en(level),
            measures_for(framework, level, on=on, province=province or None, config=config),
        )
        for level in levels.levels
    ]
