"""QĐ 2686/QĐ-BCĐQG: commune levels from epidemiological factors (R-10), adjacency to a fixed
point, and roll-up to district, province and nation (R-11, R-12).

Factors are "any one of": a level is set by one factor that holds, so an absent input only
matters if it could still lift the unit higher.  Each unit therefore carries bounds (lowest,
highest possible level); the level is known when they meet, otherwise it is None and the
absent inputs that keep them apart are reported.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from chongdich.risk.rules.bands import per_100k, threshold
from chongdich.risk.rules.errors import ConfigError
from chongdich.risk.rules.fmt import num_en, num_vi
from chongdich.risk.rules.inputs import CLUSTER_SETTINGS, SETTING_NAMES, UnitInputs
from chongdich.risk.rules.levels import SCALES, Framework, Tier
from chongdich.risk.rules.policy import PolicyRules, compile_policy
from chongdich.risk.rules.results import Evaluation, Reason
from chongdich.risk.rules.rollup import RollupRules, compile_rollup, roll_up
from chongdich.risk.rules.tree import UnitTree

LEVELS = SCALES[Framework.F2686]
GREEN, YELLOW, ORANGE, RED = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class Params2686:
    cluster_min_cases: int
    high_contact_settings: frozenset[str]
    yellow_rate_over: Fraction | None  # optional TTXVN reading: known-source F0 > X per 100k in 14 days
    adjacency: tuple[int, ...]  # indexed by a neighbour's level → minimum level it imposes
    rollup: RollupRules
    policy: PolicyRules


def compile_params(values: Mapping[str, Any], where: str) -> Params2686:
    commune = values["commune"]
    settings = frozenset(commune["high_contact_settings"])
    if settings - set(CLUSTER_SETTINGS):
        raise ConfigError(f"{where}.commune.high_contact_settings: unknown {sorted(settings - set(CLUSTER_SETTINGS))}")
    rate = commune.get("yellow_known_source_rate_per_100k_over")
    return Params2686(
        cluster_min_cases=int(commune["cluster_min_cases"]),
        high_contact_settings=settings,
        yellow_rate_over=None if rate is None else threshold(rate, f"{where}.commune.yellow_rate"),
        adjacency=_adjacency(values["adjacency"], where),
        rollup=compile_rollup(values["rollup"], where, tuple(LEVELS.levels)),
        policy=compile_policy(values["policy"], where),
    )


def _adjacency(raw: Mapping[str, int], where: str) -> tuple[int, ...]:
    floors = [GREEN] * 4
    for key, minimum in raw.items():
        level = int(key)
        if not (GREEN <= minimum < level <= RED):  # below the neighbour's level: never cascades upward
            raise ConfigError(f"{where}.adjacency: {key} → {minimum} must map a level to a lower one")
        for above in range(level, RED + 1):  # bordering red also counts as bordering orange
            floors[above] = max(floors[above], minimum)
    return tuple(floors)


# --- one commune's own factors ------------------------------------------------------


@dataclass(slots=True)
class Own:
    """What a commune's own inputs say: bounds, the reasons per level, absent inputs per level."""

    low: int = GREEN
    high: int = GREEN
    fired: dict[int, list[Reason]] = field(default_factory=dict)
    unknown: dict[int, list[str]] = field(default_factory=dict)  # level → absent inputs that could lift to it
    inputs: dict[str, Any] = field(default_factory=dict)

    def holds(self, level: int, reason: Reason) -> None:
        self.fired.setdefault(level, []).append(reason)
        self.low, self.high = max(self.low, level), max(self.high, level)

    def may_hold(self, level: int, *names: str) -> None:
        self.unknown.setdefault(level, []).extend(names)
        self.high = max(self.high, level)

    def missing_above(self, level: int) -> list[str]:
        return sorted({name for at, names in self.unknown.items() if at > level for name in names})


def own_factors(unit: UnitInputs, p: Params2686) -> Own:
    own = Own()
    _red_factors(unit, p, own)
    _orange_factors(unit, own)
    _yellow_factors(unit, p, own)
    if unit.neighbours is None:  # bordering areas unknown: adjacency could lift it to orange
        own.may_hold(max(p.adjacency), "neighbours")
    return own


