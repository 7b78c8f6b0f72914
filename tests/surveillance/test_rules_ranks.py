"""Tracing ranks over a contact graph: minimum rank from any F0, promotion of an F1 to F0
moving their contacts up one rank, the F1 definition on links from an F0, ``as_of``, periods."""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

import pytest

from chongdich.core.versioning import RuleVersion
from chongdich.surveillance.rules import (
    ContactGraph,
    ContactLevel,
    Exposure,
    InputError,
    default_config,
    infectious_period,
    ranks,
)
from chongdich.surveillance.rules.config import TRACING_KEY

DAY = date(2022, 3, 1)
AS_OF = date(2022, 3, 31)


def link(a, b, kind="physical_contact", on=DAY, **kw):
    return Exposure(kind, on, source=a, contact=b, **kw)


# A chain A–B–C–D–E–F–G plus a shortcut H: A is F0.
CHAIN = [
    link("A", "B", "household"),
    link("B", "C", "close_unmasked", distance_m=1.5),
    link("C", "D"),
    link("E", "D"),
    link("E", "F"),
    link("F", "G"),
    link("A", "H"),
    link("H", "D"),
]


def test_minimum_rank_over_a_small_graph():
    assert ranks(["A"], CHAIN, AS_OF) == {"A": 0, "B": 1, "H": 1, "C": 2, "D": 2, "E": 3, "F": 4, "G": 5}


def test_promoting_an_f1_to_f0_moves_their_contacts_up_one_rank():
    graph = ContactGraph.from_exposures(CHAIN, AS_OF)
    before = graph.ranks(["A"])
    after = graph.promote(before, ["B"])
    assert after == graph.ranks(["A", "B"])
    assert (before["C"], after["C"]) == (2, 1)
    assert after["B"] == 0 and after["D"] == 2  # D was already F2 through H
    # promoting H moves D (and everyone behind D) up one rank
    again = graph.promote(after, ["H"])
    assert again == graph.ranks(["A", "B", "H"])
    assert (again["D"], again["E"], again["F"], again["G"]) == (1, 2, 3, 4)


def test_max_rank_cuts_the_chain():
    assert ranks(["A"], CHAIN, AS_OF, max_rank=2) == {"A": 0, "B": 1, "H": 1, "C": 2, "D": 2}
    longer = [link(str(i), str(i + 1)) for i in range(10)]
    assert max(ranks(["0"], longer, AS_OF).values()) == 5  # configured F5 [R]
    override = RuleVersion(TRACING_KEY, "Tỉnh 70: F3", date(2020, 1, 1), None, {"max_rank": 3}, province="70")
    config = default_config().with_versions([override])
    assert max(ranks(["0"], longer, AS_OF, config, province="70").values()) == 3
    with pytest.raises(InputError):
        ranks(["0"], longer, AS_OF, max_rank=0)


def test_links_from_an_f0_need_the_f1_definition_others_the_f2_link_rule():
    exposures = [
        link("F0", "near", "close_unmasked", date(2022, 5, 1), distance_m=0.8),  # F1 (≤ 1 m)
        link("F0", "mid", "close_unmasked", date(2022, 5, 1), distance_m=1.5),  # not F1 after 15/4/2022; within 2 m
        link("F0", "far", "close_unmasked", date(2022, 5, 1), distance_m=3),  # no link
        link("F0", "brief", "close_masked", date(2022, 3, 1), distance_m=1, duration_min=5),  # not F1; within 2 m
        link("near", "x", "close_unmasked", date(2022, 5, 2), distance_m=1.5),  # F2 link: within 2 m
        link("near", "y", "close_unmasked", date(2022, 5, 2), distance_m=2.5),  # no link
    ]
    result = ranks(["F0"], exposures, date(2022, 6, 1))
    assert result == {"F0": 0, "near": 1, "mid": 2, "brief": 2, "x": 2}
    assert ContactLevel(result["x"]).label == "F2"
    assert ranks(["F0"], exposures, date(2022, 6, 1), qualify=False)["far"] == 1


def test_exposures_after_as_of_do_not_count():
    exposures = [link("A", "B", on=date(2022, 3, 1)), link("B", "C", on=date(2022, 3, 10))]
    assert ranks(["A"], exposures, date(2022, 3, 9)) == {"A": 0, "B": 1}
    assert ranks(["A"], exposures, date(2022, 3, 10)) == {"A": 0, "B": 1, "C": 2}


def test_infectious_periods_limit_links_from_each_f0():
    exposures = [link("A", "B", on=date(2022, 3, 1)), link("A", "C", on=date(2022, 3, 20)), link("C", "D")]
    periods = {"A": infectious_period(date(2022, 3, 12), None, date(2022, 3, 25))}  # 10/3 … 25/3
    assert ranks(["A"], exposures, AS_OF, periods=periods) == {"A": 0, "C": 1, "D": 2}
    assert ranks(["A"], exposures, AS_OF) == {"A": 0, "B": 1, "C": 1, "D": 2}


def test_builders_agree():
    rows = [(e.source, e.contact, e.kind.value, e.start, e.end, e.distance_m, e.duration_min, e.masked) for e in CHAIN]
    from_rows = ContactGraph.from_rows(rows, AS_OF).ranks(["A"])
    from_pairs = ContactGraph.from_pairs((e.source, e.contact) for e in CHAIN).ranks(["A"])
    assert from_rows == ranks(["A"], CHAIN, AS_OF) == from_pairs
    with pytest.raises(InputError):
        ContactGraph.from_pairs([("A", "B")]).ranks(["A"], periods={})


def test_self_contacts_are_ignored_and_missing_ids_refused():
    assert ranks(["A"], [link("A", "A"), link("A", "B")], AS_OF) == {"A": 0, "B": 1}
    with pytest.raises(InputError):
        ranks(["A"], [Exposure("household", DAY, source="A")], AS_OF)


def test_an_f0_without_exposures_is_rank_0_and_duplicates_are_harmless():
    assert ranks(["Z", "Z"], CHAIN, AS_OF) == {"Z": 0}


def test_ranking_a_large_graph_is_fast():
    rng = random.Random(7)
    people, count = 50_000, 200_000
    days = [DAY + timedelta(days=i) for i in range(60)]
    rows = [
        (
            rng.randrange(people),
            rng.randrange(people),
            "close_unmasked",
            days[rng.randrange(60)],
            None,
            rng.choice((None, 0.5, 1.5, 3.0)),
            None,
            None,
        )
        for _ in range(count)
    ]
    started = time.perf_counter()
    graph = ContactGraph.from_rows(rows, date(2022, 6, 1))
    result = graph.ranks(range(0, people, 500))
    elapsed = time.perf_counter() - started
    assert graph.edges > 100_000 and len(result) > 1_000
    assert elapsed < 10, elapsed  # ~0.5 s here; 2,000,000 exposures take a few seconds
