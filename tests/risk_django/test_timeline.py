"""R-24 publication timeline: a changed level takes effect after the notice; the level in force
until then, cancellations and the period ends earlier rows must carry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chongdich.risk.assess import timeline
from chongdich.risk.inputs import Previous

NOTICE = timedelta(hours=48)
D1 = datetime(2021, 8, 10, 1, tzinfo=UTC)  # 08:00 in Hà Nội
ORANGE, RED, YELLOW = ("2686", 2), ("2686", 3), ("2686", 1)


def state_after(step, key=None) -> Previous:
    """The ``Previous`` the next day's run would read from the row this step produced."""
    in_force, pending = step.in_force, step.pending
    return Previous(
        "x",
        key[0] if key else "2686",
        None,
        in_force[0][0] if in_force else "",
        in_force[0][1] if in_force else None,
        in_force[1] if in_force else None,
        pending[0][0] if pending else "",
        pending[0][1] if pending else None,
        pending[1] if pending else None,
    )


def test_the_first_level_takes_effect_at_once():
    step = timeline(None, ORANGE, D1, NOTICE)
    assert step.effective_from == D1 and step.in_force == (ORANGE, D1) and step.pending is None
    assert not step.announced and step.writes == []


def test_same_level_continues_the_period():
    first = timeline(None, ORANGE, D1, NOTICE)
    step = timeline(state_after(first, ORANGE), ORANGE, D1 + timedelta(days=1), NOTICE)
    assert step.effective_from == D1 and step.effective_to is None and step.in_force == (ORANGE, D1)
    assert step.writes == []


def test_a_change_is_announced_48_hours_ahead_and_closes_the_level_in_force():
    first = timeline(None, ORANGE, D1, NOTICE)
    d2 = D1 + timedelta(days=1)
    step = timeline(state_after(first, ORANGE), RED, d2, NOTICE)
    assert step.announced
    assert step.effective_from == d2 + NOTICE
    assert step.in_force == (ORANGE, D1)  # orange stays in force until then
    assert step.pending == (RED, d2 + NOTICE)
    assert step.writes == [(D1, d2 + NOTICE)]  # the orange period now ends when red starts


def test_the_announced_level_repeated_keeps_its_date_then_takes_effect():
    first = timeline(None, ORANGE, D1, NOTICE)
    d2, d3, d4 = (D1 + timedelta(days=n) for n in (1, 2, 3))
    announced = timeline(state_after(first, ORANGE), RED, d2, NOTICE)
    again = timeline(state_after(announced, RED), RED, d3, NOTICE)
    assert again.effective_from == d2 + NOTICE and not again.announced and again.writes == []
    assert again.in_force == (ORANGE, D1)
    in_force = timeline(state_after(again, RED), RED, d4, NOTICE)  # d4 08:00 ≥ d2 08:00 + 48 h
    assert in_force.in_force == (RED, d2 + NOTICE) and in_force.pending is None
    assert in_force.effective_from == d2 + NOTICE and in_force.writes == []


def test_back_to_the_level_in_force_cancels_the_announcement():
    first = timeline(None, ORANGE, D1, NOTICE)
    d2, d3 = D1 + timedelta(days=1), D1 + timedelta(days=2)
    announced = timeline(state_after(first, ORANGE), RED, d2, NOTICE)
    back = timeline(state_after(announced, RED), ORANGE, d3, NOTICE)
    assert back.effective_from == D1 and back.pending is None and not back.announced
    assert sorted(back.writes) == sorted([(D1, None), (d2 + NOTICE, d2 + NOTICE)])  # reopened; red cancelled


def test_a_newer_announcement_supersedes_a_pending_one():
    first = timeline(None, ORANGE, D1, NOTICE)
    d2, d3 = D1 + timedelta(days=1), D1 + timedelta(days=2)
    announced = timeline(state_after(first, ORANGE), RED, d2, NOTICE)
    newer = timeline(state_after(announced, RED), YELLOW, d3, NOTICE)
    assert newer.announced and newer.pending == (YELLOW, d3 + NOTICE) and newer.in_force == (ORANGE, D1)
    assert sorted(newer.writes) == sorted([(D1, d3 + NOTICE), (d2 + NOTICE, d2 + NOTICE)])


def test_no_level_keeps_the_state():
    first = timeline(None, ORANGE, D1, NOTICE)
    d2 = D1 + timedelta(days=1)
    announced = timeline(state_after(first, ORANGE), RED, d2, NOTICE)
    unknown = timeline(state_after(announced, RED), None, d2 + timedelta(days=1), NOTICE)
    assert unknown.effective_from is None and unknown.in_force == (ORANGE, D1)
    assert unknown.pending == (RED, d2 + NOTICE) and unknown.writes == []


def test_a_rerun_writes_every_period_end():
    first = timeline(None, ORANGE, D1, NOTICE)
    step = timeline(state_after(first, ORANGE), RED, D1 + timedelta(days=1), NOTICE, rerun=True)
    assert step.writes == [(D1, D1 + timedelta(days=1) + NOTICE)]
    same = timeline(state_after(first, ORANGE), YELLOW, D1 + timedelta(days=1), timedelta(0), rerun=True)
    assert same.in_force == (YELLOW, D1 + timedelta(days=1))  # notice 0: effective at once
