"""The inputs a framework reads for one unit: its own values (a commune) or totals over its
children (R-25), with each absent value traced to the unit that lacks it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from chongdich.risk.rules.fmt import num_en, num_vi
from chongdich.risk.rules.inputs import COUNT_INPUTS, RATE_INPUTS, UnitInputs
from chongdich.risk.rules.results import Reason


@dataclass(slots=True)
class InputView:
    values: dict[str, Any]  # may hold other fields and None for absent inputs: read with .get()
    gaps: dict[str, list[str]] = field(default_factory=dict)  # name → "child.name" labels
    notes: list[Reason] = field(default_factory=list)
    children: int = 0  # 0 for a unit read from its own inputs

    def absent(self, names: Iterable[str]) -> list[str]:
        """Labels of the inputs among ``names`` that are absent: the name itself for a unit's
        own input, or ``"<child code>.<name>"`` for each child that lacks it."""
        labels: list[str] = []
        for name in names:
            if self.values.get(name) is None:
                labels.extend(self.gaps.get(name, (name,)))
        return labels


def own_view(unit: UnitInputs) -> InputView:
    """The unit's own fields, read in place (no copy): ``None`` or a missing key is absent.
    Callers that add values (inheritance) must copy first."""
    return InputView(unit.__dict__)


def totals_view(unit: UnitInputs, children: Sequence[tuple[str, InputView]]) -> InputView:
    """R-25 'totals': counts summed over the children; capacity ready only if the unit (when it
    says) and every child are ready; capacity rates from the unit itself, else population-weighted."""
    view = InputView({}, children=len(children))
    for name in COUNT_INPUTS:
        _sum_counts(view, name, children)
        _note_difference(view, unit, name)
    _all_ready(view, unit, children)
    for name in RATE_INPUTS:
        if getattr(unit, name) is not None:
            view.values[name] = getattr(unit, name)
        else:
            _weighted_rate(view, name, children)
    return view


def _child_labels(code: str, child: InputView, name: str) -> list[str]:
    return child.gaps.get(name, [f"{code}.{name}"])


def _sum_counts(view: InputView, name: str, children: Sequence[tuple[str, InputView]]) -> None:
    values = [child.values.get(name) for _, child in children]
    if None in values:
        view.gaps[name] = [
            label
            for code, child in children
            if child.values.get(name) is None
            for label in _child_labels(code, child, name)
        ]
    else:
        view.values[name] = sum(values)


def _note_difference(view: InputView, unit: UnitInputs, name: str) -> None:
    own, total = getattr(unit, name), view.values.get(name)
    if own is not None and total is not None and own != total:
        view.notes.append(
            Reason(
                "R-25",
                f"{name} của {unit.code} ({num_vi(own)}) khác tổng các đơn vị trực thuộc ({num_vi(total)}); dùng tổng",
                f"{name} of {unit.code} ({num_en(own)}) differs from its sub-units' total ({num_en(total)}); total used",
            )
        )


def _all_ready(view: InputView, unit: UnitInputs, children: Sequence[tuple[str, InputView]]) -> None:
    states = [] if unit.capacity_ready is None else [unit.capacity_ready]
    states += [child.values.get("capacity_ready") for _, child in children]
    if False in states:
        view.values["capacity_ready"] = False
    elif None in states:
        view.gaps["capacity_ready"] = [
            label
            for code, child in children
            if child.values.get("capacity_ready") is None
            for label in _child_labels(code, child, "capacity_ready")
        ]
    else:
        view.values["capacity_ready"] = True


def _weighted_rate(view: InputView, name: str, children: Sequence[tuple[str, InputView]]) -> None:
    lacking = [
        label
        for code, child in children
        for need in (name, "population")
        if child.values.get(need) is None
        for label in _child_labels(code, child, need)
    ]
    population = sum((child.values.get("population") or 0) for _, child in children)
    if lacking or not population:
        view.gaps[name] = lacking or [name]
        return
    view.values[name] = sum(child.values[name] * child.values["population"] for _, child in children) / population
