"""Pure-Python risk-level rules for Vietnam's COVID-19 frameworks (2686, 4800, 218), directive
measure sets (15/16/19), local policy and district scenarios.  No Django import anywhere here.

Public API::

    assess_units(units, as_of=..., framework=None, config=None, province=None) -> list[Assessment]
    parse_units(json_data) -> list[UnitInputs]
    select_framework(on, province=None, config=None) -> Framework | None
    measures_for(framework, level, on=..., province=None, config=None) -> MeasureSet
    directive(name, on=..., province=None, config=None) -> Directive
    check_override(computed, requested, scale(framework)) -> OverrideDecision
    select_scenario(active_cases, on=..., province=None, config=None) -> ScenarioPlan
    under_control(ControlInputs(...), on=..., province=None, config=None) -> ControlResult
    default_config() / RiskConfig(versions) / version_from_dict(json)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# Names are imported on first use (PEP 562) so that the CLI loads only the modules it needs.
_EXPORTS = {
    "RiskConfig": "config",
    "default_config": "config",
    "version_from_dict": "config",
    "Directive": "directives",
    "DirectiveLimits": "directives",
    "directive": "directives",
    "assess_units": "engine",
    "ConfigError": "errors",
    "InputError": "errors",
    "NoFrameworkInForce": "errors",
    "Problem": "errors",
    "Cluster": "inputs",
    "UnitInputs": "inputs",
    "parse_units": "parsing",
    "COLOURS": "levels",
    "Framework": "levels",
    "LevelScale": "levels",
    "Tier": "levels",
    "scale": "levels",
    "Measure": "measures",
    "MeasureSet": "measures",
    "measures_for": "measures",
    "OverrideDecision": "policy",
    "check_override": "policy",
    "effective_from": "policy",
    "Assessment": "results",
    "Reason": "results",
    "ScenarioPlan": "scenarios",
    "TaskTemplate": "scenarios",
    "select_scenario": "scenarios",
    "select_framework": "selection",
    "ControlInputs": "control",
    "ControlResult": "control",
    "under_control": "control",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from chongdich.risk.rules.config import RiskConfig, default_config, version_from_dict
    from chongdich.risk.rules.control import ControlInputs, ControlResult, under_control
    from chongdich.risk.rules.directives import Directive, DirectiveLimits, directive
    from chongdich.risk.rules.engine import assess_units
    from chongdich.risk.rules.errors import ConfigError, InputError, NoFrameworkInForce, Problem
    from chongdich.risk.rules.inputs import Cluster, UnitInputs
    from chongdich.risk.rules.levels import COLOURS, Framework, LevelScale, Tier, scale
    from chongdich.risk.rules.measures import Measure, MeasureSet, measures_for
    from chongdich.risk.rules.parsing import parse_units
    from chongdich.risk.rules.policy import OverrideDecision, check_override, effective_from
    from chongdich.risk.rules.results import Assessment, Reason
    from chongdich.risk.rules.scenarios import ScenarioPlan, TaskTemplate, select_scenario
    from chongdich.risk.rules.selection import select_framework

__all__ = [
    "COLOURS",
    "Assessment",
    "Cluster",
    "ConfigError",
    "ControlInputs",
    "ControlResult",
    "Directive",
    "DirectiveLimits",
    "Framework",
    "InputError",
    "LevelScale",
    "Measure",
    "MeasureSet",
    "NoFrameworkInForce",
    "OverrideDecision",
    "Problem",
    "Reason",
    "RiskConfig",
    "ScenarioPlan",
    "TaskTemplate",
    "Tier",
    "UnitInputs",
    "assess_units",
    "check_override",
    "default_config",
    "directive",
    "effective_from",
    "measures_for",
    "parse_units",
    "scale",
    "select_framework",
    "select_scenario",
    "under_control",
    "version_from_dict",
]
