"""One assessment run: choose the framework, evaluate every unit (communes, then roll-ups),
apply the local policy, and return one ``Assessment`` per unit in input order."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from importlib import import_module
from typing import Any

from chongdich.risk.rules.config import FRAMEWORK_RULES, RiskConfig, default_config
from chongdich.risk.rules.errors import NoFrameworkInForce
from chongdich.risk.rules.inputs import UnitInputs
from chongdich.risk.rules.levels import Framework, scale
from chongdich.risk.rules.parsing import check_levels
from chongdich.risk.rules.policy import decide
from chongdich.risk.rules.results import Assessment, Evaluation
from chongdich.risk.rules.selection import select_framework
from chongdich.risk.rules.tree import UnitTree

Compile = Callable[[Mapping[str, Any], str], Any]
AssessTree = Callable[[UnitTree, Callable[[UnitInputs], Any]], dict[str, Evaluation]]

MODULES = {Framework.F2686: "framework_2686", Framework.F4800: "framework_4800", Framework.F218: "framework_218"}


def evaluator(framework: Framework) -> tuple[Compile, AssessTree]:
    """The framework's (compile_params, assess_tree); imported on demand to keep start-up short."""
    module = import_module(f"chongdich.risk.rules.{MODULES[framework]}")
    return module.compile_params, module.assess_tree


def assess_units(
    units: Sequence[UnitInputs],
    *,
    as_of: date,
    framework: Framework | str | None = None,
    config: RiskConfig | None = None,
    province: str | None = None,
) -> list[Assessment]:
    """Assess every unit.  Districts, provinces and the nation are rolled up from their children
    among ``units``.  ``framework`` None: chosen by date (R-01, with ``province``'s override).
    ``province`` is also the province whose overrides apply to units without a province ancestor.

    Raises ``InputError`` (bad references or levels), ``NoFrameworkInForce``, ``ConfigError``.
    """
    with no_gc():
        return _assess(units, as_of, framework, config or default_config(), province)


@contextmanager
def no_gc() -> Iterator[None]:
    # A run allocates ~10^6 short-lived objects and creates no reference cycles; the cyclic
    # collector would only rescan them (≈40% of a national run's time).
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _assess(
    units: Sequence[UnitInputs],
    as_of: date,
    framework: Framework | str | None,
    config: RiskConfig,
    province: str | None,
) -> list[Assessment]:
    chosen = Framework(framework) if framework is not None else select_framework(as_of, province, config)
    if chosen is None:
        raise NoFrameworkInForce(as_of)
    levels = scale(chosen)
    tree = UnitTree(units)
    check_levels(tree.units, levels.valid, f"{levels.lowest}–{levels.highest}")
    compile_params, assess_tree = evaluator(chosen)
    key = FRAMEWORK_RULES[chosen]
    by_province: dict[str | None, tuple[Any, Any]] = {}  # → (rule version, compiled parameters)
    rules: dict[str, tuple[Any, Any]] = {}  # unit code → the same
    for unit in tree.units:
        where = tree.province_of(unit) or province
        if where not in by_province:
            by_province[where] = config.compiled(key, as_of, where, compile_params)
        rules[unit.code] = by_province[where]
    evaluations = assess_tree(tree, lambda unit: rules[unit.code][1])
    computed = {code: evaluation.level for code, evaluation in evaluations.items()}
    return [
        _assessment(unit, tree, evaluations[unit.code], computed, *rules[unit.code], chosen, as_of)
        for unit in tree.units
    ]


def _assessment(
    unit: UnitInputs,
    tree: UnitTree,
    evaluation: Evaluation,
    computed: Mapping[str, int | None],
    version: Any,
    params: Any,
    framework: Framework,
    as_of: date,
) -> Assessment:
    levels = scale(framework)
    policy = params.policy
    neighbour_levels: Mapping[str, int | None] = {}
    if policy.raise_next_to_higher_by:  # only then do the neighbours' levels matter
        neighbour_levels = {code: computed[code] for code in sorted(tree.neighbours[unit.code])}
    applied = decide(evaluation.level, unit.tier, unit.is_border, neighbour_levels, unit.override_level, policy, levels)
    inputs = evaluation.inputs
    if unit.is_border is not None:
        inputs["is_border"] = unit.is_border
    if unit.override_level is not None:
        inputs["override_level"] = unit.override_level
    return Assessment(
        code=unit.code,
        name=unit.name,
        tier=unit.tier.value,
        framework=framework,
        rule_version=version.version,
        as_of=as_of,
        computed_level=evaluation.level,
        applied_level=applied.level,
        reasons=evaluation.reasons + applied.reasons if applied.reasons else evaluation.reasons,
        missing=list(dict.fromkeys(evaluation.missing + applied.missing)) if applied.missing else evaluation.missing,
        inputs=inputs,
        indicators=evaluation.indicators,
        method=evaluation.method,
    )
