"""Tallies kept in the same transaction as the writes agree with a rebuild from scratch.

Hypothesis drives random sequences of case operations (confirm, move between treatment places,
update, close, reopen) and after every sequence compares the stored tallies with the recomputed ones,
and checks R-55: active cases equal the sum over treatment places.
"""

from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chongdich.surveillance.models import Case, TreatmentPlace
from chongdich.surveillance.services import do_close_case, do_confirm_case, do_move_case, do_reopen_case, do_update_case
from chongdich.tallies.models import ACTIVE_FIELDS
from chongdich.tallies.rebuild import differences
from chongdich.tallies.selectors import active_cases, levels_on

DAY0 = date(2021, 7, 1)
PLACES = [TreatmentPlace.HOME, TreatmentPlace.HOSPITAL]

operation = st.one_of(
    st.tuples(st.just("confirm"), st.integers(0, 5), st.integers(0, 20), st.sampled_from(["community", "quarantine"]),
              st.booleans()),
    st.tuples(st.just("move"), st.integers(0, 5), st.integers(0, 30), st.sampled_from(PLACES)),
    st.tuples(st.just("close"), st.integers(0, 5), st.integers(0, 40), st.sampled_from(["recovered", "died", "transferred_out"])),
    st.tuples(st.just("reopen"), st.integers(0, 5)),
    st.tuples(st.just("update"), st.integers(0, 5), st.booleans(), st.sampled_from(["community", "border"])),
)  # fmt: skip


def run(actor, people, op):
    """Apply one operation; invalid ones are refused by the services (and must leave no trace)."""
    from django.core.exceptions import ValidationError

    kind, index = op[0], op[1]
    person = people[index]
    case = Case.objects.filter(person=person).order_by("-pk").first()
    try:
        if kind == "confirm":
            do_confirm_case(actor, person, confirmed_on=DAY0 + timedelta(days=op[2]), detected_in=op[3],
                            source_known=op[4], treatment_place=TreatmentPlace.HOME)  # fmt: skip
        elif kind == "move" and case:
            do_move_case(actor, case, place=op[3], on=case.confirmed_on + timedelta(days=op[2]))
        elif kind == "close" and case:
            do_close_case(actor, case, outcome=op[3], on=case.confirmed_on + timedelta(days=op[2]))
        elif kind == "reopen" and case:
            do_reopen_case(actor, case)
        elif kind == "update" and case:
            do_update_case(actor, case, source_known=op[2], detected_in=op[3])
    except ValidationError:
        pass


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(operation, min_size=1, max_size=25))
def test_random_operations_keep_tallies_equal_to_a_rebuild(world, personas, make_person, operations):
    with transaction.atomic():  # each generated example starts from the same empty state
        people = [make_person(full_name=f"Người {i}", cccd=None, unit=world.village if i % 2 else world.other_village)
                  for i in range(6)]  # fmt: skip
        actor = personas["district"]
        for op in operations:
            run(actor, people, op)
        assert differences() == {}
        for day in (DAY0, DAY0 + timedelta(days=15), DAY0 + timedelta(days=45)):
            levels = levels_on(world.district.path, day)
            expected = Case.objects.filter(confirmed_on__lte=day).exclude(outcome_on__lte=day).count()
            assert active_cases(levels) == expected  # active = sum over treatment places
            assert all(levels[f] >= 0 for f in ACTIVE_FIELDS)
        transaction.set_rollback(True)
