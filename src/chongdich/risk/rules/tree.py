"""The administrative tree of one assessment run: parents, children, neighbours, provinces.

Built once per run from the units given; refuses duplicate codes, unknown parents or
neighbours, a parent that is not a higher tier, and neighbours of another tier.
"""

from __future__ import annotations

from collections.abc import Sequence

from chongdich.risk.rules.errors import InputError, Problem
from chongdich.risk.rules.inputs import UnitInputs, unit_ref
from chongdich.risk.rules.levels import Tier


class UnitTree:
    def __init__(self, units: Sequence[UnitInputs]):
        self.units = list(units)
        self.by_code: dict[str, UnitInputs] = {}
        problems: list[Problem] = []
        for unit in self.units:
            if unit.code in self.by_code:
                problems.append(Problem(unit_ref(unit), "code", "mã bị trùng", "duplicate code"))
            self.by_code[unit.code] = unit
        self.children: dict[str, list[str]] = {unit.code: [] for unit in self.units}
        for unit in self.units:
            self._link_parent(unit, problems)
            self._check_neighbours(unit, problems)
        if problems:
            raise InputError(problems)
        self.neighbours = self._symmetric_neighbours()
        self._province: dict[str, str | None] = {}
        self._ancestors: dict[tuple[str, Tier], UnitInputs | None] = {}

    def _link_parent(self, unit: UnitInputs, problems: list[Problem]) -> None:
        if unit.parent is None:
            return
        parent = self.by_code.get(unit.parent)
        if parent is None:
            problems.append(
                Problem(
                    unit_ref(unit),
                    "parent",
                    f"không có đơn vị mã {unit.parent} trong tệp",
                    f"no unit with code {unit.parent} in the file",
                )
            )
        elif parent.tier.rank <= unit.tier.rank:
            problems.append(
                Problem(
                    unit_ref(unit),
                    "parent",
                    f"{unit.parent} ({parent.tier}) không phải cấp trên",
                    f"{unit.parent} ({parent.tier}) is not a higher tier",
                )
            )
        else:
            self.children[parent.code].append(unit.code)

    def _check_neighbours(self, unit: UnitInputs, problems: list[Problem]) -> None:
        for code in unit.neighbours or ():
            other = self.by_code.get(code)
            if other is None:
                problems.append(
                    Problem(
                        unit_ref(unit),
                        "neighbours",
                        f"không có đơn vị mã {code} trong tệp",
                        f"no unit with code {code} in the file",
                    )
                )
            elif code == unit.code:
                problems.append(
                    Problem(
                        unit_ref(unit),
                        "neighbours",
                        "đơn vị không thể giáp ranh chính nó",
                        "a unit cannot border itself",
                    )
                )
            elif other.tier is not unit.tier:
                problems.append(
                    Problem(
                        unit_ref(unit),
                        "neighbours",
                        f"{code} là {other.tier}, khác cấp",
                        f"{code} is a {other.tier}, not a {unit.tier}",
                    )
                )

    def _symmetric_neighbours(self) -> dict[str, set[str]]:
        # Bordering is symmetric: if either side lists the other they are neighbours.
        graph: dict[str, set[str]] = {unit.code: set() for unit in self.units}
        for unit in self.units:
            for code in unit.neighbours or ():
                graph[unit.code].add(code)
                graph[code].add(unit.code)
        return graph

    def __getitem__(self, code: str) -> UnitInputs:
        return self.by_code[code]

    def of_tier(self, tier: Tier) -> list[UnitInputs]:
        return [unit for unit in self.units if unit.tier is tier]

    def bottom_up(self) -> list[UnitInputs]:
        """Units ordered so that every child comes before its parent."""
        return sorted(self.units, key=lambda unit: unit.tier.rank)

    def parent(self, unit: UnitInputs) -> UnitInputs | None:
        return None if unit.parent is None else self.by_code[unit.parent]

    def ancestor(self, unit: UnitInputs, tier: Tier) -> UnitInputs | None:
        """The unit itself or its nearest ancestor of ``tier`` (cached)."""
        key = (unit.code, tier)
        if key not in self._ancestors:
            node: UnitInputs | None = unit
            while node is not None and node.tier.rank < tier.rank:
                node = self.parent(node)
            self._ancestors[key] = node if node is not None and node.tier is tier else None
        return self._ancestors[key]

    def province_of(self, unit: UnitInputs) -> str | None:
        """Province code used to pick province overrides (None for the nation or orphans)."""
        code = unit.code
        if code not in self._province:
            province = self.ancestor(unit, Tier.PROVINCE)
            self._province[code] = province.code if province else None
        return self._province[code]
