"""District outbreak scenarios from active cases under treatment, and each scenario's response
package as task templates (agency, what to do, deadline offset).  Default thresholds: 1 below
100, 2 from 100 to 500, 3 above 500 (KH 152/KH-UBND, Bù Gia Mập); all configurable."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from chongdich.risk.rules.bands import BandTable
from chongdich.risk.rules.config import SCENARIOS_KEY, RiskConfig, default_config
from chongdich.risk.rules.errors import ConfigError
from chongdich.risk.rules.fmt import num_en, num_vi
from chongdich.risk.rules.results import Reason


@dataclass(frozen=True, slots=True)
class TaskTemplate:
    code: str
    agency: str
    agency_vi: str
    agency_en: str
    vi: str
    en: str
    deadline_hours: int  # after the scenario is activated
    scenario: int  # the scenario that introduced it


@dataclass(frozen=True, slots=True)
class ScenarioPlan:
    scenario: int
    active_cases: int
    vi: str
    en: str
    tasks: tuple[TaskTemplate, ...]
    reason: Reason
    rule_version: str


def select_scenario(
    active_cases: int, *, on: date, province: str | None = None, config: RiskConfig | None = None
) -> ScenarioPlan:
    """The scenario for a district with ``active_cases`` under treatment, with its tasks."""
    if type(active_cases) is not int or active_cases < 0:
        raise ValueError(f"active_cases must be a whole number ≥ 0, got {active_cases!r}")
    version, (bands, plans, cumulative) = (config or default_config()).compiled(SCENARIOS_KEY, on, province, _compile)
    number = int(bands.band(active_cases))  # type: ignore[call-overload]
    chosen: dict[str, TaskTemplate] = {}
    for at in sorted(plans):
        if at == number or (cumulative and at < number):
            chosen.update(plans[at]["tasks"])  # a later scenario's task replaces the earlier one
    plan = plans[number]
    reason = Reason(
        "KB",
        f"{num_vi(active_cases)} ca đang điều trị ({bands.interval(number, 'n', 'vi')}) → {plan['vi']}",
        f"{num_en(active_cases)} active cases ({bands.interval(number, 'n', 'en')}) → {plan['en']}",
    )
    return ScenarioPlan(number, active_cases, plan["vi"], plan["en"], tuple(chosen.values()), reason, version.version)


def _compile(values: Mapping[str, Any], where: str) -> tuple[BandTable, dict[int, dict[str, Any]], bool]:
    agencies = values["agencies"]
    plans = {}
    for key, raw in values["scenarios"].items():
        number = int(key)
        tasks = {}
        for code, item in raw["tasks"].items():
            agency = agencies.get(item["agency"])
            if agency is None:
                raise ConfigError(f"{where}.scenarios.{key}.tasks.{code}: unknown agency {item['agency']!r}")
            hours = item["deadline_hours"]
            if type(hours) is not int or hours < 0:
                raise ConfigError(f"{where}.scenarios.{key}.tasks.{code}: deadline_hours must be a whole number ≥ 0")
            tasks[code] = TaskTemplate(
                code, item["agency"], agency["vi"], agency["en"], item["vi"], item["en"], hours, number
            )
        plans[number] = {"vi": raw["vi"], "en": raw["en"], "tasks": tasks}
    bands = BandTable.from_config(values["bands"], f"{where}.bands", tuple(plans))
    return bands, plans, bool(values.get("cumulative", True))
