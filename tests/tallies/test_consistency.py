"""Tallies kept in the same transaction as the writes agree with a rebuild from scratch.

Hypothesis drives random sequences of operations — on cases (confirm at home or straight into a field
hospital, move between treatment places, update, correct the confirmation date, close, reopen), on
contacts (exposures making F1 and F2), on quarantine (home orders, admissions, ending them by hand, the
nightly job that ends what is past its end) and on fever-cough samples — and after every sequence
compares the stored tallies with the recomputed ones, and checks:

- R-55: active cases equal the sum over treatment places;
- the cases treated in a facility are its treatment stays, every day (the field hospital's patients are
  its beds in use);
- the F1 in quarantine on a day are the orders and stays the quarantine list shows for that day.
"""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chongdich.care.actions import (
    do_admit,
    do_create_facility,
    do_discharge,
    do_end_order,
    do_order_home_quarantine,
)
from chongdich.care.actions.expiry import end_due
from chongdich.care.models import HomeOrder, OrderStatus, Stay, StayPurpose
from chongdich.care.selectors import facility_quarantine_on, home_quarantine_on
from chongdich.surveillance.actions import (
    do_close_case,
    do_confirm_case,
    do_move_case,
    do_record_exposure,
    do_reopen_case,
    do_update_case,
)
from chongdich.surveillance.models import Case, Contact, TreatmentEpisode, TreatmentPlace
from chongdich.surveillance.tracing import exposure_bounds
from chongdich.tallies.models import ACTIVE_FIELDS
from chongdich.tallies.rebuild import differences
from chongdich.tallies.selectors import active_cases, levels_on
from chongdich.testing.actions import do_record_result, do_register_sample

DAY0 = date(2021, 7, 1)
CHECKED_DAYS = [DAY0 + timedelta(days=n) for n in range(0, 60, 3)]
PLACES = [TreatmentPlace.HOME, TreatmentPlace.HOSPITAL, TreatmentPlace.FIELD_HOSPITAL]
PEOPLE = 6

person = st.integers(0, PEOPLE - 1)
operation = st.one_of(
    st.tuples(
        st.just("confirm"),
        person,
        st.integers(0, 20),
        st.sampled_from(["community", "quarantine"]),
        st.booleans(),
        st.sampled_from([TreatmentPlace.HOME, TreatmentPlace.FIELD_HOSPITAL]),
    ),
    st.tuples(
        st.just("confirm"),
        person,
        st.integers(0, 20),
        st.sampled_from(["community", "quarantine"]),
        st.booleans(),
        st.sampled_from([TreatmentPlace.HOME, TreatmentPlace.FIELD_HOSPITAL]),
    ),
    st.tuples(st.just("move"), person, st.integers(0, 30), st.sampled_from(PLACES)),
    st.tuples(st.just("close"), person, st.integers(0, 40), st.sampled_from(["recovered", "died", "transferred_out"])),
    st.tuples(st.just("reopen"), person),
    st.tuples(st.just("update"), person, st.booleans(), st.sampled_from(["community", "border"])),
    st.tuples(st.just("redate"), person, st.integers(-3, 3)),
    st.tuples(st.just("exposure"), person, st.integers(-4, 4), st.booleans()),
    st.tuples(st.just("exposure"), person, st.integers(-4, 4), st.booleans()),
    st.tuples(st.just("home_quarantine"), person, st.integers(0, 30)),
    st.tuples(st.just("admit_quarantine"), person, st.integers(0, 30)),
    st.tuples(st.just("end_order"), person, st.sampled_from(["completed", "converted", "cancelled"])),
    st.tuples(st.just("discharge"), person, st.integers(0, 20), st.sampled_from(["completed", "other"])),
    st.tuples(st.just("expire"), st.integers(0, 60)),
    st.tuples(
        st.just("fever_sample"), person, st.integers(0, 40), st.sampled_from(["pending", "negative", "positive"])
    ),
)


def run(actor, people, places, op):
    """Apply one operation; invalid ones are refused by the services (and must leave no trace)."""
    kind = op[0]
    if kind == "expire":
        end_due(DAY0 + timedelta(days=op[1]))
        return
    person = people[op[1]]
    case = Case.objects.filter(person=person).order_by("-pk").first()
    try:
        with transaction.atomic():
            apply(actor, people, places, op, person, case)
    except (ValidationError, PermissionDenied):
        pass


