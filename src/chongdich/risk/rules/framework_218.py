"""QĐ 218/QĐ-BYT (from 27/1/2022): level 1–4 = M[transmission level][response capacity].

Transmission level T from the 1a/1b/1c band tables (R-30), raised by one when vaccination
targets are missed (R-31); response capacity from 3b vacant COVID beds per 100,000 — a
district figure inherited by its communes — combined with 3a/3c (R-33); the level from matrix M
(R-34), raised by one when weekly deaths exceed 6 per 100,000 (R-32)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from chongdich.risk.rules import aggregate
from chongdich.risk.rules.bands import BandTable, per_100k, percent, threshold
from chongdich.risk.rules.errors import ConfigError
from chongdich.risk.rules.fmt import num_en, num_vi
from chongdich.risk.rules.inputs import RATE_INPUTS, UnitInputs
from chongdich.risk.rules.levels import SCALES, Framework, Tier
from chongdich.risk.rules.policy import PolicyRules, compile_policy
from chongdich.risk.rules.results import Evaluation, Reason
from chongdich.risk.rules.tree import UnitTree
from chongdich.risk.rules.view import InputView, own_view

LEVELS = SCALES[Framework.F218]
CAPACITY = ("HIGH", "MEDIUM", "LOW")  # best → worst
CAPACITY_VI = {"HIGH": "cao", "MEDIUM": "trung bình", "LOW": "thấp"}
INDICATOR_INPUT = {"1a": "new_community_cases_7d", "1b": "hospital_cases_7d", "1c": "deaths_7d"}
INDICATOR_TEXT = {
    "1a": ("ca mắc mới cộng đồng", "new community cases"),
    "1b": ("ca phải nhập viện/thở oxy", "cases needing hospital/oxygen"),
    "1c": ("ca tử vong", "deaths"),
}
VACCINATION_INPUTS = ("full_all", "high_risk_population", "full_high_risk")
DENOMINATORS = ("population", "high_risk_population")


@dataclass(frozen=True, slots=True)
class Params218:
    indicators: tuple[str, ...]
    bands: Mapping[str, BandTable]
    full_all_min_pct: Fraction
    full_high_risk_min_pct: Fraction
    deaths_over: Fraction | None  # None: R-32 off
    deaths_raise: str  # "level" or "transmission"
    capacity_combine: str  # "worst" of 3a/3b/3c, or "3b" alone
    capacity_3a: Mapping[bool, str]
    capacity_3b: BandTable
    capacity_3c: BandTable | None  # None: thresholds unknown, 3c not used
    matrix: Mapping[int, Mapping[str, int]]
    aggregation: str
    policy: PolicyRules
    notice_hours: int

    required: tuple[str, ...] = ()  # filled by compile_params


def _required(p: Params218) -> tuple[str, ...]:
    names = ["population", *(INDICATOR_INPUT[i] for i in p.indicators), *VACCINATION_INPUTS]
    if p.deaths_over is not None:
        names.append("deaths_7d")
    names.append("vacant_beds_per_100k")
    if p.capacity_combine == "worst":
        names.append("capacity_ready")
        if p.capacity_3c is not None:
            names.append("icu_beds_per_100k")
    return tuple(dict.fromkeys(names))


def compile_params(values: Mapping[str, Any], where: str) -> Params218:
    transmission, capacity, deaths = values["transmission"], values["capacity"], values["deaths"]
    indicators = tuple(transmission["indicators"])
    if not indicators or set(indicators) - set(INDICATOR_INPUT) or transmission["combine"] != "max":
        raise ConfigError(f"{where}.transmission: indicators must be among 1a, 1b, 1c; combine must be 'max'")
    bands = {name: BandTable.from_config(transmission["bands"][name], f"{where}.transmission.bands.{name}",
                                         tuple(LEVELS.levels)) for name in indicators}
    if deaths["raise"] not in ("level", "transmission") or capacity["combine"] not in ("worst", "3b"):
        raise ConfigError(f"{where}: deaths.raise must be level|transmission, capacity.combine worst|3b")
    raw_3a = capacity["3a"]
    if {raw_3a.get("ready"), raw_3a.get("not_ready")} - set(CAPACITY):
        raise ConfigError(f"{where}.capacity.3a: ready/not_ready must be among {CAPACITY}")
    params = Params218(
        indicators=indicators,
        bands=bands,
        full_all_min_pct=threshold(values["vaccination"]["full_all_min_pct"], f"{where}.vaccination"),
        full_high_risk_min_pct=threshold(values["vaccination"]["full_high_risk_min_pct"], f"{where}.vaccination"),
        deaths_over=None if deaths["per_100k_over"] is None else threshold(deaths["per_100k_over"], f"{where}.deaths"),
        deaths_raise=deaths["raise"],
        capacity_combine=capacity["combine"],
        capacity_3a={True: raw_3a["ready"], False: raw_3a["not_ready"]},
        capacity_3b=BandTable.from_config(capacity["3b"], f"{where}.capacity.3b", CAPACITY),
        capacity_3c=None if capacity.get("3c") is None else
        BandTable.from_config(capacity["3c"], f"{where}.capacity.3c", CAPACITY),
        matrix=_matrix(values["matrix"], where),
        aggregation=aggregate.check_method(values["aggregation"], where),
        policy=compile_policy(values["policy"], where),
        notice_hours=int(values["notice_hours"]),
    )
    return replace(params, required=_required(params))


def _matrix(raw: Mapping[str, Mapping[str, int]], where: str) -> dict[int, dict[str, int]]:
    matrix = {}
    for t in LEVELS.levels:
        row = raw.get(str(t))
        if not isinstance(row, Mapping) or set(row) != set(CAPACITY) or not all(LEVELS.valid(v) for v in row.values()):
            raise ConfigError(f"{where}.matrix.{t}: expected levels 1–4 for {CAPACITY}")
        matrix[t] = dict(row)
    return matrix


def evaluate(view: InputView, p: Params218) -> Evaluation:
    result = Evaluation()
    result.inputs = {name: view.values[name] for name in p.required if name in view.values}
    result.missing = view.absent(p.required) + aggregate.zero_denominators(view, DENOMINATORS, result)
    if result.missing:
        result.reasons.append(aggregate.missing_reason("R-30", result.missing))
        return result
    v = view.values
    t = _transmission(v, p, result)
    t = _vaccination(t, v, p, result)
    if p.deaths_raise == "transmission":
        t = _deaths(t, v, p, result, "T")
    capacity = _capacity(v, p, result)
    level = p.matrix[t][capacity]
    result.reasons.append(Reason(
        "R-34", lambda: f"M[T{t}][năng lực {CAPACITY_VI[capacity]}] → {LEVELS.label_vi(level)}",
        lambda: f"M[T{t}][{capacity} capacity] → {LEVELS.label_en(level)}",
    ))
    if p.deaths_raise == "level":
        level = _deaths(level, v, p, result, "level")
    result.level = level
    return result


def _transmission(v: Mapping[str, Any], p: Params218, result: Evaluation) -> int:
    levels = [_indicator(name, v[INDICATOR_INPUT[name]], v["population"], p, result) for name in p.indicators]
    t = max(levels)
    result.indicators["transmission_level"] = t
    return t


def _indicator(name: str, count: int, population: int, p: Params218, result: Evaluation) -> int:
    rate = per_100k(count, population)
    level = int(p.bands[name].band(rate))  # type: ignore[call-overload]
    result.indicators[f"rate_{name}_per_100k_7d"] = round(float(rate), 2)
    what_vi, what_en = INDICATOR_TEXT[name]
    table = p.bands[name]
    result.reasons.append(Reason(
        "R-30",
        lambda: f"{name}: {num_vi(float(rate))} {what_vi}/100.000 dân/tuần → mức {level} "
                f"({table.interval(level, name, 'vi')})",
        lambda: f"{name}: {num_en(float(rate))} {what_en} per 100,000 per week → level {level} "
                f"({table.interval(level, name, 'en')})",
    ))
    return level


def _vaccination(t: int, v: Mapping[str, Any], p: Params218, result: Evaluation) -> int:
    all_pct = percent(v["full_all"], v["population"])
    risk_pct = percent(v["full_high_risk"], v["high_risk_population"])
    all_ok, risk_ok = all_pct.at_least(p.full_all_min_pct), risk_pct.at_least(p.full_high_risk_min_pct)
    result.indicators.update(full_all_pct=round(float(all_pct), 2), full_high_risk_pct=round(float(risk_pct), 2))
    raised = t if all_ok and risk_ok else min(LEVELS.highest, t + 1)
    result.indicators["transmission_adjusted"] = raised
    cut_all, cut_risk = float(p.full_all_min_pct), float(p.full_high_risk_min_pct)
    result.reasons.append(Reason(
        "R-31",
        lambda: f"tiêm đủ liều cơ bản: {num_vi(float(all_pct))}% dân số ({'đạt' if all_ok else 'chưa đạt'} ≥ "
                f"{num_vi(cut_all)}%), {num_vi(float(risk_pct))}% nhóm nguy cơ cao "
                f"({'đạt' if risk_ok else 'chưa đạt'} ≥ {num_vi(cut_risk)}%)"
                + ("" if raised == t else f" → nâng mức lây nhiễm lên T{raised}"),
        lambda: f"full primary series: {num_en(float(all_pct))}% of population ({'meets' if all_ok else 'below'} "
                f"{num_en(cut_all)}%), {num_en(float(risk_pct))}% of high-risk group "
                f"({'meets' if risk_ok else 'below'} {num_en(cut_risk)}%)"
                + ("" if raised == t else f" → transmission raised to T{raised}"),
    ))
    return raised


def _deaths(level: int, v: Mapping[str, Any], p: Params218, result: Evaluation, what: str) -> int:
    if p.deaths_over is None:
        return level
    deaths = v["deaths_7d"]
    rate = per_100k(deaths, v["population"])
    result.indicators["deaths_per_100k_7d"] = round(float(rate), 4)
    if not rate.more_than(p.deaths_over):
        return level
    raised = min(LEVELS.highest, level + 1)
    limit = float(p.deaths_over)
    result.reasons.append(Reason(
        "R-32",
        lambda: f"{deaths} ca tử vong/tuần = {num_vi(float(rate), 4)}/100.000 dân (> {num_vi(limit)}) → nâng 1: "
                + (f"T{raised}" if what == "T" else LEVELS.label_vi(raised)),
        lambda: f"{deaths} death(s) in the week = {num_en(float(rate), 4)} per 100,000 (> {num_en(limit)}) "
                "→ raised by one: " + (f"T{raised}" if what == "T" else LEVELS.label_en(raised)),
    ))
    return raised


def _capacity(v: Mapping[str, Any], p: Params218, result: Evaluation) -> str:
    beds = v["vacant_beds_per_100k"]
    parts = {"3b": str(p.capacity_3b.band(beds))}
    ready = icu = None
    if p.capacity_combine == "worst":
        ready = v["capacity_ready"]
        parts["3a"] = p.capacity_3a[ready]
        if p.capacity_3c is not None:
            icu = v["icu_beds_per_100k"]
            parts["3c"] = str(p.capacity_3c.band(icu))
    overall = max(parts.values(), key=CAPACITY.index)
    result.indicators.update(capacity=overall, capacity_parts=parts)
    worst = p.capacity_combine == "worst"

    def vi() -> str:
        texts = [f"3b: {num_vi(beds)} giường trống/100.000 dân → {CAPACITY_VI[parts['3b']]}"]
        if "3a" in parts:
            texts.append(f"3a: xã {'sẵn sàng' if ready else 'chưa sẵn sàng'} → {CAPACITY_VI[parts['3a']]}")
        if "3c" in parts:
            texts.append(f"3c: {num_vi(icu)} giường ICU/100.000 dân → {CAPACITY_VI[parts['3c']]}")
        return f"{'; '.join(texts)} → năng lực {CAPACITY_VI[overall]} ({'thấp nhất' if worst else 'theo 3b'})"

    def en() -> str:
        texts = [f"3b: {num_en(beds)} vacant beds per 100,000 → {parts['3b']}"]
        if "3a" in parts:
            texts.append(f"3a: {'ready' if ready else 'not ready'} → {parts['3a']}")
        if "3c" in parts:
            texts.append(f"3c: {num_en(icu)} ICU beds per 100,000 → {parts['3c']}")
        return f"{'; '.join(texts)} → {overall} capacity ({'worst' if worst else '3b only'})"

    result.reasons.append(Reason("R-33", vi, en))
    return overall


def leaf_view(unit: UnitInputs, tree: UnitTree) -> InputView:
    """A unit's own inputs, with 3b/3c taken from its district: the spec makes the district's
    vacant-bed figure the one every commune in it uses."""
    view = own_view(unit)
    district = tree.ancestor(unit, Tier.DISTRICT) if unit.tier is Tier.COMMUNE else None
    if district is None:
        return view
    for name in RATE_INPUTS:
        inherited = getattr(district, name)
        if inherited is not None:
            own = view.values.get(name)
            view.values[name] = inherited
            if own is not None and own != inherited:
                view.notes.append(Reason(
                    "R-33", f"{name}: dùng số liệu của huyện {district.code} ({num_vi(inherited)}), không dùng {num_vi(own)}",
                    f"{name}: the district {district.code} figure ({num_en(inherited)}) is used, not {num_en(own)}",
                ))
        elif name not in view.values:
            view.gaps[name] = [f"{district.code}.{name}"]
    return view


def assess_tree(tree: UnitTree, params_for: Callable[[UnitInputs], Params218]) -> dict[str, Evaluation]:
    def run(view: InputView, unit: UnitInputs, p: Params218) -> Evaluation:
        result = evaluate(view, p)
        if unit.tier is Tier.COMMUNE:
            result.reasons[:0] = view.notes
        return result

    return aggregate.assess_bottom_up(tree, params_for, run, leaf_view, LEVELS)