def _red_factors(unit: UnitInputs, p: Params2686, own: Own) -> None:
    if unit.clusters is None:
        own.may_hold(RED, "clusters")
        return
    own.inputs["clusters"] = [
        {"source_known": c.source_known, "setting": c.setting, "cases": c.cases} for c in unit.clusters
    ]
    clusters = [c for c in unit.clusters if c.cases >= p.cluster_min_cases]
    if any(not c.source_known for c in clusters):
        own.holds(RED, Reason("R-10", "cụm ca bệnh không rõ nguồn lây → Đỏ", "cluster with no traceable source → red"))
    settings = sorted({c.setting for c in clusters if c.setting in p.high_contact_settings})
    if settings:
        listed_vi = ", ".join(SETTING_NAMES[s][0] for s in settings)
        listed_en = ", ".join(SETTING_NAMES[s][1] for s in settings)
        own.holds(
            RED,
            Reason(
                "R-10",
                f"cụm ca bệnh tại nơi tiếp xúc đông người ({listed_vi}) → Đỏ",
                f"cluster in a high-contact setting ({listed_en}) → red",
            ),
        )


def _orange_factors(unit: UnitInputs, own: Own) -> None:
    cases = unit.unknown_source_cases_14d
    if cases is None:
        own.may_hold(ORANGE, "unknown_source_cases_14d")
    else:
        own.inputs["unknown_source_cases_14d"] = cases
        if cases >= 1:
            own.holds(
                ORANGE,
                Reason(
                    "R-10",
                    f"{cases} ca bệnh không rõ nguồn lây trong 14 ngày → Cam",
                    f"{cases} case(s) with unknown source in 14 days → orange",
                ),
            )
    if unit.linked_to_red_cluster_place:
        own.inputs["linked_to_red_cluster_place"] = True
        own.holds(
            ORANGE,
            Reason(
                "R-10",
                "nguồn lây là nơi đông người thuộc ổ dịch mức Đỏ → Cam",
                "source is a crowded place of a red-level cluster → orange",
            ),
        )


def _yellow_factors(unit: UnitInputs, p: Params2686, own: Own) -> None:
    _known_source_factor(unit, p, own)
    if unit.f1_present is None:
        own.may_hold(YELLOW, "f1_present")
    else:
        own.inputs["f1_present"] = unit.f1_present
        if unit.f1_present:
            own.holds(YELLOW, Reason("R-10", "có F1 trong cộng đồng → Vàng", "F1 contacts in the community → yellow"))
    if unit.illegal_entry_risk:
        own.inputs["illegal_entry_risk"] = True
        own.holds(
            YELLOW,
            Reason(
                "R-10",
                "nguy cơ từ người nhập cảnh trái phép/cách ly tập trung đông → Vàng",
                "risk from illegal entrants / large concentrated quarantine → yellow",
            ),
        )


def _known_source_factor(unit: UnitInputs, p: Params2686, own: Own) -> None:
    cases = unit.known_source_cases_14d
    if cases is None:
        own.may_hold(YELLOW, "known_source_cases_14d")
        return
    own.inputs["known_source_cases_14d"] = cases
    if cases < 1:
        return
    if p.yellow_rate_over is None:
        own.holds(
            YELLOW,
            Reason(
                "R-10",
                f"{cases} ca bệnh trong cộng đồng rõ nguồn lây → Vàng",
                f"{cases} community case(s) with known source → yellow",
            ),
        )
        return
    if not unit.population:
        own.may_hold(YELLOW, "population")
        return
    own.inputs["population"] = unit.population
    rate = per_100k(cases, unit.population)
    limit_vi, limit_en = num_vi(float(p.yellow_rate_over)), num_en(float(p.yellow_rate_over))
    if rate.more_than(p.yellow_rate_over):
        own.holds(
            YELLOW,
            Reason(
                "R-10",
                f"{cases} ca rõ nguồn lây trong 14 ngày = {num_vi(float(rate))}/100.000 dân (> {limit_vi}) → Vàng",
                f"{cases} known-source case(s) in 14 days = {num_en(float(rate))} per 100,000 (> {limit_en}) → yellow",
            ),
        )


# --- adjacency fixed point ----------------------------------------------------------------


