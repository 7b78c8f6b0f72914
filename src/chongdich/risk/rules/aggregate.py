"""R-25: districts, provinces and the nation under 4800 and 218 — the same criteria evaluated on
totals of their sub-units (default), or the highest sub-unit level if a province configures it.
The method used is recorded on every result."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from chongdich.risk.rules.errors import ConfigError
from chongdich.risk.rules.input_names import input_name
from chongdich.risk.rules.inputs import UnitInputs
from chongdich.risk.rules.levels import LevelScale
from chongdich.risk.rules.results import Evaluation, Reason
from chongdich.risk.rules.tree import UnitTree
from chongdich.risk.rules.view import InputView, own_view, totals_view

METHODS = ("totals", "highest_child")
# Method codes recorded on results (documented in docs/risk/cli.md).
METHOD_OWN = "own_inputs"  # criteria on the unit's own figures
METHOD_TOTALS = "totals"  # criteria on the totals of the sub-units
METHOD_HIGHEST = "highest_child"  # highest sub-unit level


class HasAggregation(Protocol):
    aggregation: str


def check_method(raw: Any, where: str) -> str:
    if raw not in METHODS:
        raise ConfigError(f"{where}.aggregation: must be one of {METHODS}, got {raw!r}")
    return raw


def leaf_view(unit: UnitInputs, tree: UnitTree) -> InputView:
    return own_view(unit)


def zero_denominators(view: InputView, names: Sequence[str], result: Evaluation) -> list[str]:
    """Denominators that are present but 0: no rate can be computed, so no level (spec R-20)."""
    zeros = [name for name in names if view.values.get(name) == 0]
    for name in zeros:
        result.reasons.append(
            Reason(
                "R-20",
                f"{input_name(name, 'vi')} = 0: không tính được tỷ lệ",
                f"{input_name(name, 'en')} = 0: no rate can be computed",
            )
        )
    return zeros


def missing_reason(rule: str, missing: Sequence[str]) -> Reason:
    more = " …" if len(missing) > 12 else ""
    listed = {lang: ", ".join(input_name(ref, lang) for ref in missing[:12]) + more for lang in ("vi", "en")}
    return Reason(
        rule,
        f"thiếu dữ liệu bắt buộc: {listed['vi']} → chưa xác định cấp độ",
        f"required inputs missing: {listed['en']} → no level",
    )


Evaluate = Callable[[InputView, UnitInputs, Any], Evaluation]
LeafView = Callable[[UnitInputs, UnitTree], InputView]


def assess_bottom_up(
    tree: UnitTree,
    params_for: Callable[[UnitInputs], HasAggregation],
    evaluate: Evaluate,
    make_leaf_view: LeafView,
    levels: LevelScale,
) -> dict[str, Evaluation]:
    views: dict[str, InputView] = {}
    results: dict[str, Evaluation] = {}
    for unit in tree.bottom_up():
        params = params_for(unit)
        children = tree.children[unit.code]
        if not children:
            view = make_leaf_view(unit, tree)
            result = evaluate(view, unit, params)
            result.method = METHOD_OWN
        else:
            view = totals_view(unit, [(code, views[code]) for code in children])
            if params.aggregation == "highest_child":
                result = _highest_child(children, results, levels)
            else:
                result = evaluate(view, unit, params)
                result.method = METHOD_TOTALS
                result.reasons[:0] = [_totals_reason(len(children)), *view.notes]
        views[unit.code] = view
        results[unit.code] = result
    return results


def _totals_reason(count: int) -> Reason:
    return Reason.later("R-25", _totals_text, count)


def _totals_text(lang: str, count: int) -> str:
    if lang == "vi":
        return f"tính trên tổng số liệu của {count} đơn vị trực thuộc"
    return f"computed on the totals of {count} sub-unit{'' if count == 1 else 's'}"


def _highest_child(children: Sequence[str], results: dict[str, Evaluation], levels: LevelScale) -> Evaluation:
    result = Evaluation(method=METHOD_HIGHEST)
    unknown = [code for code in children if results[code].level is None]
    if unknown:
        result.missing = [
            label if "." in label else f"{code}.{label}" for code in unknown for label in results[code].missing
        ]
        result.reasons.append(
            Reason(
                "R-25", f"{len(unknown)} đơn vị trực thuộc chưa có cấp độ", f"{len(unknown)} sub-unit(s) have no level"
            )
        )
        return result
    result.level = max(results[code].level for code in children)  # type: ignore[type-var]
    top = [code for code in children if results[code].level == result.level]
    result.reasons.append(
        Reason(
            "R-25",
            f"cấp cao nhất của {len(children)} đơn vị trực thuộc: {levels.label_vi(result.level)} ({', '.join(top[:10])})",
            f"highest level of {len(children)} sub-units: {levels.label_en(result.level)} ({', '.join(top[:10])})",
        )
    )
    return result
