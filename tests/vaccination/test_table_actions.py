"""The actions of sessions and of the vaccination table: scope, validation, idempotence, overrides,
dose numbering, observation and void."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chongdich.core.models import AuditEvent
from chongdich.vaccination.actions.table import (
    age_band,
    do_create_session,
    do_end_observation,
    do_record_dose,
    do_screen,
    do_set_session_status,
    do_update_session,
    do_void_dose,
    priority_of,
)
from chongdich.vaccination.models import Dose, Enrolment, Invitation, ScreeningOutcome, SessionStatus
from chongdich.vaccination.selectors.table import session_lists
from tests.vaccination.table_world import DAY, all_no, eligible, make_lot


def record(vacc, person=None, lot=None, **kw):
    return do_record_dose(
        vacc["health"], person=person or vacc["person"], session=vacc["session"], lot=lot or vacc["az"], **kw
    )


def give_earlier(vacc, person, product, day, number=1, kind="primary"):
    """A dose of an earlier day (as an import would store it)."""
    dose = Dose(person=person, product=product, given_on=day, number=number, kind=kind, source="manual")
    dose.place_in(person.unit)
    dose.save()
    return dose


# -- sessions ----------------------------------------------------------------------------------------------
def test_session_is_created_once_per_client_id(vacc):
    health = vacc["health"]
    first, created = do_create_session(
        health, site=vacc["site"], data={"day": DAY, "planned": 50}, lots=[vacc["az"]], client_id="abc"
    )
    again, created_again = do_create_session(
        health, site=vacc["site"], data={"day": DAY, "planned": 50}, lots=[vacc["az"]], client_id="abc"
    )
    assert created and not created_again and first.pk == again.pk
    assert first.unit_id == vacc["site"].unit_id and first.status == SessionStatus.PLANNED
    assert AuditEvent.objects.filter(object_type="vaccination.session", object_id=str(first.pk)).count() == 1


def test_session_outside_the_area_is_refused(vacc, personas):
    with pytest.raises(PermissionDenied):
        do_create_session(vacc["health"], site=vacc["other_site"], data={"day": DAY})
    with pytest.raises(PermissionDenied):
        do_set_session_status(personas["other_commune"], vacc["session"], "close")


def test_session_refuses_expired_lots_and_far_dates(vacc):
    expired = make_lot("AZ", "OLD1", expires_on=DAY - timedelta(days=1))
    with pytest.raises(ValidationError) as caught:
        do_create_session(vacc["health"], site=vacc["site"], data={"day": DAY}, lots=[expired])
    assert "lots" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        do_create_session(vacc["health"], site=vacc["site"], data={"day": DAY + timedelta(days=400)})
    assert "day" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        do_create_session(vacc["health"], site=vacc["site"], data={"day": DAY, "planned": -1})
    assert "planned" in caught.value.error_dict


def test_staff_must_hold_a_role_in_the_area(vacc, personas):
    with pytest.raises(ValidationError) as caught:
        do_create_session(vacc["health"], site=vacc["site"], data={"day": DAY}, staff=[personas["other_commune"]])
    assert "staff" in caught.value.error_dict
    session, _ = do_create_session(
        vacc["health"], site=vacc["site"], data={"day": DAY, "staff_note": "BS. Lan"}, staff=[personas["community"]]
    )
    assert list(session.staff.all()) == [personas["community"]]


def test_session_steps(vacc):
    health = vacc["health"]
    later, _ = do_create_session(health, site=vacc["site"], data={"day": DAY + timedelta(days=3)})
    with pytest.raises(ValidationError):
        do_set_session_status(health, later, "open")  # not before its day
    with pytest.raises(ValidationError):
        do_set_session_status(health, later, "close")  # only an open session closes
    assert do_set_session_status(health, later, "cancel").status == SessionStatus.CANCELLED
    with pytest.raises(ValidationError):
        do_update_session(health, later, data={"planned": 3})
    session = vacc["session"]
    eligible(vacc)
    record(vacc)
    with pytest.raises(ValidationError):
        do_set_session_status(health, session, "cancel")  # it has doses
    assert do_set_session_status(health, session, "close").status == SessionStatus.CLOSED
    assert do_set_session_status(health, session, "close").status == SessionStatus.CLOSED  # a re-sent click
    assert do_set_session_status(health, session, "open").status == SessionStatus.OPEN
    with pytest.raises(ValidationError):
        do_set_session_status(health, session, "explode")


def test_session_with_doses_keeps_its_day_and_site(vacc):
    eligible(vacc)
    record(vacc)
    with pytest.raises(ValidationError):
        do_update_session(vacc["health"], vacc["session"], data={"day": DAY + timedelta(days=1)})
    updated = do_update_session(vacc["health"], vacc["session"], data={"planned": 120, "note": "Mang thêm ghế"})
    assert updated.planned == 120


# -- screening ---------------------------------------------------------------------------------------------
def test_screening_outcome_and_invitation(vacc, world):
    invitation = Invitation(session=vacc["session"], person=vacc["person"], token="tok-abcdefgh12")
    invitation.place_in(vacc["person"].unit)
    invitation.save()
    screening = eligible(vacc)
    assert screening.outcome == ScreeningOutcome.ELIGIBLE
    invitation.refresh_from_db()
    assert invitation.status == "came"
    # The doctor may make it stricter, never laxer.
    stricter, _ = do_screen(
        vacc["health"], person=vacc["person"], session=vacc["session"], answers=all_no(), outcome="postpone"
    )
    assert stricter.outcome == "postpone"
    invitation.refresh_from_db()
    assert invitation.status == "postponed"


def test_screening_refuses_bad_temperature_and_closed_session(vacc):
    from decimal import Decimal

    with pytest.raises(ValidationError):
        do_screen(
            vacc["health"], person=vacc["person"], session=vacc["session"], answers=all_no(), temperature=Decimal("50")
        )
    do_set_session_status(vacc["health"], vacc["session"], "close")
    with pytest.raises(ValidationError):
        eligible(vacc)


def test_screening_is_idempotent(vacc):
    one, created = do_screen(
        vacc["health"], person=vacc["person"], session=vacc["session"], answers=all_no(), client_id="s1"
    )
    two, created_two = do_screen(
        vacc["health"], person=vacc["person"], session=vacc["session"], answers=all_no(), client_id="s1"
    )
    assert created and not created_two and one.pk == two.pk


# -- doses --------------------------------------------------------------------------------------------------
def test_dose_needs_an_eligible_screening(vacc):
    with pytest.raises(ValidationError):
        record(vacc)
    do_screen(
        vacc["health"], person=vacc["person"], session=vacc["session"], answers=all_no(), outcome="contraindicated"
    )
    with pytest.raises(ValidationError):
        record(vacc)
    assert not Dose.objects.exists()


def test_first_dose_snapshot(vacc, world):
    Enrolment.objects.create(person=vacc["person"], group="G09", high_risk=True, since=DAY, **_scope(vacc["person"]))
    Enrolment.objects.create(person=vacc["person"], group="G12", since=DAY, **_scope(vacc["person"]))
    eligible(vacc)
    dose, created = record(vacc)
    assert created
    assert (dose.kind, dose.number, dose.product, dose.lot_number) == ("primary", 1, "AZ", "A1001")
    assert dose.age_band == "18_49" and dose.priority_group == "G09" and dose.high_risk
    assert dose.unit_id == vacc["person"].unit_id and dose.session_id == vacc["session"].pk
    assert dose.observed_until is not None and not dose.observation_done
    assert (dose.observed_until - dose.given_at).total_seconds() == 30 * 60
    assert dose.problems == [] and dose.override_reason == ""


def _scope(person):
    return {
        "unit": person.unit,
        "unit_path": person.unit_path,
        "province_code": person.province_code,
        "commune_code": person.commune_code,
    }


def test_a_resent_dose_form_makes_one_dose(vacc):
    eligible(vacc)
    one, created = record(vacc, client_id="d1")
    two, created_two = record(vacc, client_id="d1")
    three, created_three = record(vacc, client_id="d2")  # another send of the same dose without the first id
    assert created and not created_two and not created_three
    assert one.pk == two.pk == three.pk
    assert Dose.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="vaccination.dose").count() == 1


def test_unique_person_kind_number_answers_with_the_dose(vacc, world):
    """A concurrent send saved the same (person, kind, number) first: the existing dose comes back."""
    eligible(vacc)
    first, _ = record(vacc)
    # Another session of the same day (another table) tries the same dose number.
    other, _ = do_create_session(vacc["health"], site=vacc["site"], data={"day": DAY}, lots=[vacc["pf"]])
    do_set_session_status(vacc["health"], other, "open")
    do_screen(vacc["health"], person=vacc["person"], session=other, answers=all_no())
    second, created = do_record_dose(
        vacc["health"], person=vacc["person"], session=other, lot=vacc["pf"], override_reason="Tiêm nhầm bàn"
    )
    assert created and second.number == first.number + 1 and second.problems  # a new number, flagged


def test_second_dose_number_and_interval_override(vacc):
    person = vacc["person"]
    give_earlier(vacc, person, "AZ", DAY - timedelta(days=10))
    eligible(vacc)
    with pytest.raises(ValidationError) as caught:
        record(vacc)
    assert "override_reason" in caught.value.error_dict
    assert not Dose.objects.filter(session=vacc["session"]).exists()
    dose, created = record(vacc, override_reason="Đi công tác dài ngày, BS. Lan đồng ý")
    assert created and dose.number == 2 and not dose.completes_primary  # too early: it does not count
    assert "interval_too_short" in dose.problems and dose.override_reason.startswith("Đi công tác")
    event = AuditEvent.objects.get(object_type="vaccination.dose", object_id=str(dose.pk))
    assert event.detail["override_reason"] and "interval_too_short" in event.detail["problems"]


def test_dose_in_time_has_no_problem(vacc):
    give_earlier(vacc, vacc["person"], "AZ", DAY - timedelta(days=70))
    eligible(vacc)
    dose, _ = record(vacc)
    assert dose.number == 2 and dose.kind == "primary" and dose.problems == [] and dose.completes_primary


def test_dose_scope_lot_and_session_checks(vacc, personas, make_person, world):
    eligible(vacc)
    with pytest.raises(PermissionDenied):
        do_record_dose(personas["other_commune"], person=vacc["person"], session=vacc["session"], lot=vacc["az"])
    stranger = make_person(unit=world.other_village, full_name="Trần Thị Xa")
    with pytest.raises(PermissionDenied):
        do_record_dose(vacc["health"], person=stranger, session=vacc["session"], lot=vacc["az"])
    with pytest.raises(ValidationError) as caught:
        record(vacc, lot=make_lot("MO", "M1"))
    assert "lot" in caught.value.error_dict
    with pytest.raises(ValidationError):
        do_record_dose(vacc["health"], person=vacc["person"], session=vacc["session"], lot=None)
    # A client id of another area's dose answers like any other refusal.
    eligible(vacc)
    dose, _ = record(vacc, client_id="mine")
    with pytest.raises(PermissionDenied):
        do_record_dose(
            personas["other_commune"], person=vacc["person"], session=vacc["session"], lot=vacc["az"], client_id="mine"
        )
    assert dose.pk


def test_young_person_needs_an_override(vacc, make_person):
    child = make_person(full_name="Lê Văn Bé", birth_year=2010, date_of_birth=date(2010, 5, 1))
    eligible(vacc, child)
    with pytest.raises(ValidationError):
        record(vacc, person=child)
    dose, _ = record(vacc, person=child, override_reason="Thử nghiệm")
    assert dose.age_band == "0_17" and "age_not_allowed" in dose.problems


def test_counts_equal_lists(vacc, make_person):
    people = [make_person(full_name=f"Người {i}") for i in range(4)]
    for p in people[:3]:
        eligible(vacc, p)
    do_screen(vacc["health"], person=people[3], session=vacc["session"], answers=all_no(), outcome="postpone")
    record(vacc, person=people[0])
    dose, _ = record(vacc, person=people[1], lot=vacc["pf"])
    do_end_observation(vacc["health"], dose)
    lists = session_lists(vacc["session"])
    assert len(lists.screened) == 4 and len(lists.vaccinated) == 2 and len(lists.postponed) == 1
    assert len(lists.observing) == 1
    assert sorted(len(rows) for _lot, rows in lists.by_lot) == [1, 1]


def test_observation_and_void(vacc, personas):
    eligible(vacc)
    dose, _ = record(vacc)
    with pytest.raises(PermissionDenied):
        do_end_observation(personas["other_commune"], dose)
    assert do_end_observation(vacc["health"], dose).observation_done
    with pytest.raises(ValidationError):
        do_void_dose(vacc["health"], dose, reason="  ")
    voided = do_void_dose(vacc["health"], dose, reason="Ghi nhầm người")
    assert voided.voided_at is not None and voided.void_reason == "Ghi nhầm người"
    assert do_void_dose(vacc["health"], dose, reason="again").void_reason == "Ghi nhầm người"
    assert AuditEvent.objects.filter(object_type="vaccination.dose", detail__voided="Ghi nhầm người").exists()
    # The number is free again: the right dose can be recorded.
    eligible(vacc)
    again, created = record(vacc)
    assert created and again.number == 1


def test_age_band_and_priority(make_person, world):
    person = make_person(birth_year=1950, date_of_birth=date(1950, 1, 1))
    assert age_band(person, DAY) == "65_plus"
    assert age_band(make_person(birth_year=1970, date_of_birth=date(1970, 1, 1)), DAY) == "50_64"
    assert priority_of(person, DAY, None) == ("", False)


@pytest.mark.skipif(not hasattr(Dose, "tally_contributions"), reason="doses feed the tallies once coverage lands")
def test_tallies_equal_a_rebuild_after_table_writes(vacc, make_person):
    from chongdich.tallies.rebuild import differences, stored_tallies

    other = make_person(full_name="Phan Thị Tiêm", birth_year=1950, date_of_birth=date(1950, 2, 1))
    for person in (vacc["person"], other):
        eligible(vacc, person)
    dose, _ = record(vacc)
    record(vacc, person=other, lot=vacc["pf"])
    record(vacc, client_id=None)  # a second attempt: nothing more
    do_void_dose(vacc["health"], dose, reason="Ghi nhầm người")
    eligible(vacc)
    record(vacc)
    assert sum(stored_tallies().values()) >= 2  # the doses reached the tallies
    assert differences() == {}