def spread(
    levels: Mapping[str, int], graph: Mapping[str, set[str]], floors: Callable[[str], tuple[int, ...]]
) -> dict[str, int]:
    """Raise every commune to the minimum its neighbours impose, repeatedly, until nothing
    changes.  Each step lowers the imposed level (red → orange → yellow), so it never cascades
    to red and ends after at most a few rounds."""
    result = dict(levels)
    queue = deque(code for code, level in result.items() if level > GREEN)
    while queue:
        code = queue.popleft()
        level = result[code]
        for neighbour in graph[code]:
            minimum = floors(neighbour)[level]
            if minimum > result[neighbour]:
                result[neighbour] = minimum
                queue.append(neighbour)
    return result


# --- the whole tree ---------------------------------------------------------------------

ParamsFor = Callable[[UnitInputs], Params2686]


def assess_tree(tree: UnitTree, params_for: ParamsFor) -> dict[str, Evaluation]:
    communes = tree.of_tier(Tier.COMMUNE)
    own = {unit.code: own_factors(unit, params_for(unit)) for unit in communes}
    graph = {unit.code: {c for c in tree.neighbours[unit.code] if tree[c].tier is Tier.COMMUNE} for unit in communes}
    floors = {unit.code: params_for(unit).adjacency for unit in communes}
    low = spread({code: o.low for code, o in own.items()}, graph, floors.__getitem__)
    high = spread({code: o.high for code, o in own.items()}, graph, floors.__getitem__)
    bounds = {code: (low[code], high[code]) for code in own}
    results = {code: _commune_result(tree, tree[code], own, bounds, graph, floors) for code in own}
    for unit in tree.bottom_up():
        if unit.tier is not Tier.COMMUNE:
            bounds[unit.code], results[unit.code] = _rolled_result(unit, tree, bounds, results, params_for(unit))
    return results


def _commune_result(
    tree: UnitTree,
    unit: UnitInputs,
    own: Mapping[str, Own],
    bounds: Mapping[str, tuple[int, int]],
    graph: Mapping[str, set[str]],
    floors: Mapping[str, tuple[int, ...]],
) -> Evaluation:
    mine = own[unit.code]
    low, high = bounds[unit.code]
    result = Evaluation(method="commune_factors", inputs=dict(mine.inputs))
    neighbour_levels = {c: bounds[c][0] if bounds[c][0] == bounds[c][1] else None for c in sorted(graph[unit.code])}
    result.indicators["neighbour_levels"] = neighbour_levels
    if low != high:
        result.missing = _commune_missing(unit.code, own, bounds, graph, floors)
        result.reasons.append(
            Reason(
                "R-10",
                f"chưa xác định: có thể từ {LEVELS.label_vi(low)} đến {LEVELS.label_vi(high)}, thiếu dữ liệu",
                f"undetermined: between {LEVELS.label_en(low)} and {LEVELS.label_en(high)}, inputs missing",
            )
        )
        return result
    result.level = low
    result.reasons.extend(mine.fired.get(low, []))
    for code, level in neighbour_levels.items():
        if level is not None and low > GREEN and floors[unit.code][level] == low:
            result.reasons.append(_border_reason(f"{code} {tree[code].name}".strip(), level, low))
    if low == GREEN:
        result.reasons.append(_NO_FACTOR)
    return result


_NO_FACTOR = Reason(
    "R-10", "không có yếu tố dịch tễ nào → Xanh (bình thường mới)", "no epidemiological factor → green (new normal)"
)


def _border_reason(name: str, neighbour: int, level: int) -> Reason:
    return Reason.later("R-10", _border_text, name, neighbour, level)


def _border_text(lang: str, name: str, neighbour: int, level: int) -> str:
    if lang == "vi":
        return f"giáp ranh {name} ({LEVELS.label_vi(neighbour)}) → {LEVELS.label_vi(level)}"
    return f"borders {name} ({LEVELS.label_en(neighbour)}) → {LEVELS.label_en(level)}"


