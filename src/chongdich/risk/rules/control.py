""" "Epidemic under control" (QĐ 3979/QĐ-BYT and 3989/QĐ-BYT, Aug 2021), used with 2686.

A unit is under control when both groups hold:
1. new cases: weekly community cases fell in each of the last ``weeks_falling`` weeks and are
   at least ``below_peak_min`` below the peak week; daily community RT-PCR positivity fell over
   ``positivity_days`` days; no new cluster in ``cluster_free_days`` days;
2. risk: the number of sub-units at red, at orange and at yellow each fell by at least
   ``risk_reduction_min`` (50%; HCMC 30% via its province override).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from chongdich.risk.rules.bands import threshold
from chongdich.risk.rules.config import FRAMEWORK_RULES, RiskConfig, default_config
from chongdich.risk.rules.errors import ConfigError
from chongdich.risk.rules.fmt import num_en, num_vi
from chongdich.risk.rules.results import Reason

POSITIVITY_RULES = ("non_increasing", "strict_daily")


@dataclass(frozen=True, slots=True)
class ControlInputs:
    weekly_community_cases: Sequence[int] | None  # oldest → newest, the last is the current week
    peak_week_cases: int | None  # None: the highest week in ``weekly_community_cases``
    daily_positivity_pct: Sequence[float] | None  # oldest → newest
    new_clusters_last_7d: int | None
    units_by_level_before: Mapping[int, int] | None  # 2686 level (1–3) → number of sub-units
    units_by_level_now: Mapping[int, int] | None


@dataclass(slots=True)
class ControlResult:
    under_control: bool | None  # None: inputs missing
    criteria: dict[str, bool | None] = field(default_factory=dict)
    reasons: list[Reason] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    rule_version: str = ""


def under_control(
    inputs: ControlInputs, *, on: date, province: str | None = None, config: RiskConfig | None = None
) -> ControlResult:
    version = (config or default_config()).rule(FRAMEWORK_RULES["2686"], on, province)
    rules = version.values["under_control"]
    result = ControlResult(None, rule_version=version.version)
    result.criteria = {
        "cases_falling": _cases_falling(inputs, rules, result),
        "positivity_falling": _positivity_falling(inputs, rules, result),
        "no_new_clusters": _no_new_clusters(inputs, rules, result),
        "risk_areas_reduced": _risk_reduced(inputs, rules, result),
    }
    states = list(result.criteria.values())
    result.under_control = False if False in states else (None if None in states else True)
    return result


def _cases_falling(inputs: ControlInputs, rules: Mapping, result: ControlResult) -> bool | None:
    weeks = int(rules["weeks_falling"])
    series = inputs.weekly_community_cases
    if series is None or len(series) < weeks + 1:
        result.missing.append("weekly_community_cases")
        return None
    recent = list(series[-(weeks + 1) :])
    falling = all(later < earlier for earlier, later in pairwise(recent))
    peak = inputs.peak_week_cases if inputs.peak_week_cases is not None else max(series)
    cut = threshold(rules["below_peak_min"], "under_control.below_peak_min")
    below_peak = peak > 0 and recent[-1] * cut.denominator <= (cut.denominator - cut.numerator) * peak
    result.reasons.append(
        Reason(
            "QĐ 3979/3989",
            f"ca mắc mới theo tuần {recent}: {'giảm liên tục' if falling else 'không giảm liên tục'}; tuần này "
            f"{recent[-1]} so với đỉnh {peak}: {'đạt' if below_peak else 'chưa đạt'} giảm ≥ {num_vi(float(cut) * 100)}%",
            f"weekly new cases {recent}: {'falling' if falling else 'not falling'} each week; this week "
            f"{recent[-1]} vs peak {peak}: {'met' if below_peak else 'not met'} ≥ {num_en(float(cut) * 100)}% below",
        )
    )
    return falling and below_peak


def _positivity_falling(inputs: ControlInputs, rules: Mapping, result: ControlResult) -> bool | None:
    days = int(rules["positivity_days"])
    rule = rules["positivity_rule"]
    if rule not in POSITIVITY_RULES:
        raise ConfigError(f"under_control.positivity_rule must be one of {POSITIVITY_RULES}")
    series = inputs.daily_positivity_pct
    if series is None or len(series) < days:
        result.missing.append("daily_positivity_pct")
        return None
    window = list(series[-days:])
    pairs = list(pairwise(window))
    if rule == "strict_daily":
        falling = all(later < earlier for earlier, later in pairs)
    else:
        falling = all(later <= earlier for earlier, later in pairs) and window[-1] < window[0]
    result.reasons.append(
        Reason(
            "QĐ 3979/3989",
            f"tỷ lệ dương tính RT-PCR {days} ngày: {'giảm liên tục' if falling else 'không giảm liên tục'}",
            f"RT-PCR positivity over {days} days: {'falling' if falling else 'not falling'}",
        )
    )
    return falling


def _no_new_clusters(inputs: ControlInputs, rules: Mapping, result: ControlResult) -> bool | None:
    if inputs.new_clusters_last_7d is None:
        result.missing.append("new_clusters_last_7d")
        return None
    days = rules["cluster_free_days"]
    ok = inputs.new_clusters_last_7d == 0
    result.reasons.append(
        Reason(
            "QĐ 3979/3989",
            f"{inputs.new_clusters_last_7d} chuỗi lây nhiễm mới trong {days} ngày",
            f"{inputs.new_clusters_last_7d} new transmission chain(s) in {days} days",
        )
    )
    return ok


def _risk_reduced(inputs: ControlInputs, rules: Mapping, result: ControlResult) -> bool | None:
    before, now = inputs.units_by_level_before, inputs.units_by_level_now
    if before is None or now is None:
        result.missing.append("units_by_level_before" if before is None else "units_by_level_now")
        return None
    cut = threshold(rules["risk_reduction_min"], "under_control.risk_reduction_min")
    ok = True
    for level, word_vi, word_en in ((3, "đỏ", "red"), (2, "cam", "orange"), (1, "vàng", "yellow")):
        was, is_ = before.get(level, 0), now.get(level, 0)
        # fell by ≥ cut: now ≤ (1 − cut) × before; with none before, none may appear
        met = is_ * cut.denominator <= (cut.denominator - cut.numerator) * was
        ok = ok and met
        result.reasons.append(
            Reason(
                "QĐ 3979/3989",
                f"số đơn vị mức {word_vi}: {was} → {is_} ({'đạt' if met else 'chưa đạt'} giảm ≥ {num_vi(float(cut) * 100)}%)",
                f"units at {word_en}: {was} → {is_} ({'met' if met else 'not met'} fall ≥ {num_en(float(cut) * 100)}%)",
            )
        )
    return ok
