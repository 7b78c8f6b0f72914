"""R-14: applied ≥ computed; province raises for border communes and communes next to higher
areas; overrides refused when weaker, with an explanation in Vietnamese and English."""

from __future__ import annotations

from datetime import date

import pytest

from chongdich.core.versioning import RuleVersion
from chongdich.risk.rules import Cluster, Tier, UnitInputs, assess_units, check_override, default_config, scale
from chongdich.risk.rules.errors import ConfigError

ON = date(2021, 8, 1)
QUIET = dict(clusters=(), unknown_source_cases_14d=0, known_source_cases_14d=0, f1_present=False, neighbours=())
L2686, L4800 = scale("2686"), scale("4800")


def commune(code: str, parent: str = "70", **facts) -> UnitInputs:
    return UnitInputs(code, f"Xã {code}", Tier.COMMUNE, parent=parent, **{**QUIET, **facts})


def province_policy(**policy) -> object:
    return default_config().with_versions(
        [RuleVersion("risk.2686", "chính sách tỉnh 70", ON, None, {"policy": policy}, province="70")]
    )


def run(*communes: UnitInputs, config=None):
    units = [UnitInputs("70", "Tỉnh 70", Tier.PROVINCE), *communes]
    return {a.code: a for a in assess_units(units, as_of=ON, framework="2686", config=config)}


@pytest.mark.parametrize(
    ("computed", "requested", "accepted", "level"),
    [(2, 1, False, 2), (2, 2, True, 2), (2, 3, True, 3), (0, 3, True, 3), (2, 7, False, 2)],
)
def test_check_override(computed, requested, accepted, level):
    decision = check_override(computed, requested, L2686)
    assert (decision.accepted, decision.level) == (accepted, level)
    assert decision.reason.rule == "R-14" and decision.reason.vi and decision.reason.en


def test_a_weaker_override_is_refused_with_an_explanation():
    decision = check_override(3, 2, L4800)
    assert not decision.accepted
    assert decision.reason.vi == (
        "từ chối áp dụng cấp 2 (vàng): thấp hơn cấp độ đánh giá cấp 3 (cam); địa phương chỉ được áp dụng biện pháp "
        "sớm hơn, mạnh hơn, không được muộn hơn, yếu hơn"
    )
    assert "weaker than the assessed level 3 (orange)" in decision.reason.en


def test_without_a_computed_level_only_the_top_level_can_be_accepted():
    assert check_override(None, 4, L4800).accepted
    refused = check_override(None, 3, L4800)
    assert not refused.accepted and refused.level is None


def test_override_in_the_input_is_applied_or_refused():
    result = run(
        commune("a", unknown_source_cases_14d=1, override_level=3),
        commune("b", unknown_source_cases_14d=1, override_level=1),
    )
    assert (result["a"].computed_level, result["a"].applied_level) == (2, 3)
    assert (result["b"].computed_level, result["b"].applied_level) == (2, 2)
    assert "từ chối" in result["b"].reasons[-1].vi


def test_raises_are_off_by_default():
    assert run(commune("a", f1_present=True, is_border=True))["a"].applied_level == 1


@pytest.mark.parametrize(("k", "computed", "applied"), [(1, 1, 2), (2, 1, 3), (2, 2, 3), (1, 3, 3), (1, 0, 1)])
def test_border_communes_raised_by_k_capped_at_red(k, computed, applied):
    facts = [{}, {"f1_present": True}, {"unknown_source_cases_14d": 1}, {"clusters": (Cluster(False, "other", 2),)}]
    result = run(commune("a", is_border=True, **facts[computed]), config=province_policy(raise_border_by=k))["a"]
    assert (result.computed_level, result.applied_level) == (computed, applied)
    assert result.colour == ["green", "yellow", "orange", "red"][applied]


def test_border_raise_needs_is_border_once_configured():
    result = run(commune("a", f1_present=True), config=province_policy(raise_border_by=1))["a"]
    assert (result.computed_level, result.applied_level, result.missing) == (1, None, ["is_border"])


def test_communes_next_to_higher_areas_raised():
    config = province_policy(raise_next_to_higher_by=1)
    result = run(commune("a", clusters=(Cluster(False, "other", 2),), neighbours=("b",)), commune("b"), config=config)
    assert (result["b"].computed_level, result["b"].applied_level) == (2, 3)  # orange by adjacency, then +1
    assert result["a"].applied_level == 3


def test_raises_do_not_add_up_and_only_apply_to_configured_tiers():
    config = province_policy(raise_border_by=1, raise_next_to_higher_by=1)
    result = run(
        commune("a", unknown_source_cases_14d=1, neighbours=("b",)), commune("b", is_border=True), config=config
    )
    assert result["b"].applied_level == 2  # computed 1, raised by max(1, 1)
    assert result["70"].applied_level == result["70"].computed_level


def test_raise_k_must_be_0_1_or_2():
    with pytest.raises(ConfigError, match="raise_border_by"):
        run(commune("a"), config=province_policy(raise_border_by=3))
