"""§6: a case confirmed, moved or closed on the case page keeps the person's quarantine and stays in step.

- An F1 confirmed as F0 no longer keeps the F1 home order or quarantine stay: they stop counting as F1,
  leave the tests-due list and wait on the care work list for a treatment place.
- "Under treatment in field hospitals" equals the field hospital's beds in use, every day: a case placed
  in a facility on the case page (or by an import) takes a bed there, and frees it when it moves or ends.
"""

from datetime import date, timedelta

import pytest

from chongdich.care import worklists
from chongdich.care.actions import do_admit, do_order_home_care, do_order_home_quarantine
from chongdich.care.models import DischargeReason, HomeOrder, OrderKind, OrderStatus, Stay, StayPurpose
from chongdich.care.plans import HomeCareFacts
from chongdich.care.selectors import occupied_on
from chongdich.care.worklists import work_lists
from chongdich.surveillance.actions import (
    do_close_case,
    do_confirm_case,
    do_move_case,
    do_reopen_case,
    do_update_case,
)
from chongdich.surveillance.models import Case, ContactStatus, Severity, TreatmentEpisode, TreatmentPlace
from chongdich.tallies.selectors import levels_on
from tests.care.conftest import assert_tallies_agree

EXPOSED = date(2022, 3, 1)  # 21/2/2022 rule: home quarantine 1–7/3, test on day 7
CONFIRMED = date(2022, 3, 4)


@pytest.fixture
def today(settings):
    settings.CHONGDICH_TODAY = "2022-03-20"
    return date(2022, 3, 20)


@pytest.fixture
def f1(make_person, make_case, make_f1):
    case = make_case(make_person(full_name="Ca Nguồn"), confirmed_on=date(2022, 3, 2))
    return make_f1(case, make_person(full_name="Người Dương Tính"), last_exposure=EXPOSED)


def f1_levels(world, day):
    levels = levels_on(world.district.path, day)
    return levels["f1_home_quarantine"], levels["f1_facility_quarantine"]


def assert_beds_follow_cases(facility, first: date, last: date):
    """Every day, the cases whose treatment episode is in ``facility`` are its treatment stays."""
    day = first
    while day <= last:
        episodes = (
            TreatmentEpisode.objects.filter(care_facility__facility=facility, start__lte=day)
            .exclude(end__lte=day)
            .values_list("case__person_id", flat=True)
        )
        stays = (
            Stay.objects.filter(facility=facility, purpose=StayPurpose.TREATMENT, admitted_on__lte=day)
            .exclude(discharged_on__lte=day)
            .values_list("person_id", flat=True)
        )
        assert sorted(episodes) == sorted(stays), day
        day += timedelta(days=1)


# --- F1 → F0 ---------------------------------------------------------------------------------------


def test_confirming_an_f1_ends_their_home_quarantine_and_tests(settings, world, personas, f1, today):
    order, _ = do_order_home_quarantine(personas["commune"], f1.person, last_exposure=EXPOSED, contact=f1)
    assert order.test_days == ["2022-03-07"]
    settings.CHONGDICH_TODAY = "2022-03-07"
    assert [o.pk for o in worklists.tests_due(personas["commune"], date(2022, 3, 7))[0]] == [order.pk]
    case, _ = do_confirm_case(personas["commune"], f1.person, confirmed_on=CONFIRMED)
    order.refresh_from_db()
    assert (order.status, order.ended_on) == (OrderStatus.CONVERTED, CONFIRMED)
    assert case.case_number in order.end_note
    assert f1_levels(world, date(2022, 3, 3)) == (1, 0) and f1_levels(world, CONFIRMED) == (0, 0)
    assert not worklists.tests_due(personas["commune"], date(2022, 3, 7))[0].exists()
    f1.refresh_from_db()
    assert f1.status == ContactStatus.BECAME_CASE
    waiting = [c.pk for c in work_lists(personas["commune"]).to_place.rows]
    assert case.pk in waiting  # (with the index case, also at home without a decision)
    assert_tallies_agree()


def test_a_case_ordered_home_care_leaves_the_waiting_list(settings, personas, f1, today):
    do_order_home_quarantine(personas["commune"], f1.person, last_exposure=EXPOSED)
    case, _ = do_confirm_case(personas["commune"], f1.person, confirmed_on=CONFIRMED, severity=Severity.MILD)
    facts = HomeCareFacts(
        respiratory_rate=16, spo2=98, abnormal_breathing=False, comorbidity="none", can_self_care=True, reachable=True
    )
    assert case.pk in [c.pk for c in work_lists(personas["commune"]).to_place.rows]
    do_order_home_care(personas["commune"], f1.person, on=CONFIRMED, facts=facts)
    assert case.pk not in [c.pk for c in work_lists(personas["commune"]).to_place.rows]


def test_confirming_an_f1_in_a_quarantine_facility_discharges_them(world, personas, quarantine_site, f1, today):
    stay, _ = do_admit(
        personas["commune"],
        f1.person,
        facility=quarantine_site,
        bed_type="quarantine",
        purpose="quarantine_f1",
        on=date(2022, 3, 2),
        contact=f1,
        last_exposure=EXPOSED,
    )
    do_confirm_case(personas["commune"], f1.person, confirmed_on=CONFIRMED)
    stay.refresh_from_db()
    assert (stay.discharged_on, stay.discharge_reason) == (CONFIRMED, DischargeReason.BECAME_CASE)
    assert f1_levels(world, date(2022, 3, 3)) == (0, 1) and f1_levels(world, CONFIRMED) == (0, 0)
    assert occupied_on([quarantine_site.pk], CONFIRMED) == {}
    assert not worklists.tests_due(personas["commune"], date(2022, 3, 7))[1].exists()
    assert not HomeOrder.objects.filter(person=f1.person, kind=OrderKind.SELF_MONITORING).exists()
    assert_tallies_agree()