def _commune_missing(
    code: str,
    own: Mapping[str, Own],
    bounds: Mapping[str, tuple[int, int]],
    graph: Mapping[str, set[str]],
    floors: Mapping[str, tuple[int, ...]],
) -> list[str]:
    """Absent inputs of this commune, and of communes up to two borders away, that could still
    lift it above its lower bound (adjacency reaches at most red → orange → yellow)."""
    low = bounds[code][0]
    missing = list(own[code].missing_above(low))
    seen = {code}
    frontier = [(code, 0)]
    while frontier:
        current, distance = frontier.pop()
        if distance == 2:
            continue
        for neighbour in graph[current]:
            if neighbour in seen:
                continue
            seen.add(neighbour)
            reach = own[neighbour].high
            for _ in range(distance + 1):
                reach = floors[code][reach]
            if reach > low:
                missing += [f"{neighbour}.{name}" for name in own[neighbour].missing_above(own[neighbour].low)]
            frontier.append((neighbour, distance + 1))
    return missing


def _rolled_result(
    unit: UnitInputs,
    tree: UnitTree,
    bounds: dict[str, tuple[int, int]],
    results: Mapping[str, Evaluation],
    p: Params2686,
) -> tuple[tuple[int, int], Evaluation]:
    children = tree.children[unit.code]
    mode = p.rollup.share_mode
    result = Evaluation(method=f"shares_{mode}")  # on the share of sub-units at each level
    if not children:
        result.missing = [_CHILD_NAME[unit.tier]]
        result.reasons.append(
            Reason(
                _rule(unit), "không có đơn vị trực thuộc trong tệp để tổng hợp", "no sub-units in the file to roll up"
            )
        )
        return (GREEN, RED), result
    lows = [bounds[c][0] for c in children]
    highs = [bounds[c][1] for c in children]
    known = [bounds[c][0] for c in children if bounds[c][0] == bounds[c][1]]
    result.indicators["children_by_level"] = {str(level): known.count(level) for level in LEVELS.levels}
    undetermined = [c for c in children if bounds[c][0] != bounds[c][1]]
    result.indicators["children_undetermined"] = len(undetermined)
    _record_own_factors(unit, result)
    rolled = roll_up(unit, lows, p.rollup, LEVELS)
    if undetermined:
        if mode != "at_or_above":  # not monotone: no sound bounds from partial knowledge
            return _undetermined(unit, undetermined, results, result, (GREEN, RED))
        top = roll_up(unit, highs, p.rollup, LEVELS).level
        if top != rolled.level:
            return _undetermined(unit, undetermined, results, result, (rolled.level, top))
        result.reasons.append(
            Reason(
                _rule(unit),
                f"{len(undetermined)} đơn vị trực thuộc chưa xác định cấp độ; kết quả không phụ thuộc vào chúng",
                f"{len(undetermined)} sub-unit(s) undetermined; the result holds whatever their levels",
            )
        )
    result.level = rolled.level
    result.reasons[:0] = rolled.reasons
    return (rolled.level, rolled.level), result


_CHILD_NAME = {Tier.DISTRICT: "communes", Tier.PROVINCE: "districts", Tier.NATION: "provinces"}


def _rule(unit: UnitInputs) -> str:
    return "R-11" if unit.tier is Tier.DISTRICT else "R-12"


def _record_own_factors(unit: UnitInputs, result: Evaluation) -> None:
    for name in ("hard_to_control_spread_share", "spreads_to_other_provinces", "protected_site_at_risk"):
        if getattr(unit, name) is not None:
            result.inputs[name] = getattr(unit, name)


def _undetermined(
    unit: UnitInputs,
    undetermined: Sequence[str],
    results: Mapping[str, Evaluation],
    result: Evaluation,
    span: tuple[int, int],
) -> tuple[tuple[int, int], Evaluation]:
    result.missing = [label for code in undetermined for label in _qualified(code, results[code].missing)]
    result.reasons.append(
        Reason(
            _rule(unit),
            f"chưa xác định: {len(undetermined)} đơn vị trực thuộc chưa có cấp độ ({', '.join(undetermined[:10])})",
            f"undetermined: {len(undetermined)} sub-unit(s) have no level ({', '.join(undetermined[:10])})",
        )
    )
    return span, result


def _qualified(code: str, labels: Sequence[str]) -> list[str]:
    # A child's own input "population" becomes "25222.population"; already-qualified labels pass through.
    return [label if "." in label else f"{code}.{label}" for label in labels]
