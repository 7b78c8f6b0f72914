"""Properties of care's rules: quarantine plans are well-formed; home-care versions imply each other
exactly where the spec makes that true; release days stay between the test day and the fallback day."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from chongdich.care.rules import (
    Comorbidity,
    HomeCareInputs,
    Severity,
    Vaccination,
    home_care_eligibility,
    quarantine_plan,
    release_date,
)

PROPERTY = settings(max_examples=150, deadline=None)


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
