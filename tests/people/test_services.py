"""Creating, deduplicating and merging people; every write scoped and audited."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chongdich.core.models import AuditEvent
from chongdich.people.actions import (
    DuplicateCccd,
    PossibleDuplicate,
    do_create_household,
    do_create_person,
    do_merge_persons,
    do_update_person,
)
from chongdich.people.models import Household, Person
from tests.conftest import valid_cccd

BASE = {"full_name": "Nguyễn Văn An", "sex": "M", "birth_year": 1985, "phone": "0912345678"}


def test_create_person_normalises_and_audits(world, personas):
    data = {**BASE, "full_name": "  nguyễn  văn   an ", "cccd": "070 085 000 123"}
    person, created = do_create_person(personas["commune"], unit=world.village, data=data)
    assert created
    assert person.full_name == "nguyễn văn an"  # stored as typed: NFC, single spaces
    assert person.folded_name == "nguyen van an"
    assert person.phone == "+84912345678" and person.cccd == "070085000123"
    assert person.unit_path == "/70/691/25228/25228-01/" and person.commune_code == "25228"
    assert AuditEvent.objects.filter(action="create", object_type="people.person", object_id=str(person.pk)).exists()
    assert person.history.first().history_user == personas["commune"]


def test_same_client_id_returns_the_original(world, personas):
    first, created = do_create_person(personas["commune"], unit=world.village, data=BASE, client_id="abc-1")
    again, created_again = do_create_person(personas["commune"], unit=world.village, data=BASE, client_id="abc-1")
    assert created and not created_again and first.pk == again.pk
    assert Person.objects.count() == 1


def test_one_cccd_is_one_person(world, personas):
    cccd = valid_cccd("M", 1985)
    do_create_person(personas["commune"], unit=world.village, data={**BASE, "cccd": cccd})
    with pytest.raises(DuplicateCccd) as caught:
        do_create_person(
            personas["commune"], unit=world.village2, data={**BASE, "full_name": "Trần Văn B", "cccd": cccd}
        )
    assert cccd in caught.value.messages[0]


def test_same_phone_name_and_year_warns_then_accepts_when_confirmed(world, personas):
    do_create_person(personas["commune"], unit=world.village, data=BASE)
    with pytest.raises(PossibleDuplicate) as caught:
        do_create_person(personas["commune"], unit=world.village2, data={**BASE, "full_name": "NGUYEN VAN AN"})
    assert len(caught.value.matches) == 1
    person, created = do_create_person(personas["commune"], unit=world.village2, data=BASE, confirm_new=True)
    assert created and Person.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**BASE, "cccd": "070185000123"}, "cccd"),  # woman's digit for a man
        ({**BASE, "cccd": "12345"}, "cccd"),
        ({**BASE, "phone": "12345"}, "phone"),
        ({**BASE, "birth_year": None}, "birth_year"),
    ],
)
def test_bad_input_saves_nothing(world, personas, data, field):
    with pytest.raises(ValidationError):
        do_create_person(personas["commune"], unit=world.village, data=data)
    assert Person.objects.count() == 0
    assert not AuditEvent.objects.filter(action="create").exists()


def test_write_outside_scope_is_refused(world, personas):
    for persona in ("other_commune", "viewer", "checkpoint"):
        with pytest.raises(PermissionDenied):
            do_create_person(personas[persona], unit=world.village, data=BASE)
    # A district officer may write anywhere in the district.
    do_create_person(personas["district"], unit=world.village, data=BASE)


def test_update_records_changes(world, personas, make_person):
    person = make_person()
    do_update_person(personas["commune"], person, data={"phone": "0987 654 321", "address": "Tổ 3"})
    person.refresh_from_db()
    assert person.phone == "+84987654321"
    event = AuditEvent.objects.get(action="update", object_id=str(person.pk))
    assert set(event.detail["changed"]) == {"phone", "address"}


def test_moving_a_person_out_of_scope_is_refused(world, personas, make_person):
    person = make_person()
    with pytest.raises(PermissionDenied):
        do_update_person(personas["commune"], person, unit=world.other_village, data={})


def test_merge_keeps_every_link(world, personas, make_person):
    household = do_create_household(personas["commune"], unit=world.village)
    keep = make_person(full_name="Lê Thị Hoa", sex="F", birth_year=1990, cccd=None, phone="")
    remove = make_person(
        full_name="Lê Thị Hoa",
        sex="F",
        birth_year=1990,
        household=household,
        relation="head",
        date_of_birth=date(1990, 5, 2),
    )
    Household.objects.filter(pk=household.pk).update(head=remove)
    earlier = make_person(full_name="Le Thi Hoa", sex="F", birth_year=1990, cccd=None, phone="")
    earlier.merged_into = remove
    earlier.save()
    cccd = remove.cccd
    do_merge_persons(personas["commune"], keep=keep, remove=remove)
    keep.refresh_from_db()
    remove.refresh_from_db()
    household.refresh_from_db()
    earlier.refresh_from_db()
    assert keep.cccd == cccd and keep.household_id == household.pk and remove.cccd is None
    assert remove.merged_into_id == keep.pk and earlier.merged_into_id == keep.pk
    assert household.head_id == keep.pk
    assert not Person.objects.active().filter(pk=remove.pk).exists()
    events = AuditEvent.objects.filter(action="merge")
    assert events.count() == 2 and events.first().detail["removed"] == remove.pk


def test_merge_refuses_two_different_cccds(world, personas, make_person):
    a, b = make_person(), make_person()
    with pytest.raises(ValidationError):
        do_merge_persons(personas["commune"], keep=a, remove=b)


def test_merge_outside_scope_is_refused(world, personas, make_person):
    a = make_person(cccd=None)
    b = make_person(unit=world.other_village, cccd=None)
    with pytest.raises(PermissionDenied):
        do_merge_persons(personas["commune"], keep=a, remove=b)
    with pytest.raises(PermissionDenied):
        do_merge_persons(personas["health"], keep=a, remove=make_person(cccd=None))


def test_merge_does_not_make_a_stranger_head(world, personas, make_person):
    home = do_create_household(personas["commune"], unit=world.village)
    other_home = do_create_household(personas["commune"], unit=world.village)
    keep = make_person(full_name="Tạ Văn Bảy", household=other_home, cccd=None)
    remove = make_person(full_name="Ta Van Bay", household=home, relation="head", cccd=None)
    wife = make_person(full_name="Lò Thị Ba", sex="F", birth_year=1950, household=home, cccd=None)
    Household.objects.filter(pk=home.pk).update(head=remove)
    do_merge_persons(personas["commune"], keep=keep, remove=remove)
    home.refresh_from_db()
    assert home.head_id == wife.pk  # keep lives in another household: the eldest member takes over
