"""Properties of ``assess`` over random histories: the order of the input doses never matters; doses
counted ≤ doses given; green ⇒ complete (≥ 14 days) or recovered; a dose added after the last one
never undoes a complete series nor changes an earlier verdict; doses after ``as_of`` change nothing
but their own flags; numbers run 1, 2, … within each kind; ``check_new_dose`` is ``assess``'s verdict
on the appended dose; ``next_due`` is never before ``earliest_next``."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from chongdich.vaccination.rules import DoseIn, PersonIn, assess, check_new_dose

PROPERTY = settings(max_examples=200, deadline=None)
CODES = ["AZ", "PF", "MO", "VC", "HV", "SP", "AB", "JJ", "CX", "PF5", "XX"]
START, END = date(2021, 3, 1), date(2022, 9, 30)

doses = st.lists(st.builds(DoseIn, st.sampled_from(CODES), st.dates(START, END)), max_size=6)
people = st.builds(
    PersonIn,
    id=st.just("p"),
    date_of_birth=st.none() | st.dates(date(1930, 1, 1), date(2016, 12, 31)),
    doses=doses,
    recovered_on=st.none() | st.dates(date(2020, 6, 1), END),
    negative_pcr_at=st.none() | st.datetimes(datetime(2021, 1, 1), datetime(2022, 12, 31)),
    special_group=st.booleans(),
)
as_of = st.dates(date(2021, 3, 8), date(2022, 12, 31))


def essentials(status):
    row = status.to_dict()
    del row["doses"], row["problems"]
    return row


@PROPERTY
@given(person=people, on=as_of, data=st.data())
def test_input_order_never_matters(person, on, data):
    shuffled = data.draw(st.permutations(person.doses))
    assert assess(person, on) == assess(replace(person, doses=tuple(shuffled)), on)


@PROPERTY
@given(person=people, on=as_of)
def test_counts_numbers_and_colour_are_consistent(person, on):
    status = assess(person, on)
    past = [v for v in status.doses if v.date <= on]
    assert status.doses_counted == sum(v.counted for v in status.doses) <= len(past) <= len(person.doses)
    assert all(not v.counted and "dose_in_future" in v.problems for v in status.doses if v.date > on)
    for kind in ("primary", "additional", "booster"):
        assert [v.number for v in status.doses if v.kind == kind] == list(
            range(1, 1 + sum(v.kind == kind for v in status.doses))
        )
    completing = [v for v in past if v.completes_primary]
    assert len(completing) == (1 if status.complete else 0)
    assert status.completed_on == (completing[0].date if completing else None)
    assert all(v.kind == "primary" for v in status.doses[: len([v for v in status.doses if v.kind == "primary"])])
    if status.colour == "green":
        assert (status.complete and (on - status.completed_on).days >= 14) or (
            person.recovered_on is not None and 0 <= (on - person.recovered_on).days <= 180
        )
    if status.colour == "yellow":
        assert status.doses_counted or person.negative_pcr_at is not None
    if not person.doses and person.recovered_on is None and person.negative_pcr_at is None:
        assert status.colour == "red"
    if status.next_due is not None and status.earliest_next is not None:
        assert status.next_due >= status.earliest_next
    if status.overdue_after is not None:
        assert status.overdue_after >= status.next_due


@PROPERTY
@given(person=people, on=as_of, code=st.sampled_from(CODES), later=st.integers(1, 400))
def test_a_dose_after_the_last_never_undoes_the_series(person, on, code, later):
    last = max((d.date for d in person.doses), default=START)
    added = DoseIn(code, last + timedelta(days=later))
    before = assess(person, on)
    after = assess(replace(person, doses=(*person.doses, added)), on)
    if before.complete:
        assert after.complete and after.completed_on == before.completed_on
    assert after.doses_counted >= before.doses_counted
    assert after.doses[:-1] == before.doses


@PROPERTY
@given(person=people, on=as_of, extra=st.lists(st.tuples(st.sampled_from(CODES), st.integers(1, 300)), max_size=3))
def test_doses_after_as_of_change_nothing_but_their_flags(person, on, extra):
    past = replace(person, doses=tuple(d for d in person.doses if d.date <= on))
    future = tuple(DoseIn(code, on + timedelta(days=days)) for code, days in extra)
    with_future = assess(replace(past, doses=(*past.doses, *future)), on)
    assert essentials(with_future) == essentials(assess(past, on))
    assert all("dose_in_future" in v.problems for v in with_future.doses[len(past.doses) :])


@PROPERTY
@given(person=people, code=st.sampled_from(CODES), later=st.integers(1, 400))
def test_check_new_dose_is_the_verdict_on_the_appended_dose(person, code, later):
    last = max((d.date for d in person.doses), default=START)
    on = last + timedelta(days=later)
    verdict = check_new_dose(person, code, on)
    assert verdict == assess(replace(person, doses=(*person.doses, DoseIn(code, on))), on).doses[-1]
