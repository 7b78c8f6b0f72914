"""The reconciliation work list: the three resolutions (scope, idempotence, audit) and the pages."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from chongdich.core.models import AuditEvent
from chongdich.people.models import Person
from chongdich.vaccination.actions.platform import do_attach_record, do_create_person_from_record, do_dismiss_record
from chongdich.vaccination.models import Dose, Mismatch, PlatformRecord, ReconcileStatus
from chongdich.vaccination.platform import record_key
from tests.conftest import valid_cccd


@pytest.fixture(autouse=True)
def pinned_day(settings):
    settings.CHONGDICH_TODAY = "2021-12-01T10:00"


def make_record(unit, *, problem=Mismatch.NO_MATCH, candidates=(), **fields):
    values = {
        "full_name": "Lê Văn Mới",
        "date_of_birth": date(1970, 1, 1),
        "product": "Pfizer-BioNTech",
        "given_on": date(2021, 9, 5),
        "dose_number": 1,
        "lot_number": "FF1234",
        "site_name": "TYT Đức Hạnh",
        **fields,
    }
    record = PlatformRecord(
        record_key=record_key(values["full_name"] + str(fields), "PF", None, None), problem=problem, **values
    )
    record.folded_name = values["full_name"].lower()
    record.place_in(unit)
    record.save()
    record.candidates.set(candidates)
    return record


def test_attach_records_the_dose_once_and_is_audited(world, personas, make_person):
    person = make_person(full_name="Lê Văn Mới")
    record = make_record(world.commune, problem=Mismatch.IDENTITY, candidates=[person])
    done = do_attach_record(personas["commune"], record, person.pk)
    dose = Dose.objects.get()
    assert done.status == ReconcileStatus.RESOLVED and done.dose == dose and dose.external_id == record.record_key
    assert (dose.product, dose.number, dose.kind, dose.source) == ("PF", 1, "primary", "platform")
    again = do_attach_record(personas["commune"], record, person.pk)  # a second click
    assert again.dose == dose and Dose.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="vaccination.platformrecord", object_id=str(record.pk)).count() == 1


def test_attach_only_to_a_candidate_in_the_area(world, personas, make_person):
    person, other = make_person(), make_person(full_name="Ai Khác")
    record = make_record(world.commune, candidates=[person])
    with pytest.raises(ValidationError):
        do_attach_record(personas["commune"], record, other.pk)
    with pytest.raises(PermissionDenied):
        do_attach_record(personas["other_commune"], record, person.pk)
    far = make_person(unit=world.far_commune, full_name="Ở Xa")
    record.candidates.add(far)
    with pytest.raises(PermissionDenied):
        do_attach_record(personas["commune"], record, far.pk)
    assert not Dose.objects.exists()


def test_attach_refuses_a_dose_conflict_with_the_reason(world, personas, make_person):
    person = make_person()
    table = Dose(person=person, product="AZ", given_on=date(2021, 9, 5), number=1, kind="primary")
    table.place_in(person.unit)
    table.save()
    record = make_record(world.commune, problem=Mismatch.DOSE_CONFLICT, candidates=[person])
    with pytest.raises(ValidationError) as refused:
        do_attach_record(personas["commune"], record, person.pk)
    assert "05/09/2021" in " ".join(refused.value.messages)


def test_attach_keeps_the_rules_numbering_when_the_platform_disagrees(world, personas, make_person):
    person = make_person()
    record = make_record(world.commune, problem=Mismatch.DOSE_CONFLICT, candidates=[person], dose_number=2)
    do_attach_record(personas["commune"], record, person.pk)
    assert Dose.objects.get().number == 1


def test_create_the_person_then_the_dose(world, personas):
    cccd = valid_cccd("F", 1970)
    record = make_record(world.commune, cccd=cccd, full_name="Lê Thị Mới")
    done = do_create_person_from_record(personas["commune"], record, unit=world.village, sex="F", client_id="c-1")
    person = Person.objects.get(cccd=cccd)
    assert (
        person.full_name == "Lê Thị Mới" and person.unit == world.village and person.date_of_birth == date(1970, 1, 1)
    )
    assert done.status == ReconcileStatus.RESOLVED and done.dose.person == person
    do_create_person_from_record(personas["commune"], record, unit=world.village, sex="F", client_id="c-1")
    assert Person.objects.count() == 1 and Dose.objects.count() == 1


def test_create_refuses_outside_the_area(world, personas):
    record = make_record(world.commune)
    with pytest.raises(PermissionDenied):
        do_create_person_from_record(personas["commune"], record, unit=world.other_village, sex="M")
    assert not Person.objects.exists()


def test_dismiss_needs_a_reason_and_is_idempotent(world, personas, make_person):
    record = make_record(world.commune)
    with pytest.raises(ValidationError):
        do_dismiss_record(personas["commune"], record, "  ")
    do_dismiss_record(personas["commune"], record, "Bản ghi thử của nền tảng")
    do_dismiss_record(personas["commune"], record, "Lần hai")
    record.refresh_from_db()
    assert record.status == ReconcileStatus.DISMISSED and record.resolution == "Bản ghi thử của nền tảng"
    with pytest.raises(ValidationError):
        do_attach_record(personas["commune"], record, make_person().pk)


def test_a_bad_record_cannot_be_attached(world, personas, make_person):
    person = make_person()
    record = make_record(world.commune, problem=Mismatch.BAD_RECORD, product="CoronaVac", candidates=[person])
    with pytest.raises(ValidationError):
        do_attach_record(personas["commune"], record, person.pk)


# -- pages ----------------------------------------------------------------------------------------------------


def test_the_list_shows_the_area_and_its_counts_equal_the_list(world, personas, client_of):
    make_record(world.village, full_name="Người Một")
    make_record(world.village, full_name="Người Hai", problem=Mismatch.SEVERAL)
    make_record(world.other_village, full_name="Người Ba")
    dismissed = make_record(world.village, full_name="Người Bốn")
    do_dismiss_record(personas["commune"], dismissed, "thử")
    url = reverse("vaccination:reconcile_list")
    page = client_of("commune").get(url)
    text = page.content.decode()
    assert page.status_code == 200 and "Người Một" in text and "Người Hai" in text
    assert "Người Ba" not in text and "Người Bốn" not in text  # another commune's; dismissed
    counts = {value: count for value, _label, count in page.context["counts"]}
    assert counts[Mismatch.NO_MATCH] == 1 and counts[Mismatch.SEVERAL] == 1
    only = client_of("commune").get(url, {"problem": "several"})
    assert only.context["table"].paginator.count == counts["several"] and "Người Một" not in only.content.decode()
    every = client_of("commune").get(url, {"status": ""})
    assert every.context["table"].paginator.count == 3
    district = client_of("district").get(url)
    assert district.context["table"].paginator.count == 3  # both communes' open records
    for odd in ({"problem": "x"}, {"status": "nope"}, {"job": "abc"}, {"q": "0" * 500}, {"page": "-1"}):
        assert client_of("commune").get(url, odd).status_code == 200


def test_the_page_of_a_record_outside_the_area_is_404(world, personas, client_of):
    record = make_record(world.other_village)
    assert client_of("commune").get(record.get_absolute_url()).status_code == 404
    assert client_of("other_commune").get(record.get_absolute_url()).status_code == 200


def test_resolving_through_the_page(world, personas, client_of, make_person):
    person = make_person(full_name="Lê Văn Mới")
    record = make_record(world.commune, candidates=[person])
    client = client_of("commune")
    page = client.get(record.get_absolute_url())
    assert page.status_code == 200 and person.full_name in page.content.decode()
    bad = client.post(record.get_absolute_url(), {"do": "attach", "attach-person": "abc"})
    assert bad.status_code == 200 and not Dose.objects.exists()
    done = client.post(record.get_absolute_url(), {"do": "attach", "attach-person": person.pk})
    assert done.status_code == 302 and Dose.objects.get().person == person
    again = client.post(record.get_absolute_url(), {"do": "attach", "attach-person": person.pk})
    assert again.status_code == 200 and Dose.objects.count() == 1  # resolved: the forms are gone


def test_dismiss_and_create_through_the_page(world, personas, client_of):
    client = client_of("commune")
    record = make_record(world.commune)
    empty = client.post(record.get_absolute_url(), {"do": "dismiss", "dismiss-reason": ""})
    assert empty.status_code == 200 and "errorlist" in empty.content.decode()
    other = make_record(world.commune, full_name="Trần Văn Tạo", cccd=valid_cccd("M", 1970))
    created = client.post(
        other.get_absolute_url(),
        {"do": "create", "create-unit": world.village.code, "create-sex": "M", "client_id": "abc"},
    )
    assert created.status_code == 302 and Person.objects.get().full_name == "Trần Văn Tạo"
    odd = client.post(other.get_absolute_url(), {"do": "create", "create-unit": "99999", "create-sex": "X"})
    assert odd.status_code == 200
    assert client.post(record.get_absolute_url(), {"do": "dismiss", "dismiss-reason": "thử"}).status_code == 302
