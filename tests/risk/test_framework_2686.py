"""R-10: commune factors, adjacency to a fixed point, and absent inputs (QĐ 2686)."""

from __future__ import annotations

from datetime import date

import pytest

from chongdich.core.versioning import RuleVersion
from chongdich.risk.rules import Cluster, Tier, UnitInputs, assess_units, default_config

ON = date(2021, 8, 1)
QUIET = dict(clusters=(), unknown_source_cases_14d=0, known_source_cases_14d=0, f1_present=False, neighbours=())


def commune(code: str, **facts) -> UnitInputs:
    return UnitInputs(code, f"Xã {code}", Tier.COMMUNE, **{**QUIET, **facts})


def levels(*units: UnitInputs, config=None) -> dict[str, int | None]:
    return {a.code: a.computed_level for a in assess_units(list(units), as_of=ON, framework="2686", config=config)}


def one(unit: UnitInputs, config=None):
    return assess_units([unit], as_of=ON, framework="2686", config=config)[0]


@pytest.mark.parametrize(
    ("facts", "level", "fragment"),
    [
        ({"clusters": (Cluster(False, "other", 2),)}, 3, "không rõ nguồn lây → Đỏ"),
        ({"clusters": (Cluster(True, "school", 4),)}, 3, "nơi tiếp xúc đông người (trường học)"),
        ({"clusters": (Cluster(True, "industrial_park", 2),)}, 3, "khu công nghiệp"),
        ({"clusters": (Cluster(True, "hospital", 2), Cluster(True, "market", 3))}, 3, "(bệnh viện, chợ)"),
        (
            {"clusters": (Cluster(False, "household", 1),), "unknown_source_cases_14d": 1},
            2,
            "không rõ nguồn lây trong 14 ngày",
        ),
        ({"clusters": (Cluster(True, "household", 3),), "known_source_cases_14d": 3}, 1, "rõ nguồn lây → Vàng"),
        ({"unknown_source_cases_14d": 1}, 2, "1 ca bệnh không rõ nguồn lây"),
        ({"linked_to_red_cluster_place": True}, 2, "ổ dịch mức Đỏ → Cam"),
        ({"known_source_cases_14d": 1}, 1, "rõ nguồn lây → Vàng"),
        ({"f1_present": True}, 1, "có F1 trong cộng đồng → Vàng"),
        ({"illegal_entry_risk": True}, 1, "nhập cảnh trái phép"),
        ({}, 0, "không có yếu tố dịch tễ nào → Xanh"),
    ],
)
def test_r10_commune_factors_first_match_from_red(facts, level, fragment):
    result = one(commune("1", **facts))
    assert result.computed_level == level
    assert result.missing == []
    assert any(fragment in reason.vi for reason in result.reasons), [r.vi for r in result.reasons]
    assert all(reason.rule == "R-10" and reason.en for reason in result.reasons)


def test_r10_reasons_name_the_rule_in_both_languages():
    result = one(commune("1", clusters=(Cluster(False, "other", 5),)))
    assert result.reasons[0].text("vi") == "R-10: cụm ca bệnh không rõ nguồn lây → Đỏ"
    assert result.reasons[0].text("en") == "R-10: cluster with no traceable source → red"
    assert result.colour == "red"


def test_r10_a_single_case_is_not_a_cluster_by_default_but_the_minimum_is_configurable():
    single = commune("1", clusters=(Cluster(False, "market", 1),), unknown_source_cases_14d=1)
    assert one(single).computed_level == 2
    config = default_config().with_versions(
        [
            RuleVersion(
                "risk.2686", "tỉnh thử", date(2021, 5, 31), None, {"commune": {"cluster_min_cases": 1}}, province="70"
            )
        ]
    )
    assert assess_units([single], as_of=ON, framework="2686", config=config, province="70")[0].computed_level == 3


@pytest.mark.parametrize(
    ("absent", "facts", "level", "missing"),
    [
        ("clusters", {}, None, ["clusters"]),
        ("clusters", {"unknown_source_cases_14d": 2}, None, ["clusters"]),  # could still be red
        ("f1_present", {"unknown_source_cases_14d": 1}, 2, []),  # f1 only decides yellow
        ("f1_present", {}, None, ["f1_present"]),
        ("known_source_cases_14d", {"f1_present": True}, 1, []),
        ("unknown_source_cases_14d", {"clusters": (Cluster(False, "other", 2),)}, 3, []),
        ("unknown_source_cases_14d", {"f1_present": True}, None, ["unknown_source_cases_14d"]),
        ("neighbours", {"unknown_source_cases_14d": 1}, 2, []),  # adjacency cannot lift above orange
        ("neighbours", {"f1_present": True}, None, ["neighbours"]),
    ],
)
def test_r10_an_absent_input_only_matters_if_it_could_lift_the_level(absent, facts, level, missing):
    unit = commune("1", **facts)
    setattr(unit, absent, None)
    result = one(unit)
    assert result.computed_level == level
    assert result.applied_level == level
    assert result.missing == missing
    if level is None:
        assert result.colour is None
        assert "chưa xác định" in result.reasons[-1].vi


def test_adjacency_chain_red_orange_yellow_never_cascades_to_red():
    chain = [
        commune("A", clusters=(Cluster(False, "other", 3),), neighbours=("B",)),
        commune("B", neighbours=("C",)),
        commune("C", neighbours=("D",)),
        commune("D", neighbours=("E",)),
        commune("E"),
    ]
    assert levels(*chain) == {"A": 3, "B": 2, "C": 1, "D": 0, "E": 0}


