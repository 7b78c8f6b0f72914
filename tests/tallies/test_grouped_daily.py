"""The daily tallies of the event tables (passages, check-ins, declarations) are rebuilt set-based
from a grouped query (``registry.register(model, grouped_daily=…)``): random event writes through the
one event writer (with their alerts) keep the stored tallies equal to the rebuild, the grouped query
equals the records' own contributions, and ``rebuild`` gives back what the writes stored."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chongdich.movement.actions.alerts import alerts_for_declarations, alerts_for_passages
from chongdich.movement.ingest import save_events
from chongdich.movement.models import CheckIn, Declaration, Passage, Venue
from chongdich.tallies.engine import total
from chongdich.tallies.rebuild import differences, expected_grouped_daily, rebuild, stored_tallies
from chongdich.tallies.registry import GROUPED_DAILY
from tests.movement.alerts_world import at, checkpoint, declaration, passage

DAY0 = date(2021, 8, 1)
UNITS = ("village", "commune", "other_commune", "district", "far_commune")

event = st.one_of(
    st.tuples(
        st.just("declaration"),
        st.sampled_from(UNITS),
        st.integers(0, 3),
        st.booleans(),
        st.booleans(),
        st.sampled_from([None, "a", "b", "c"]),
    ),
    st.tuples(
        st.just("passage"),
        st.sampled_from(UNITS),
        st.integers(0, 3),
        st.booleans(),
        st.sampled_from(["in", "out"]),
        st.sampled_from([None, "a", "b", "c"]),
    ),
    st.tuples(st.just("checkin"), st.sampled_from(UNITS), st.integers(0, 3), st.sampled_from([None, "a", "b"])),
)


def _venue(unit, code):
    venue = Venue(code=code, name=f"Chợ {code}", kind="market")
    venue.place_in(unit)
    venue.save()
    return venue


def write(world, places, batch) -> None:
    """One batch of events of one kind through ``save_events`` (client ids may repeat)."""
    kind = batch[0][0]
    if kind == "declaration":
        rows = [
            declaration(
                getattr(world, u),
                DAY0 + timedelta(days=d),
                watched=w,
                origin="26734" if w else "",
                symptoms=["fever"] if s else [],
                client_id=f"d-{c}" if c else None,
            )
            for _k, u, d, w, s, c in batch
        ]
        save_events(Declaration, rows, after=alerts_for_declarations)
    elif kind == "passage":
        rows = [
            passage(
                places["cp"][u],
                DAY0 + timedelta(days=d),
                watched=w,
                direction=direction,
                client_id=f"p-{c}" if c else None,
            )
            for _k, u, d, w, direction, c in batch
        ]
        save_events(Passage, rows, after=alerts_for_passages)
    else:
        rows = []
        for _k, u, d, c in batch:
            when = at(DAY0 + timedelta(days=d), 23)  # late evening: the local day, not the UTC one
            row = CheckIn(at=when, day=DAY0 + timedelta(days=d), received_at=when, venue=places["venue"][u])
            row.client_id = f"c-{c}" if c else None
            row.place_in(places["venue"][u].unit)
            rows.append(row)
        save_events(CheckIn, rows)


def test_movement_sources_are_registered_grouped():
    assert {Passage, CheckIn, Declaration} <= set(GROUPED_DAILY)


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(event, min_size=1, max_size=6), min_size=1, max_size=6))
def test_random_event_writes_keep_tallies_equal_to_a_rebuild(world, batches):
    with transaction.atomic():
        places = {
            "cp": {u: checkpoint(getattr(world, u), code=f"CP-{u}") for u in UNITS},
            "venue": {u: _venue(getattr(world, u), code=f"V{i}") for i, u in enumerate(UNITS)},
        }
        for batch in batches:
            same_kind = [e for e in batch if e[0] == batch[0][0]]
            write(world, places, same_kind)
        assert differences() == {}
        # the grouped query equals the records' own contributions
        per_record: Counter = Counter()
        for model in (Passage, CheckIn, Declaration):
            for row in model.objects.all():
                per_record.update(total(row.tally_contributions()))
        assert +expected_grouped_daily() == +per_record
        before = stored_tallies()
        rebuild()
        assert stored_tallies() == before and differences() == {}
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_rebuild_check_command_reports_a_bypassed_write(world):
    cp = checkpoint(world.commune)
    save_events(Passage, [passage(cp, DAY0, watched=True)], after=alerts_for_passages)
    Passage.objects.bulk_create([passage(cp, DAY0)])  # bypasses the writer: no tally
    from io import StringIO

    out = StringIO()
    call_command("rebuild_tallies", "--check", stdout=out)
    assert "passages: stored 1, expected 2" in out.getvalue() and "1 differences" in out.getvalue()
    call_command("rebuild_tallies", stdout=StringIO())
    out = StringIO()
    call_command("rebuild_tallies", "--check", stdout=out)
    assert "tallies agree" in out.getvalue()