def apply(actor, people, places, op, person, case):
    kind = op[0]
    if kind == "confirm":
        place = op[5]
        do_confirm_case(
            actor,
            person,
            confirmed_on=DAY0 + timedelta(days=op[2]),
            detected_in=op[3],
            source_known=op[4],
            treatment_place=place,
            facility=places.get(place),
        )
    elif kind == "move" and case:
        do_move_case(actor, case, place=op[3], on=case.confirmed_on + timedelta(days=op[2]), facility=places.get(op[3]))
    elif kind == "close" and case:
        do_close_case(actor, case, outcome=op[3], on=case.confirmed_on + timedelta(days=op[2]))
    elif kind == "reopen" and case:
        do_reopen_case(actor, case)
    elif kind == "update" and case:
        do_update_case(actor, case, source_known=op[2], detected_in=op[3])
    elif kind == "redate" and case:
        do_update_case(actor, case, confirmed_on=case.confirmed_on + timedelta(days=op[2]))
    elif kind == "exposure":  # with the latest case (an F1 of it), or with one of its F1 (an F2)
        f1 = Contact.objects.filter(rank=1).exclude(person=person).order_by("-pk").first() if op[3] else None
        source_case = Case.objects.exclude(person=person).order_by("-pk").first()
        if f1 is not None:
            source, day = f1.person, f1.first_exposure + timedelta(days=1)
        elif source_case is not None:
            source, day = source_case.person, source_case.confirmed_on + timedelta(days=op[2])
        else:
            return
        start, _end = exposure_bounds(day)
        do_record_exposure(actor, source=source, contact=person, kind="household", start=start)
    elif kind == "home_quarantine":
        do_order_home_quarantine(actor, person, last_exposure=DAY0 + timedelta(days=op[2]), override_reason="Tại nhà")
    elif kind == "admit_quarantine":
        day = DAY0 + timedelta(days=op[2])
        do_admit(
            actor,
            person,
            facility=places["quarantine"],
            bed_type="quarantine",
            purpose=StayPurpose.QUARANTINE_F1,
            on=day,
            last_exposure=day,
            overflow=True,
        )
    elif kind == "end_order":
        order = HomeOrder.objects.filter(person=person, status=OrderStatus.ACTIVE).order_by("pk").first()
        if order:
            do_end_order(actor, order, outcome=op[2], on=order.start + timedelta(days=1), note="Nhập nhầm")
    elif kind == "discharge":
        stay = Stay.objects.filter(person=person, discharged_on__isnull=True).first()
        if stay:
            do_discharge(actor, stay, on=stay.admitted_on + timedelta(days=op[2]), reason=op[3])
    elif kind == "fever_sample":
        sample, _ = do_register_sample(
            actor, person=person, kind="rt_pcr", reason="fever_cough", taken_on=DAY0 + timedelta(days=op[2])
        )
        if op[3] != "pending":
            do_record_result(actor, sample, status=op[3], result_on=sample.taken_on + timedelta(days=1))


def facility_places(actor, world) -> dict:
    field, _ = do_create_facility(
        actor,
        unit=world.district,
        capacity={"treatment": 2, "oxygen": 1},
        data={"name": "Bệnh viện dã chiến", "kind": "field_hospital", "opened_on": DAY0 - timedelta(days=30)},
    )
    quarantine, _ = do_create_facility(
        actor,
        unit=world.commune,
        capacity={"quarantine": 3},
        data={"name": "Khu cách ly", "kind": "concentrated_quarantine", "opened_on": DAY0 - timedelta(days=30)},
    )
    return {TreatmentPlace.FIELD_HOSPITAL: field, "quarantine": quarantine}


def assert_invariants(world, places) -> None:
    assert differences() == {}
    field = places[TreatmentPlace.FIELD_HOSPITAL]
    for day in CHECKED_DAYS:
        levels = levels_on(world.district.path, day)
        expected = Case.objects.filter(confirmed_on__lte=day).exclude(outcome_on__lte=day).count()
        assert active_cases(levels) == expected  # active = sum over treatment places
        assert all(levels[f] >= 0 for f in ACTIVE_FIELDS)
        patients = sorted(
            TreatmentEpisode.objects.filter(care_facility__facility=field, start__lte=day)
            .exclude(end__lte=day)
            .values_list("case__person_id", flat=True)
        )
        beds = sorted(
            Stay.objects.filter(facility=field, purpose=StayPurpose.TREATMENT, admitted_on__lte=day)
            .exclude(discharged_on__lte=day)
            .values_list("person_id", flat=True)
        )
        assert patients == beds, day  # the field hospital's patients are its beds in use
        assert levels["active_field_hospital"] == len(patients)
        assert levels["f1_home_quarantine"] == home_quarantine_on(HomeOrder.objects.all(), day).count()
        assert levels["f1_facility_quarantine"] == facility_quarantine_on(Stay.objects.all(), day).count()


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(operation, min_size=1, max_size=25))
def test_random_operations_keep_tallies_equal_to_a_rebuild(world, personas, make_person, operations):
    with transaction.atomic():  # each generated example starts from the same empty state
        people = [
            make_person(full_name=f"Người {i}", cccd=None, unit=world.village if i % 2 else world.other_village)
            for i in range(PEOPLE)
        ]
        actor = personas["district"]
        places = facility_places(actor, world)
        for op in operations:
            run(actor, people, places, op)
        assert_invariants(world, places)
        transaction.set_rollback(True)
