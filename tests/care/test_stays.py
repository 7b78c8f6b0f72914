"""Stays: capacity and overflow, one open stay per person, discharge dates, transfers, cases follow."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chongdich.care.actions import do_admit, do_discharge, do_order_home_quarantine, do_transfer
from chongdich.care.models import HomeOrder, OrderKind, OrderStatus, Stay
from chongdich.surveillance.models import Outcome, TreatmentPlace
from chongdich.tallies.models import DailyTally
from tests.care.conftest import assert_tallies_agree

DAY = date(2022, 3, 2)


def admit(actor, person, facility, **extra):
    params = {"bed_type": "quarantine", "purpose": "quarantine_f1", "on": DAY, "last_exposure": date(2022, 3, 1)}
    params.update(extra)
    return do_admit(actor, person, facility=facility, **params)[0]


def test_full_facility_refuses_with_capacity_and_occupancy(personas, quarantine_site, make_person):
    actor = personas["commune"]
    admit(actor, make_person(full_name="Trần Văn Một"), quarantine_site)
    admit(actor, make_person(full_name="Trần Văn Hai"), quarantine_site)
    third = make_person(full_name="Trần Văn Ba")
    with pytest.raises(ValidationError) as error:
        admit(actor, third, quarantine_site)
    message = error.value.messages[0]
    assert quarantine_site.name in message and "2" in message and "overflow" in message
    assert not Stay.objects.filter(person=third).exists()
    stay = admit(actor, third, quarantine_site, overflow=True)
    assert stay.overflow
    assert DailyTally.objects.get(unit=quarantine_site.unit, day=DAY).quarantine_occupied == 3
    assert_tallies_agree()


def test_person_already_in_another_facility(personas, quarantine_site, field_hospital, make_person):
    person = make_person()
    admit(personas["commune"], person, field_hospital)
    with pytest.raises(ValidationError) as error:
        admit(personas["commune"], person, quarantine_site)
    assert field_hospital.name in error.value.messages[0]
    assert Stay.objects.filter(person=person).count() == 1


def test_quarantine_plan_on_admission(personas, quarantine_site, make_person):
    # 21/2/2022 rule, not vaccinated: 7 days from the last exposure (day 1), test on day 7, then 3 days.
    stay = admit(personas["commune"], make_person(), quarantine_site)
    assert stay.planned_end == date(2022, 3, 7)
    assert stay.test_days == ["2022-03-07"]
    assert stay.inputs["self_monitor_until"] == "2022-03-10"
    assert stay.rule_version and stay.reasons


def test_discharge_before_admission_or_in_future_is_refused(personas, quarantine_site, make_person):
    stay = admit(personas["commune"], make_person(), quarantine_site)
    with pytest.raises(ValidationError, match="before the admission"):
        do_discharge(personas["commune"], stay, on=date(2022, 3, 1), reason="completed")
    with pytest.raises(ValidationError, match="future"):
        do_discharge(personas["commune"], stay, on=date(2999, 1, 1), reason="completed")
    stay.refresh_from_db()
    assert stay.discharged_on is None
    assert_tallies_agree()


def test_completed_quarantine_continues_as_self_monitoring(personas, quarantine_site, make_person):
    stay = admit(personas["commune"], make_person(), quarantine_site)
    do_discharge(personas["commune"], stay, on=date(2022, 3, 8), reason="completed")
    order = HomeOrder.objects.get(person=stay.person)
    assert (
        order.kind == OrderKind.SELF_MONITORING and order.start == date(2022, 3, 8) and order.end == date(2022, 3, 10)
    )
    assert DailyTally.objects.get(unit=quarantine_site.unit, day=date(2022, 3, 8)).quarantine_occupied == -1
    assert_tallies_agree()


def test_transfer_is_one_linked_step(personas, quarantine_site, field_hospital, make_person):
    stay = admit(personas["commune"], make_person(), quarantine_site)
    new = do_transfer(personas["district"], stay, to_facility=field_hospital, on=date(2022, 3, 4))
    stay.refresh_from_db()
    assert stay.discharged_on == date(2022, 3, 4) and stay.discharge_reason == "transferred"
    assert stay.transferred_to == new and new.discharged_on is None and new.facility == field_hospital
    assert new.planned_end == stay.planned_end  # the plan runs on
    # A re-sent transfer returns the same new stay.
    assert do_transfer(personas["district"], stay, to_facility=field_hospital, on=date(2022, 3, 4)) == new
    assert Stay.objects.count() == 2
    assert_tallies_agree()


def test_admitting_ends_home_quarantine(personas, quarantine_site, make_person):
    person = make_person()
    order, _ = do_order_home_quarantine(personas["commune"], person, last_exposure=date(2022, 3, 1))
    admit(personas["commune"], person, quarantine_site, on=date(2022, 3, 3))
    order.refresh_from_db()
    assert order.status == OrderStatus.CONVERTED and order.ended_on == date(2022, 3, 3)
    assert_tallies_agree()


def test_treatment_moves_and_closes_the_case(personas, field_hospital, make_person, make_case):
    person = make_person()
    case = make_case(person, confirmed_on=date(2022, 2, 10))
    stay = admit(
        personas["district"], person, field_hospital, bed_type="treatment", purpose="treatment", on=date(2022, 2, 11)
    )
    case.refresh_from_db()
    assert stay.case == case
    assert case.treatment_place == TreatmentPlace.FIELD_HOSPITAL and case.care_facility.facility == field_hospital
    icu = do_transfer(personas["district"], stay, to_facility=field_hospital, bed_type="icu", on=date(2022, 2, 13))
    assert icu.case == case
    do_discharge(personas["district"], icu, on=date(2022, 2, 20), reason="recovered")
    case.refresh_from_db()
    assert case.outcome == Outcome.RECOVERED and case.outcome_on == date(2022, 2, 20)
    assert_tallies_agree()


def test_treatment_discharge_without_recovery_continues_at_home(personas, field_hospital, make_person, make_case):
    person = make_person()
    case = make_case(person, confirmed_on=date(2022, 2, 10))
    stay = admit(
        personas["district"], person, field_hospital, bed_type="treatment", purpose="treatment", on=date(2022, 2, 10)
    )
    do_discharge(personas["district"], stay, on=date(2022, 2, 15), reason="other")
    case.refresh_from_db()
    assert case.outcome == Outcome.ACTIVE and case.treatment_place == TreatmentPlace.HOME
    assert_tallies_agree()


def test_treatment_needs_an_active_case(personas, field_hospital, make_person):
    with pytest.raises(ValidationError, match="no active case"):
        admit(personas["district"], make_person(), field_hospital, bed_type="treatment", purpose="treatment")
    assert not Stay.objects.exists()


def test_other_area_cannot_admit_to_a_facility_it_cannot_see(personas, quarantine_site, world, make_person):
    with pytest.raises(PermissionDenied):
        admit(personas["other_commune"], make_person(unit=world.other_village), quarantine_site)
    assert not Stay.objects.exists()
