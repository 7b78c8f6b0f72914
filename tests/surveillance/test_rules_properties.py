"""Properties: ranks are minimal (checked against a brute-force fixed point) and monotone
(adding an exposure or an F0 never raises a rank number; ``promote`` equals a fresh ranking);
quarantine plans are well-formed; home-care versions imply each other exactly where the spec
makes that true; release days stay between the test day and the fallback day; being closer or
longer never turns an F1 into a non-F1."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from chongdich.surveillance.rules import (
    Comorbidity,
    ContactGraph,
    ContactLevel,
    Exposure,
    ExposureKind,
    HomeCareInputs,
    Severity,
    Vaccination,
    classify_exposure,
    home_care_eligibility,
    infectious_period,
    quarantine_plan,
    ranks,
    release_date,
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


@PROPERTY
@given(
    exposure=st.dates(date(2020, 6, 1), date(2022, 12, 31)),
    later=st.integers(0, 30),
    doses=st.lists(st.integers(0, 400), max_size=3),
    recovered=st.none() | st.integers(-30, 400),
)
def test_quarantine_plans_are_well_formed(exposure, later, doses, recovered):
    vaccination = [exposure - timedelta(days=d) for d in doses]
    recovered_date = None if recovered is None else exposure - timedelta(days=recovered)
    plan = quarantine_plan(exposure, vaccination, recovered_date, as_of=exposure + timedelta(days=later))
    assert plan.start == exposure
    if plan.days:
        assert plan.end is not None and plan.end >= plan.start
        assert (plan.end - plan.start).days + 1 == plan.days
    else:
        assert plan.end is None
    if plan.self_monitor_days:
        assert plan.self_monitor_start is not None and plan.self_monitor_end is not None
        assert plan.self_monitor_end >= plan.self_monitor_start
        assert plan.self_monitor_start == (plan.end + timedelta(days=1) if plan.end else plan.start)
    assert plan.test_days == sorted(plan.test_days)
    assert all(plan.start <= day <= plan.last_day for day in plan.test_days)
    assert plan.last_day <= plan.start + timedelta(days=plan.days + plan.self_monitor_days)


home_inputs = st.builds(
    HomeCareInputs,
    age=st.floats(0, 100),
    severity=st.sampled_from(list(Severity)),
    respiratory_rate=st.integers(12, 26),
    spo2=st.integers(90, 100),
    abnormal_breathing=st.booleans(),
    vaccinated_doses=st.integers(0, 3),
    last_dose_date=st.dates(date(2021, 3, 1), date(2021, 9, 30)),
    comorbidity=st.sampled_from(list(Comorbidity)),
    pregnant=st.booleans(),
    can_self_care=st.booleans(),
    has_carer=st.booleans(),
    reachable=st.booleans(),
)
V4038, V261 = date(2021, 10, 1), date(2022, 2, 15)


def protected_4038(i: HomeCareInputs) -> bool:
    vaccinated = i.vaccinated_doses >= 2 or (i.vaccinated_doses == 1 and (V4038 - i.last_dose_date).days >= 14)
    return vaccinated or (1 < i.age < 50 and i.comorbidity is Comorbidity.NONE and not i.pregnant)


@PROPERTY
@given(inputs=home_inputs)
def test_home_care_versions_imply_each_other_only_where_the_spec_says(inputs):
    under_4038 = home_care_eligibility(inputs, V4038).eligible
    under_261 = home_care_eligibility(inputs, V261).eligible
    # 261's vital-sign bounds are stricter; 4038's vaccination/age branch is the only extra condition
    if under_261 and protected_4038(inputs):
        assert under_4038
    # 4038 ignores comorbidity when vaccinated; 261 refuses an unstable comorbidity
    if (
        under_4038
        and inputs.comorbidity is not Comorbidity.UNSTABLE
        and inputs.respiratory_rate < 20
        and inputs.spo2 > 96
    ):
        assert under_261
    # neither implies the other in general: the boundary and the age rule
    assert not home_care_eligibility(replace(inputs, respiratory_rate=20), V261).eligible


@PROPERTY
@given(
    results=st.dictionaries(st.integers(1, 16), st.sampled_from(["negative", "positive"]), max_size=5),
    doses=st.lists(st.dates(date(2021, 3, 1), date(2022, 3, 1)), max_size=3),
    as_of_day=st.integers(1, 20),
)
def test_release_day_lies_between_the_test_day_and_the_fallback(results, doses, as_of_day):
    start = date(2022, 3, 1)
    decision = release_date(start, results, Vaccination.from_doses(doses), start + timedelta(days=as_of_day - 1))
    if decision.day is not None:
        assert 7 <= decision.day <= 14
        assert decision.release_on == start + timedelta(days=decision.day - 1)
        assert decision.latest_release_on is not None and decision.release_on <= decision.latest_release_on
    else:
        assert decision.next_test_on is not None


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
