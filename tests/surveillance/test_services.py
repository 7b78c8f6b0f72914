"""Cases, exposures, chains and contacts through the services."""

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from chongdich.core.models import AuditEvent
from chongdich.surveillance import chains
from chongdich.surveillance.actions import (
    do_close_case,
    do_confirm_case,
    do_move_case,
    do_record_exposure,
    do_reopen_case,
)
from chongdich.surveillance.models import Case, Chain, Contact, ContactStatus, Outcome, TreatmentPlace

D = date(2021, 7, 10)


def at(day: date, hour: int = 9):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def people(world, make_person):
    return [make_person(full_name=f"Người Thứ {i}", cccd=None, birth_year=1960 + i) for i in range(8)]


def test_confirm_case_numbers_per_province_and_audits(world, personas, people):
    first, created = do_confirm_case(personas["health"], people[0], confirmed_on=D)
    second, _ = do_confirm_case(personas["health"], people[1], confirmed_on=D)
    assert created and first.case_number == "70-00001" and second.case_number == "70-00002"
    assert first.episodes.get().place == TreatmentPlace.HOME and first.chain.size == 1
    assert AuditEvent.objects.filter(action="create", object_type="surveillance.case").count() == 2


def test_one_active_case_per_person_and_idempotent_resend(world, personas, people):
    case, _ = do_confirm_case(personas["health"], people[0], confirmed_on=D, client_id="tablet-1")
    again, created = do_confirm_case(personas["health"], people[0], confirmed_on=D, client_id="tablet-1")
    assert again.pk == case.pk and not created
    with pytest.raises(ValidationError):
        do_confirm_case(personas["health"], people[0], confirmed_on=D)


def test_bad_dates_save_nothing(world, personas, people):
    with pytest.raises(ValidationError):
        do_confirm_case(personas["health"], people[0], confirmed_on=date(2999, 1, 1))
    case, _ = do_confirm_case(personas["health"], people[0], confirmed_on=D)
    with pytest.raises(ValidationError):
        do_close_case(personas["health"], case, outcome=Outcome.RECOVERED, on=date(2021, 7, 1))  # before confirmation
    case.refresh_from_db()
    assert case.outcome == Outcome.ACTIVE and Case.objects.count() == 1


def test_out_of_scope(world, personas, make_person):
    stranger = make_person(unit=world.other_village, cccd=None)
    with pytest.raises(PermissionDenied):
        do_confirm_case(personas["health"], stranger, confirmed_on=D)
    with pytest.raises(PermissionDenied):
        do_confirm_case(personas["viewer"], stranger, confirmed_on=D)


def test_moves_and_closing_keep_episodes_contiguous(world, personas, people):
    case, _ = do_confirm_case(personas["health"], people[0], confirmed_on=D)
    do_move_case(personas["health"], case, place=TreatmentPlace.HOSPITAL, on=date(2021, 7, 12))
    do_close_case(personas["health"], case, outcome=Outcome.RECOVERED, on=date(2021, 7, 20))
    episodes = list(case.episodes.values_list("place", "start", "end"))
    assert episodes == [("home", D, date(2021, 7, 12)), ("hospital", date(2021, 7, 12), date(2021, 7, 20))]
    with pytest.raises(ValidationError):
        do_move_case(personas["health"], case, place=TreatmentPlace.HOME, on=date(2021, 7, 21))
    do_reopen_case(personas["health"], case)
    case.refresh_from_db()
    assert case.outcome == Outcome.ACTIVE and case.episodes.filter(end=None).count() == 1


def test_exposure_to_oneself_and_future_are_refused(world, personas, people):
    with pytest.raises(ValidationError):
        do_record_exposure(personas["health"], source=people[0], contact=people[0], kind="household", start=at(D))
    with pytest.raises(ValidationError):
        do_record_exposure(
            personas["health"], source=people[0], contact=people[1], kind="household", start=at(date(2999, 1, 1))
        )


def test_exposure_between_cases_merges_chains(world, personas, people):
    a, _ = do_confirm_case(personas["health"], people[0], confirmed_on=D)
    b, _ = do_confirm_case(personas["health"], people[1], confirmed_on=date(2021, 7, 12))
    c, _ = do_confirm_case(personas["health"], people[2], confirmed_on=date(2021, 7, 14))
    assert len({a.chain_id, b.chain_id, c.chain_id}) == 3
    do_record_exposure(personas["health"], source=people[0], contact=people[1], kind="household", start=at(D))
    do_record_exposure(
        personas["health"], source=people[1], contact=people[2], kind="physical_contact", start=at(date(2021, 7, 11))
    )
    root = chains.root(c.chain_id)
    assert root.size == 3 and root.active == 3
    assert root.first_date == D and root.last_date == date(2021, 7, 14)
    assert set(chains.cases_of(root).values_list("pk", flat=True)) == {a.pk, b.pk, c.pk}
    assert Chain.objects.filter(parent__isnull=True).count() == 1
    do_close_case(personas["health"], b, outcome=Outcome.RECOVERED, on=date(2021, 7, 25))
    assert chains.root(b.chain_id).active == 2


def test_case_linked_at_confirmation_joins_the_chain(world, personas, people):
    a, _ = do_confirm_case(personas["health"], people[0], confirmed_on=D)
    do_record_exposure(personas["health"], source=people[0], contact=people[1], kind="household", start=at(D))
    b, _ = do_confirm_case(personas["health"], people[1], confirmed_on=date(2021, 7, 13))
    assert chains.root(a.chain_id).pk == chains.root(b.chain_id).pk


def test_contacts_f1_f2_and_promotion(world, personas, people):
    index, _ = do_confirm_case(personas["health"], people[0], confirmed_on=D)
    do_record_exposure(personas["health"], source=people[0], contact=people[1], kind="household", start=at(D))
    do_record_exposure(
        personas["health"],
        source=people[1],
        contact=people[2],
        kind="close_unmasked",
        distance_m=1,
        start=at(date(2021, 7, 11)),
    )
    do_record_exposure(
        personas["health"],
        source=people[0],
        contact=people[3],
        kind="close_masked",
        distance_m=1,
        duration_min=5,
        masked=True,
        start=at(D),
    )  # masked, 5 min: not F1
    ranks = dict(Contact.objects.filter(index_case=index).values_list("person_id", "rank"))
    assert ranks == {people[1].pk: 1, people[2].pk: 2}
    # The F1 tests positive: their contact becomes F1 of the new case (moves up a rank).
    new_case, _ = do_confirm_case(personas["health"], people[1], confirmed_on=date(2021, 7, 13))
    assert Contact.objects.get(person=people[2], index_case=new_case).rank == 1
    assert Contact.objects.get(person=people[1], index_case=index).status == ContactStatus.BECAME_CASE