def test_adjacency_between_two_reds_stays_orange():
    red = {"clusters": (Cluster(True, "school", 2),)}
    assert levels(commune("A", **red), commune("B", neighbours=("A", "C")), commune("C", **red))["B"] == 2


def test_adjacency_is_symmetric_when_only_one_side_lists_it():
    assert levels(commune("A", neighbours=("B",)), commune("B", unknown_source_cases_14d=1))["A"] == 1


def test_adjacency_reaches_a_fixed_point_on_a_ring():
    ring = [commune(str(i), neighbours=(str((i + 1) % 8),)) for i in range(8)]
    ring[0] = commune("0", clusters=(Cluster(False, "other", 2),), neighbours=("1",))
    assert levels(*ring) == {"0": 3, "1": 2, "2": 1, "3": 0, "4": 0, "5": 0, "6": 1, "7": 2}


def test_adjacency_reasons_name_the_neighbour():
    result = assess_units(
        [commune("A", unknown_source_cases_14d=1, neighbours=("B",)), commune("B")], as_of=ON, framework="2686"
    )[1]
    assert [r.text() for r in result.reasons] == ["R-10: giáp ranh A Xã A (Cam) → Vàng"]
    assert result.indicators["neighbour_levels"] == {"A": 2}


def test_own_factor_and_adjacency_at_the_same_level_are_both_reported():
    result = assess_units(
        [
            commune("A", clusters=(Cluster(False, "other", 2),), neighbours=("B",)),
            commune("B", unknown_source_cases_14d=1),
        ],
        as_of=ON,
        framework="2686",
    )[1]
    assert result.computed_level == 2
    assert len(result.reasons) == 2


def test_an_undetermined_neighbour_is_reported_by_its_missing_input():
    unknown = commune("A", neighbours=("B",))
    unknown.clusters = None
    result = levels(unknown, commune("B", neighbours=("C",)), commune("C"))
    assert result == {"A": None, "B": None, "C": None}
    by_code = {
        a.code: a
        for a in assess_units([unknown, commune("B", neighbours=("C",)), commune("C")], as_of=ON, framework="2686")
    }
    assert by_code["A"].missing == ["clusters"]
    assert by_code["B"].missing == ["A.clusters"]
    assert by_code["C"].missing == ["A.clusters"]  # red two borders away would make C yellow


def test_an_undetermined_neighbour_does_not_matter_when_the_commune_is_already_higher():
    unknown = commune("A", neighbours=("B",))
    unknown.clusters = None
    assert levels(unknown, commune("B", clusters=(Cluster(False, "other", 2),)))["B"] == 3
    assert levels(unknown, commune("B", unknown_source_cases_14d=1))["B"] == 2


def test_an_undetermined_commune_that_can_at_most_be_yellow_does_not_block_its_neighbours():
    maybe_yellow = commune("A", neighbours=("B",))
    maybe_yellow.f1_present = None
    assert levels(maybe_yellow, commune("B", neighbours=("C",)), commune("C")) == {"A": None, "B": 0, "C": 0}


def test_an_undetermined_commune_that_can_at_most_be_orange_blocks_only_its_direct_neighbours():
    maybe_orange = commune("A", neighbours=("B",))
    maybe_orange.unknown_source_cases_14d = None
    units = [maybe_orange, commune("B", neighbours=("C",)), commune("C")]
    assert levels(*units) == {"A": None, "B": None, "C": 0}
    assert assess_units(units, as_of=ON, framework="2686")[1].missing == ["A.unknown_source_cases_14d"]


def test_adjacency_rule_is_data():
    config = default_config().with_versions(
        [
            RuleVersion(
                "risk.2686",
                "không xét giáp vàng",
                date(2021, 5, 31),
                None,
                {"adjacency": {"3": 2, "2": 0}},
                province="70",
            )
        ]
    )
    chain = [
        commune("A", clusters=(Cluster(False, "other", 3),), neighbours=("B",)),
        commune("B", neighbours=("C",)),
        commune("C"),
    ]
    result = assess_units(chain, as_of=ON, framework="2686", config=config, province="70")
    assert [a.computed_level for a in result] == [3, 2, 0]


@pytest.mark.parametrize(("population", "level"), [(200_000, 0), (100_000, 0), (99_999, 1), (50_000, 1)])
def test_optional_yellow_rate_reading_is_strictly_above_one_per_100k(population, level):
    config = default_config().with_versions(
        [
            RuleVersion(
                "risk.2686",
                "TTXVN 5/8/2021",
                date(2021, 5, 31),
                None,
                {"commune": {"yellow_known_source_rate_per_100k_over": 1}},
                province="70",
            )
        ]
    )
    unit = commune("1", known_source_cases_14d=1, population=population)
    assert assess_units([unit], as_of=ON, framework="2686", config=config, province="70")[0].computed_level == level


def test_optional_yellow_rate_needs_population_when_there_are_cases():
    config = default_config().with_versions(
        [
            RuleVersion(
                "risk.2686",
                "TTXVN",
                date(2021, 5, 31),
                None,
                {"commune": {"yellow_known_source_rate_per_100k_over": 1}},
                province="70",
            )
        ]
    )
    result = assess_units(
        [commune("1", known_source_cases_14d=2)], as_of=ON, framework="2686", config=config, province="70"
    )[0]
    assert (result.computed_level, result.missing) == (None, ["population"])