def test_an_f1_confirmed_into_a_field_hospital_moves_from_quarantine_to_a_bed(
    world, personas, quarantine_site, field_hospital, f1, today
):
    do_admit(
        personas["district"],
        f1.person,
        facility=quarantine_site,
        bed_type="quarantine",
        purpose="quarantine_f1",
        on=date(2022, 3, 2),
        contact=f1,
        last_exposure=EXPOSED,
    )
    do_confirm_case(
        personas["district"],
        f1.person,
        confirmed_on=CONFIRMED,
        severity=Severity.SEVERE,
        treatment_place=TreatmentPlace.FIELD_HOSPITAL,
        facility=field_hospital,
    )
    treatment = Stay.objects.get(person=f1.person, discharged_on__isnull=True)
    assert (treatment.facility, treatment.purpose, treatment.bed_type) == (field_hospital, "treatment", "oxygen")
    assert occupied_on([quarantine_site.pk, field_hospital.pk], CONFIRMED) == {(field_hospital.pk, "oxygen"): 1}
    assert_beds_follow_cases(field_hospital, date(2022, 3, 1), today)
    assert_tallies_agree()


# --- the field hospital: cases under treatment there = its beds in use ----------------------------------


def test_cases_placed_moved_and_closed_on_the_case_page_keep_the_beds_right(
    world, personas, field_hospital, make_person, today
):
    actor = personas["district"]
    person = make_person(full_name="Bệnh Nhân Dã Chiến")
    case, _ = do_confirm_case(
        actor,
        person,
        confirmed_on=date(2022, 3, 2),
        treatment_place=TreatmentPlace.FIELD_HOSPITAL,
        facility=field_hospital,
    )
    levels = levels_on(world.district.path, date(2022, 3, 2))
    assert levels["active_field_hospital"] == 1 == levels["treatment_occupied"]
    do_move_case(actor, case, place=TreatmentPlace.HOME, on=date(2022, 3, 5))
    assert Stay.objects.get(person=person).discharged_on == date(2022, 3, 5)
    do_move_case(actor, case, place=TreatmentPlace.FIELD_HOSPITAL, facility=field_hospital, on=date(2022, 3, 7))
    do_update_case(actor, case, severity=Severity.CRITICAL)
    do_close_case(actor, case, outcome="recovered", on=date(2022, 3, 12))
    stays = list(Stay.objects.filter(person=person).order_by("admitted_on"))
    assert [(s.admitted_on, s.discharged_on) for s in stays] == [
        (date(2022, 3, 2), date(2022, 3, 5)),
        (date(2022, 3, 7), date(2022, 3, 12)),
    ]
    assert stays[-1].discharge_reason == DischargeReason.RECOVERED
    do_reopen_case(actor, Case.objects.get(pk=case.pk))  # closed by mistake: the bed is taken again
    assert Stay.objects.get(person=person, discharged_on__isnull=True).pk == stays[-1].pk
    assert_beds_follow_cases(field_hospital, date(2022, 3, 1), today)
    levels = levels_on(world.district.path, today)
    assert levels["active_field_hospital"] == 1 == levels["treatment_occupied"]
    assert_tallies_agree()


def test_a_corrected_confirmation_date_moves_the_admission(personas, field_hospital, make_person, today):
    person = make_person()
    case, _ = do_confirm_case(
        personas["district"],
        person,
        confirmed_on=date(2022, 3, 6),
        treatment_place=TreatmentPlace.FIELD_HOSPITAL,
        facility=field_hospital,
    )
    do_update_case(personas["district"], case, confirmed_on=date(2022, 3, 4))
    assert Stay.objects.get(person=person).admitted_on == date(2022, 3, 4)
    assert_beds_follow_cases(field_hospital, date(2022, 3, 1), today)
    assert_tallies_agree()


def test_a_full_field_hospital_still_admits_the_case_flagged_above_capacity(
    personas, field_hospital, make_person, today
):
    for i in range(5):  # 2 treatment, 1 oxygen, 1 ICU, 5 quarantine places: 9 beds, the 10th is above capacity
        do_confirm_case(
            personas["district"],
            make_person(full_name=f"Bệnh Nhân {i}"),
            confirmed_on=date(2022, 3, 2),
            treatment_place=TreatmentPlace.FIELD_HOSPITAL,
            facility=field_hospital,
        )
    for i in range(5, 10):
        do_confirm_case(
            personas["district"],
            make_person(full_name=f"Bệnh Nhân {i}"),
            confirmed_on=date(2022, 3, 2),
            treatment_place=TreatmentPlace.FIELD_HOSPITAL,
            facility=field_hospital,
        )
    stays = Stay.objects.filter(facility=field_hospital)
    assert stays.count() == 10 and stays.filter(overflow=True).count() == 1
    assert_beds_follow_cases(field_hospital, date(2022, 3, 1), today)


def test_closing_a_case_at_home_ends_its_home_care(personas, make_person, today):
    person = make_person()
    case, _ = do_confirm_case(personas["commune"], person, confirmed_on=CONFIRMED, severity=Severity.MILD)
    facts = HomeCareFacts(
        respiratory_rate=16, spo2=98, abnormal_breathing=False, comorbidity="none", can_self_care=True, reachable=True
    )
    order, _ = do_order_home_care(personas["commune"], person, on=CONFIRMED, facts=facts)
    do_close_case(personas["commune"], case, outcome="recovered", on=date(2022, 3, 12))
    order.refresh_from_db()
    assert (order.status, order.ended_on) == (OrderStatus.COMPLETED, date(2022, 3, 12))
    assert_tallies_agree()
