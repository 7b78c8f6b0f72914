"""NQ 128 + QĐ 4800/QĐ-BYT (12/10/2021 – 27/1/2022): level 1–4 from new community cases per
100,000 per week (R-20) and adult first-dose coverage (R-21), kept from going down while
treatment capacity is not ready (R-22), optionally raised for low ≥50 full-dose coverage (R-23).
Districts and provinces use the same criteria on their totals (R-25)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from chongdich.risk.rules import aggregate
from chongdich.risk.rules.bands import BandTable, Ratio, per_100k, percent, threshold
from chongdich.risk.rules.errors import ConfigError
from chongdich.risk.rules.fmt import num_en, num_vi
from chongdich.risk.rules.inputs import UnitInputs
from chongdich.risk.rules.levels import SCALES, Framework
from chongdich.risk.rules.policy import PolicyRules, compile_policy
from chongdich.risk.rules.results import Evaluation, Reason
from chongdich.risk.rules.tree import UnitTree
from chongdich.risk.rules.view import InputView

LEVELS = SCALES[Framework.F4800]
BANDS = ("A", "B", "C", "D")
REQUIRED = ("population", "new_community_cases_7d", "dose1_18plus", "population_18plus", "capacity_ready")
R23_INPUTS = ("full_50plus", "population_50plus")
DENOMINATORS = ("population", "population_18plus", "population_50plus")  # the last only for R-23


@dataclass(frozen=True, slots=True)
class Params4800:
    bands: BandTable
    coverage_min_pct: Fraction
    matrix: Mapping[str, tuple[int, int]]  # band → (level if covered, level if not)
    capacity_gate: bool
    r23_enabled: bool
    r23_min_pct: Fraction
    aggregation: str
    policy: PolicyRules
    notice_hours: int


def compile_params(values: Mapping[str, Any], where: str) -> Params4800:
    bands = BandTable.from_config(values["bands"], f"{where}.bands", BANDS)
    matrix = {}
    for band in bands.labels:
        row = values["matrix"].get(band)
        if not isinstance(row, list) or len(row) != 2 or not all(LEVELS.valid(level) for level in row):
            raise ConfigError(f"{where}.matrix.{band}: expected [level if covered, level if not], levels 1–4")
        matrix[band] = (row[0], row[1])
    return Params4800(
        bands=bands,
        coverage_min_pct=threshold(values["coverage_min_pct"], f"{where}.coverage_min_pct"),
        matrix=matrix,
        capacity_gate=bool(values["capacity_gate"]),
        r23_enabled=bool(values["r23"]["enabled"]),
        r23_min_pct=threshold(values["r23"]["full_50plus_min_pct"], f"{where}.r23.full_50plus_min_pct"),
        aggregation=aggregate.check_method(values["aggregation"], where),
        policy=compile_policy(values["policy"], where),
        notice_hours=int(values["notice_hours"]),
    )


def evaluate(view: InputView, previous_level: int | None, p: Params4800) -> Evaluation:
    """One unit from its inputs (own or totals)."""
    result = Evaluation()
    needed = REQUIRED + (R23_INPUTS if p.r23_enabled else ())
    result.inputs = {name: value for name in needed if (value := view.values.get(name)) is not None}
    if previous_level is not None:
        result.inputs["previous_level"] = previous_level
    denominators = DENOMINATORS if p.r23_enabled else DENOMINATORS[:2]
    result.missing = view.absent(needed) + aggregate.zero_denominators(view, denominators, result)
    if result.missing:
        result.reasons.append(aggregate.missing_reason("R-20", result.missing))
        return result
    v = view.values
    band = _band(v["new_community_cases_7d"], v["population"], p, result)
    level = _matrix(band, v["dose1_18plus"], v["population_18plus"], p, result)
    if p.r23_enabled:
        level = _r23(level, v, p, result)
    result.level = _capacity_gate(level, v["capacity_ready"], previous_level, p, result)
    return result


def _band(cases: int, population: int, p: Params4800, result: Evaluation) -> str:
    rate = per_100k(cases, population)
    band = str(p.bands.band(rate))
    result.indicators.update(rate_per_100k_7d=round(float(rate), 2), band=band)
    result.reasons.append(Reason.later("R-20", _band_text, rate, cases, population, band, p.bands))
    return band


def _matrix(band: str, doses: int, adults: int, p: Params4800, result: Evaluation) -> int:
    coverage = percent(doses, adults)
    covered = coverage.at_least(p.coverage_min_pct)
    level = p.matrix[band][0 if covered else 1]
    result.indicators.update(adult_first_dose_pct=round(float(coverage), 2), covered=covered)
    result.reasons.append(Reason.later("R-21", _coverage_text, coverage, covered, p.coverage_min_pct, band, level))
    return level


def _r23(level: int, v: Mapping[str, Any], p: Params4800, result: Evaluation) -> int:
    coverage = percent(v["full_50plus"], v["population_50plus"])
    result.indicators["full_50plus_pct"] = round(float(coverage), 2)
    if level >= LEVELS.highest or v["new_community_cases_7d"] == 0 or coverage.at_least(p.r23_min_pct):
        return level
    raised = level + 1
    result.reasons.append(
        Reason(
            "R-23",
            f"{num_vi(float(coverage))}% người ≥50 tuổi tiêm đủ liều (< {num_vi(float(p.r23_min_pct))}%) và có ca mắc "
            f"→ nâng 1 cấp: {LEVELS.label_vi(raised)}",
            f"{num_en(float(coverage))}% of people ≥50 fully vaccinated (< {num_en(float(p.r23_min_pct))}%) with cases "
            f"→ raised one level: {LEVELS.label_en(raised)}",
        )
    )
    return raised


_READY = Reason("R-22", "tiêu chí 3 (năng lực điều trị) đạt", "criterion 3 (treatment capacity) met")
_GATE_OFF = Reason("R-22", "tiêu chí 3 chưa đạt; quy tắc giữ cấp đang tắt", "criterion 3 not met; the hold rule is off")
_FIRST = Reason(
    "R-22",
    "tiêu chí 3 (năng lực điều trị) chưa đạt; đánh giá lần đầu, không có cấp độ kỳ trước → giữ cấp độ tính được",
    "criterion 3 (treatment capacity) not met; first assessment, no previous level → computed level kept",
)


def _capacity_gate(level: int, ready: bool, previous: int | None, p: Params4800, result: Evaluation) -> int:
    result.indicators["capacity_ready"] = ready
    if ready or not p.capacity_gate:
        result.reasons.append(_READY if ready else _GATE_OFF)
        return level
    if previous is None:
        result.reasons.append(_FIRST)
        return level
    held = max(level, previous)
    result.reasons.append(Reason.later("R-22", _held_text, previous, held))
    return held


def _band_text(lang: str, rate: Ratio, cases: int, population: int, band: str, bands: BandTable) -> str:
    if lang == "vi":
        return (
            f"{num_vi(float(rate))} ca mắc mới cộng đồng/100.000 dân/tuần ({num_vi(cases)} ca / "
            f"{num_vi(population)} dân) → nhóm {band} ({bands.interval(band, 'r', 'vi')})"
        )
    return (
        f"{num_en(float(rate))} new community cases per 100,000 per week ({num_en(cases)} / "
        f"{num_en(population)}) → band {band} ({bands.interval(band, 'r', 'en')})"
    )


def _coverage_text(lang: str, coverage: Ratio, covered: bool, cut: Fraction, band: str, level: int) -> str:
    if lang == "vi":
        return (
            f"{num_vi(float(coverage))}% người ≥18 tuổi đã tiêm ≥1 mũi ({'đạt' if covered else 'chưa đạt'} ≥ "
            f"{num_vi(float(cut))}%); nhóm {band} → {LEVELS.label_vi(level)}"
        )
    return (
        f"{num_en(float(coverage))}% of adults have ≥1 dose ({'meets' if covered else 'below'} "
        f"{num_en(float(cut))}%); band {band} → {LEVELS.label_en(level)}"
    )


def _held_text(lang: str, previous: int, held: int) -> str:
    if lang == "vi":
        return (
            f"tiêu chí 3 (năng lực điều trị) chưa đạt: không hạ thấp hơn kỳ trước, {LEVELS.label_vi(previous)} "
            f"→ {LEVELS.label_vi(held)}"
        )
    return (
        f"criterion 3 (treatment capacity) not met: not lowered below the previous {LEVELS.label_en(previous)} "
        f"→ {LEVELS.label_en(held)}"
    )


def assess_tree(tree: UnitTree, params_for: Callable[[UnitInputs], Params4800]) -> dict[str, Evaluation]:
    return aggregate.assess_bottom_up(
        tree, params_for, lambda view, unit, p: evaluate(view, unit.previous_level, p), aggregate.leaf_view, LEVELS
    )
