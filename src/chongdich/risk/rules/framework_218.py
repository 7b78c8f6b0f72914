"""QĐ 218/QĐ-BYT (from 27/1/2022): level 1–4 = M[transmission level][response capacity].

Transmission level T from the 1a/1b/1c band tables (R-30), raised by one when vaccination
targets are missed (R-31); response capacity from 3b vacant COVID beds per 100,000 — a
district figure inherited by its communes — combined with 3a/3c (R-33); the level from matrix M
(R-34), raised by one when weekly deaths exceed 6 per 100,000 (R-32)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from chongdich.risk.rules import aggregate
from chongdich.risk.rules.bands import BandTable, Ratio, per_100k, threshold
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
RATE_KEY = {name: f"rate_{name}_per_100k_7d" for name in INDICATOR_INPUT}
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
    cut_text: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # vaccination targets as text
    # Reasons that repeat across units (same band, same district capacity, same matrix cell) are
    # built and formatted once per set of parameters.
    memo: dict[tuple[Any, ...], Reason] = field(default_factory=dict, compare=False, repr=False)

    def remember(self, key: tuple[Any, ...], make: Callable[..., Reason], *args: Any) -> Reason:
        reason = self.memo.get(key)
        if reason is None:
            if len(self.memo) > 50_000:  # bounded in a long-lived process
                self.memo.clear()
            reason = self.memo[key] = make(*args)
        return reason


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
    bands = {
        name: BandTable.from_config(
            transmission["bands"][name], f"{where}.transmission.bands.{name}", tuple(LEVELS.levels)
        )
        for name in indicators
    }
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
        capacity_3c=None
        if capacity.get("3c") is None
        else BandTable.from_config(capacity["3c"], f"{where}.capacity.3c", CAPACITY),
        matrix=_matrix(values["matrix"], where),
        aggregation=aggregate.check_method(values["aggregation"], where),
        policy=compile_policy(values["policy"], where),
        notice_hours=int(values["notice_hours"]),
    )
    cuts = (float(params.full_all_min_pct), float(params.full_high_risk_min_pct))
    return replace(
        params,
        required=_required(params),
        cut_text={"vi": (num_vi(cuts[0]), num_vi(cuts[1])), "en": (num_en(cuts[0]), num_en(cuts[1]))},
    )


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
    result.inputs = {name: value for name in p.required if (value := view.values.get(name)) is not None}
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
    result.reasons.append(p.remember(("R-34", t, capacity), _matrix_reason, t, capacity, level))
    if p.deaths_raise == "level":
        level = _deaths(level, v, p, result, "level")
    result.level = level
    return result


def _matrix_reason(t: int, capacity: str, level: int) -> Reason:
    return Reason(
        "R-34",
        f"M[T{t}][năng lực {CAPACITY_VI[capacity]}] → {LEVELS.label_vi(level)}",
        f"M[T{t}][{capacity} capacity] → {LEVELS.label_en(level)}",
    )


def _transmission(v: Mapping[str, Any], p: Params218, result: Evaluation) -> int:
    """T = the highest level of the configured indicators, reported in one line."""
    population = v["population"]
    parts = []
    for name in p.indicators:
        count = v[INDICATOR_INPUT[name]]
        level = int(p.bands[name].band(Ratio(count * 100_000, population)))  # type: ignore[call-overload]
        shown = round(count * 100_000 / population, 2)
        result.indicators[RATE_KEY[name]] = shown
        parts.append((name, shown, level))
    t = max(level for _, _, level in parts)
    result.indicators["transmission_level"] = t
    key = ("R-30", *parts)
    result.reasons.append(p.remember(key, _transmission_reason, parts, t, p))
    return t


def _transmission_reason(parts: list[tuple[str, float, int]], t: int, p: Params218) -> Reason:
    return Reason.later("R-30", _transmission_text, parts, t, p.bands)


def _transmission_text(lang: str, parts: list[tuple[str, float, int]], t: int, bands: Mapping[str, BandTable]) -> str:
    vi = lang == "vi"
    number = num_vi if vi else num_en
    lines = [
        f"{name} = {number(shown)} {INDICATOR_TEXT[name][0 if vi else 1]}"
        f"{'/100.000 dân/tuần' if vi else ' per 100,000 per week'} → {'mức' if vi else 'level'} {level} "
        f"({bands[name].interval(level, name, lang)})"
        for name, shown, level in parts
    ]
    return "; ".join(lines) + f" ⇒ {'mức lây nhiễm' if vi else 'transmission level'} T{t}"


def _vaccination(t: int, v: Mapping[str, Any], p: Params218, result: Evaluation) -> int:
    full, population = v["full_all"], v["population"]
    full_risk, at_risk = v["full_high_risk"], v["high_risk_population"]
    cut_all, cut_risk = p.full_all_min_pct, p.full_high_risk_min_pct
    # exact: full / population × 100 ≥ cut, cross-multiplied
    all_ok = full * 100 * cut_all.denominator >= cut_all.numerator * population
    risk_ok = full_risk * 100 * cut_risk.denominator >= cut_risk.numerator * at_risk
    shown_all, shown_risk = round(100 * full / population, 2), round(100 * full_risk / at_risk, 2)
    raised = t if all_ok and risk_ok else min(LEVELS.highest, t + 1)
    indicators = result.indicators
    indicators["full_all_pct"], indicators["full_high_risk_pct"] = shown_all, shown_risk
    indicators["transmission_adjusted"] = raised
    result.reasons.append(
        Reason.later("R-31", _vaccination_text, shown_all, all_ok, shown_risk, risk_ok, t, raised, p.cut_text)
    )
    return raised


def _deaths(level: int, v: Mapping[str, Any], p: Params218, result: Evaluation, what: str) -> int:
    if p.deaths_over is None:
        return level
    deaths, population = v["deaths_7d"], v["population"]
    result.indicators["deaths_per_100k_7d"] = round(deaths * 100_000 / population, 4)
    limit_exact = p.deaths_over
    if deaths * 100_000 * limit_exact.denominator <= limit_exact.numerator * population:  # not above
        return level
    rate = per_100k(deaths, population)
    raised = min(LEVELS.highest, level + 1)
    result.reasons.append(Reason.later("R-32", _deaths_text, deaths, float(rate), float(p.deaths_over), raised, what))
    return raised


def _vaccination_text(
    lang: str,
    shown_all: float,
    all_ok: bool,
    shown_risk: float,
    risk_ok: bool,
    t: int,
    raised: int,
    cuts: Mapping[str, tuple[str, str]],
) -> str:
    cut_all, cut_risk = cuts[lang if lang == "vi" else "en"]
    if lang == "vi":
        return (
            f"tiêm đủ liều cơ bản: {num_vi(shown_all)}% dân số ({'đạt' if all_ok else 'chưa đạt'} ≥ {cut_all}%), "
            f"{num_vi(shown_risk)}% nhóm nguy cơ cao ({'đạt' if risk_ok else 'chưa đạt'} ≥ {cut_risk}%)"
            + ("" if raised == t else f" → nâng mức lây nhiễm lên T{raised}")
        )
    return (
        f"full primary series: {num_en(shown_all)}% of population ({'meets' if all_ok else 'below'} {cut_all}%), "
        f"{num_en(shown_risk)}% of high-risk group ({'meets' if risk_ok else 'below'} {cut_risk}%)"
        + ("" if raised == t else f" → transmission raised to T{raised}")
    )


def _deaths_text(lang: str, deaths: int, rate: float, limit: float, raised: int, what: str) -> str:
    if lang == "vi":
        shown = f"T{raised}" if what == "T" else LEVELS.label_vi(raised)
        return f"{deaths} ca tử vong/tuần = {num_vi(rate, 4)}/100.000 dân (> {num_vi(limit)}) → nâng 1: {shown}"
    shown = f"T{raised}" if what == "T" else LEVELS.label_en(raised)
    return f"{deaths} death(s) in the week = {num_en(rate, 4)} per 100,000 (> {num_en(limit)}) → raised by one: {shown}"


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
    overall = max(parts.values(), key=_WORSENESS.__getitem__)
    result.indicators["capacity"] = overall
    result.indicators["capacity_parts"] = parts
    reason = p.remember(("R-33", beds, ready, icu, overall), _capacity_reason, beds, ready, icu, parts, overall, p)
    result.reasons.append(reason)
    return overall


_WORSENESS = {label: rank for rank, label in enumerate(CAPACITY)}


def _capacity_reason(
    beds: float, ready: bool | None, icu: float | None, parts: Mapping[str, str], overall: str, p: Params218
) -> Reason:
    return Reason.later("R-33", _capacity_text, beds, ready, icu, dict(parts), overall, p.capacity_combine == "worst")


def _capacity_text(
    lang: str, beds: float, ready: bool | None, icu: float | None, parts: Mapping[str, str], overall: str, worst: bool
) -> str:
    if lang == "vi":
        texts = [f"3b: {num_vi(beds)} giường trống/100.000 dân → {CAPACITY_VI[parts['3b']]}"]
        if "3a" in parts:
            texts.append(f"3a: xã {'sẵn sàng' if ready else 'chưa sẵn sàng'} → {CAPACITY_VI[parts['3a']]}")
        if "3c" in parts:
            texts.append(f"3c: {num_vi(icu)} giường ICU/100.000 dân → {CAPACITY_VI[parts['3c']]}")
        return f"{'; '.join(texts)} → năng lực {CAPACITY_VI[overall]} ({'thấp nhất' if worst else 'theo 3b'})"
    texts = [f"3b: {num_en(beds)} vacant beds per 100,000 → {parts['3b']}"]
    if "3a" in parts:
        texts.append(f"3a: {'ready' if ready else 'not ready'} → {parts['3a']}")
    if "3c" in parts:
        texts.append(f"3c: {num_en(icu)} ICU beds per 100,000 → {parts['3c']}")
    return f"{'; '.join(texts)} → {overall} capacity ({'worst' if worst else '3b only'})"


def leaf_view(unit: UnitInputs, tree: UnitTree) -> InputView:
    """A unit's own inputs, with 3b/3c taken from its district: the spec makes the district's
    vacant-bed figure the one every commune in it uses."""
    if unit.tier is not Tier.COMMUNE:
        return own_view(unit)
    view = InputView(dict(unit.__dict__))  # a copy: inherited values must not change the unit
    parent = tree.parent(unit)
    district = parent if parent is not None and parent.tier is Tier.DISTRICT else tree.ancestor(unit, Tier.DISTRICT)
    if district is None:
        return view
    for name in RATE_INPUTS:
        inherited = getattr(district, name)
        if inherited is not None:
            own = view.values.get(name)
            view.values[name] = inherited
            if own is not None and own != inherited:
                view.notes.append(
                    Reason(
                        "R-33",
                        f"{name}: dùng số liệu của huyện {district.code} ({num_vi(inherited)}), không dùng {num_vi(own)}",
                        f"{name}: the district {district.code} figure ({num_en(inherited)}) is used, not {num_en(own)}",
                    )
                )
        elif view.values.get(name) is None:
            view.gaps[name] = [f"{district.code}.{name}"]
    return view


def assess_tree(tree: UnitTree, params_for: Callable[[UnitInputs], Params218]) -> dict[str, Evaluation]:
    def run(view: InputView, unit: UnitInputs, p: Params218) -> Evaluation:
        result = evaluate(view, p)
        if unit.tier is Tier.COMMUNE:
            result.reasons[:0] = view.notes
        return result

    return aggregate.assess_bottom_up(tree, params_for, run, leaf_view, LEVELS)
