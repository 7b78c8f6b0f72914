"""Home orders: the R-52 plan by the version in force on the exposure date, R-53 eligibility, ending."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chongdich.care.actions import (
    do_end_order,
    do_order_home_care,
    do_order_home_quarantine,
    do_order_self_monitoring,
)
from chongdich.care.models import HomeOrder, OrderKind, OrderStatus
from chongdich.care.plans import HomeCareFacts, vaccination_from
from chongdich.surveillance.models import Outcome, TreatmentPlace
from chongdich.tallies.models import DailyTally
from tests.care.conftest import assert_tallies_agree

VACCINATED = vaccination_from(2, date(2021, 10, 1))  # last dose 2½ months before mid-December 2021


def test_exposure_on_15_december_2021_follows_cv_5599(personas, make_person):
    person = make_person()
    # The version in force on 15/12/2021 sends every F1 to concentrated quarantine, vaccinated or not.
    with pytest.raises(ValidationError, match="concentrated quarantine"):
        do_order_home_quarantine(personas["commune"], person, last_exposure=date(2021, 12, 15), vaccination=VACCINATED)
    assert not HomeOrder.objects.exists()
    order, _ = do_order_home_quarantine(
        personas["commune"],
        person,
        last_exposure=date(2021, 12, 15),
        vaccination=VACCINATED,
        override_reason="Tỉnh áp dụng cách ly F1 tại nhà",
    )
    assert "5599" in order.rule_version
    assert (order.start, order.end) == (date(2021, 12, 15), date(2021, 12, 28))  # 14 days, day 1 = exposure
    assert order.override_reason.startswith("Tỉnh")
    assert_tallies_agree()


def test_exposure_on_16_december_2021_follows_cv_10696(personas, make_person):
    order, _ = do_order_home_quarantine(
        personas["commune"], make_person(), last_exposure=date(2021, 12, 16), vaccination=VACCINATED
    )
    assert "10696" in order.rule_version and order.kind == OrderKind.HOME_QUARANTINE
    assert (order.start, order.end) == (date(2021, 12, 16), date(2021, 12, 22))  # 7 days
    assert order.test_days == ["2021-12-16", "2021-12-22"]  # days 1 and 7
    assert order.self_monitor_until == date(2021, 12, 29)  # + 7 days
    assert order.inputs["vaccinated_doses"] == 2 and order.reasons
    tally = DailyTally.objects.get(unit=order.unit.parent, day=date(2021, 12, 16))
    assert tally.f1_home_quarantine == 1
    assert DailyTally.objects.get(unit=order.unit.parent, day=date(2021, 12, 23)).f1_home_quarantine == -1
    assert_tallies_agree()


def test_unvaccinated_on_16_december_2021_is_sent_to_a_facility(personas, make_person):
    with pytest.raises(ValidationError, match="concentrated"):
        do_order_home_quarantine(personas["commune"], make_person(), last_exposure=date(2021, 12, 16))


def test_february_2022_rule_and_no_quarantine_from_april_2022(personas, make_person):
    march, _ = do_order_home_quarantine(personas["commune"], make_person(full_name="A"), last_exposure=date(2022, 3, 1))
    assert (march.end, march.test_days, march.self_monitor_until) == (
        date(2022, 3, 7),
        ["2022-03-07"],
        date(2022, 3, 10),
    )
    april, _ = do_order_home_quarantine(
        personas["commune"], make_person(full_name="B"), last_exposure=date(2022, 4, 20)
    )
    assert april.kind == OrderKind.SELF_MONITORING and "1909" in april.rule_version
    assert_tallies_agree()


def test_one_active_quarantine_per_person_and_client_id(personas, make_person):
    person = make_person()
    first, created = do_order_home_quarantine(
        personas["commune"], person, last_exposure=date(2022, 3, 1), client_id="q1"
    )
    again, created_again = do_order_home_quarantine(
        personas["commune"], person, last_exposure=date(2022, 3, 1), client_id="q1"
    )
    assert created and not created_again and first == again
    with pytest.raises(ValidationError, match="already under an order"):
        do_order_home_quarantine(personas["commune"], person, last_exposure=date(2022, 3, 2))
    assert HomeOrder.objects.count() == 1


def test_only_people_of_the_area(personas, make_person, world):
    with pytest.raises(PermissionDenied):
        do_order_home_quarantine(personas["other_commune"], make_person(), last_exposure=date(2022, 3, 1))
    with pytest.raises(PermissionDenied):
        do_order_home_quarantine(personas["viewer"], make_person(full_name="C"), last_exposure=date(2022, 3, 1))


BORDERLINE = HomeCareFacts(
    respiratory_rate=20,
    spo2=96,
    abnormal_breathing=False,
    vaccinated_doses=2,
    last_dose_date=date(2021, 9, 1),
    comorbidity="none",
    pregnant=False,
    can_self_care=True,
    reachable=True,
    has_carer=False,
)


def test_home_care_rr_20_spo2_96_is_eligible_under_4038(personas, make_person, make_case):
    person = make_person()
    case = make_case(person, confirmed_on=date(2021, 12, 1), treatment_place=TreatmentPlace.HOME)
    order, _ = do_order_home_care(personas["district"], person, on=date(2021, 12, 1), facts=BORDERLINE)
    assert order.kind == OrderKind.HOME_CARE and order.case == case and "4038" in order.rule_version
    assert order.inputs["eligible"] is True and not order.override_reason
    assert order.test_days == ["2021-12-10"] and order.end == date(2021, 12, 10)  # Hà Nội practice: day 10 test
    assert_tallies_agree()


def test_home_care_rr_20_spo2_96_is_refused_under_261(personas, make_person, make_case):
    person = make_person()
    make_case(person, confirmed_on=date(2022, 2, 10))
    with pytest.raises(ValidationError) as error:
        do_order_home_care(personas["district"], person, on=date(2022, 2, 10), facts=BORDERLINE)
    message = error.value.messages[0]
    assert "261" in message and "20" in message and "96" in message
    assert not HomeOrder.objects.exists()
    order, _ = do_order_home_care(
        personas["district"],
        person,
        on=date(2022, 2, 10),
        facts=BORDERLINE,
        override_reason="Bệnh viện quá tải, BS Hùng đồng ý",
    )
    assert order.override_reason and order.inputs["eligible"] is False
    assert set(order.inputs["failed"]) == {"respiratory_rate", "spo2"}
    assert order.end == date(2022, 2, 19)  # QĐ 250: vaccinated → at most day 10
    assert order.test_days == ["2022-02-16"]  # RAT on day 7


def test_home_care_moves_a_facility_case_home_and_completion_closes_it(personas, make_person, make_case):
    person = make_person()
    case = make_case(person, confirmed_on=date(2022, 2, 10), treatment_place=TreatmentPlace.HOSPITAL)
    facts = HomeCareFacts(
        respiratory_rate=16,
        spo2=98,
        abnormal_breathing=False,
        comorbidity="none",
        can_self_care=True,
        reachable=True,
        vaccinated_doses=2,
        last_dose_date=date(2021, 10, 1),
    )
    order, _ = do_order_home_care(personas["district"], person, on=date(2022, 2, 12), facts=facts)
    case.refresh_from_db()
    assert case.treatment_place == TreatmentPlace.HOME
    do_end_order(personas["district"], order, outcome="completed", on=date(2022, 2, 17))
    case.refresh_from_db()
    assert case.outcome == Outcome.RECOVERED and case.outcome_on == date(2022, 2, 17)
    assert_tallies_agree()


def test_quarantine_of_a_new_case_is_converted_by_home_care(personas, make_person, make_case):
    person = make_person()
    quarantine, _ = do_order_home_quarantine(personas["commune"], person, last_exposure=date(2022, 3, 1))
    make_case(person, confirmed_on=date(2022, 3, 4))
    facts = HomeCareFacts(
        respiratory_rate=16, spo2=98, abnormal_breathing=False, comorbidity="none", can_self_care=True, reachable=True
    )
    do_order_home_care(personas["district"], person, on=date(2022, 3, 4), facts=facts)
    quarantine.refresh_from_db()
    assert quarantine.status == OrderStatus.CONVERTED and quarantine.ended_on == date(2022, 3, 4)
    assert_tallies_agree()


def test_ending_orders(personas, make_person):
    order, _ = do_order_home_quarantine(personas["commune"], make_person(), last_exposure=date(2022, 3, 1))
    with pytest.raises(ValidationError):
        do_end_order(personas["commune"], order, outcome="completed", on=date(2022, 2, 27))
    with pytest.raises(ValidationError):
        do_end_order(personas["commune"], order, outcome="cancelled")  # a reason is needed
    do_end_order(personas["commune"], order, outcome="completed")
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED and order.ended_on == date(2022, 3, 8)  # the day after the end
    with pytest.raises(ValidationError, match="already ended"):
        do_end_order(personas["commune"], order, outcome="cancelled", note="x")
    other, _ = do_order_home_quarantine(personas["commune"], make_person(full_name="D"), last_exposure=date(2022, 3, 1))
    do_end_order(personas["commune"], other, outcome="cancelled", note="Nhập nhầm người")
    assert not DailyTally.objects.filter(f1_home_quarantine__gt=1).exists()
    assert_tallies_agree()


def test_self_monitoring(personas, make_person):
    order, _ = do_order_self_monitoring(
        personas["community"], make_person(), start=date(2022, 3, 1), end=date(2022, 3, 10)
    )
    assert order.kind == OrderKind.SELF_MONITORING
    with pytest.raises(ValidationError):
        do_order_self_monitoring(
            personas["community"], make_person(full_name="E"), start=date(2022, 3, 10), end=date(2022, 3, 1)
        )
