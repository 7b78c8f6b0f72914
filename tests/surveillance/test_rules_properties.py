"""Properties: ranks are minimal (checked against a brute-force fixed point) and monotone
(adding an exposure or an F0 never raises a rank number; ``promote`` equals a fresh ranking);
being closer or longer never turns an F1 into a non-F1.  (Care's rules: tests/care/test_rules_properties.py.)"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from chongdich.surveillance.rules import (
    ContactGraph,
    ContactLevel,
    Exposure,
    ExposureKind,
    classify_exposure,
    infectious_period,
    ranks,
)
from chongdich.surveillance.rules.tracing import F1_LINK, ONWARD_LINK

PROPERTY = settings(max_examples=150, deadline=None)
AS_OF = date(2022, 6, 30)
PEOPLE = st.integers(0, 14)


@st.composite
def exposures(draw, low=date(2022, 3, 1), high=date(2022, 6, 30)):
    kind = draw(st.sampled_from(list(ExposureKind)))
    masked = (
        None if kind in (ExposureKind.CLOSE_MASKED, ExposureKind.CLOSE_UNMASKED) else draw(st.none() | st.booleans())
    )
    return Exposure(
        kind,
        draw(st.dates(low, high)),
        distance_m=draw(st.none() | st.sampled_from([0.5, 1.0, 1.5, 2.0, 2.5])),
        duration_min=draw(st.none() | st.integers(0, 40)),
        masked=masked,
        source=draw(PEOPLE),
        contact=draw(PEOPLE),
    )


def brute_force_ranks(f0, exs, as_of, max_rank=5):
    graph = ContactGraph.from_exposures(exs, as_of)
    edges = [(graph._ends[2 * i], graph._ends[2 * i + 1], graph._flags[i]) for i in range(graph.edges)]
    rank = {p: 0 for p in f0}
    changed = True
    while changed:
        changed = False
        for a, b, flags in edges:
            for u, v in ((a, b), (b, a)):
                if u not in rank:
                    continue
                r = rank[u]
                new = (1 if flags & F1_LINK else 2) if r == 0 else (r + 1 if flags & ONWARD_LINK else None)
                if new is not None and new <= max_rank and rank.get(v, 99) > new:
                    rank[v] = new
                    changed = True
    return rank


@PROPERTY
@given(f0=st.sets(PEOPLE, min_size=1, max_size=3), exs=st.lists(exposures(), max_size=30))
def test_ranks_are_the_minimum_over_all_chains(f0, exs):
    assert ranks(f0, exs, AS_OF) == brute_force_ranks(f0, exs, AS_OF)


@PROPERTY
@given(f0=st.sets(PEOPLE, min_size=1, max_size=3), exs=st.lists(exposures(), max_size=30), extra=exposures())
def test_adding_an_exposure_never_raises_a_rank(f0, exs, extra):
    before = ranks(f0, exs, AS_OF)
    after = ranks(f0, [*exs, extra], AS_OF)
    assert all(person in after and after[person] <= rank for person, rank in before.items())


@PROPERTY
@given(
    f0=st.sets(PEOPLE, min_size=1, max_size=3),
    more=st.sets(PEOPLE, max_size=3),
    exs=st.lists(exposures(), max_size=30),
    max_rank=st.integers(1, 6),
)
def test_new_f0_never_raises_a_rank_and_promote_equals_a_fresh_ranking(f0, more, exs, max_rank):
    graph = ContactGraph.from_exposures(exs, AS_OF)
    before = graph.ranks(f0, max_rank)
    after = graph.promote(before, more, max_rank)
    assert after == graph.ranks(f0 | more, max_rank)
    assert all(after[person] <= rank for person, rank in before.items())
    assert all(0 <= rank <= max_rank for rank in after.values())


WIDE = infectious_period(date(2020, 6, 1), None)


@PROPERTY
@given(exposure=exposures(date(2021, 6, 1), date(2022, 12, 31)), closer=st.floats(0, 1), longer=st.integers(0, 60))
def test_closer_or_longer_never_undoes_an_f1(exposure, closer, longer):
    if classify_exposure(exposure, WIDE).level is not ContactLevel.F1:
        return
    distance = None if exposure.distance_m is None else exposure.distance_m * closer
    duration = None if exposure.duration_min is None else exposure.duration_min + longer
    nearer = replace(exposure, distance_m=distance, duration_min=duration)
    assert classify_exposure(nearer, WIDE).level is ContactLevel.F1


@PROPERTY
@given(
    onset=st.none() | st.dates(date(2020, 6, 1), date(2022, 12, 31)),
    sample=st.none() | st.dates(date(2020, 6, 1), date(2022, 12, 31)),
)
def test_infectious_period_starts_two_days_before_its_anchor(onset, sample):
    if onset is None and sample is None:
        return
    period = infectious_period(onset, sample)
    anchors = [d for d in (onset, sample) if d is not None]
    assert period.start == min(anchors) - timedelta(days=2)
    assert all(period.contains(d) for d in anchors)
