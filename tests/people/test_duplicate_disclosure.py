"""Duplicate warnings say nothing outside the asker's area (issue 8 §1).

A commune officer of Phú Văn who types the citizen ID (or name + year + phone) of a person of Đức Hạnh
gets "registered in another area" — no name, phone, village, link or unit — on the registration page,
in the API's 409 and in an import's dry run; the disclosure is audited in Đức Hạnh; in scope, the
warning names and links the person.  One helper (``people.duplicates.disclose``) decides for all.
"""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from chongdich.core.models import AuditEvent
from chongdich.people.models import Person
from tests.helpers import run_job, xlsx_bytes

NEUTRAL_VI = "đã được đăng ký ở địa bàn khác"


@pytest.fixture
def resident(world, make_person):
    """Lives in Thôn 1, Xã Đức Hạnh."""
    return make_person(full_name="Hoàng Thị Mận", sex="F", birth_year=1961, phone="+84912000111")


def _leaks(text: str, person) -> list[str]:
    """What of ``person`` and of their area appears in ``text`` (the form keeps what the asker typed:
    those values are theirs, not a disclosure)."""
    text = re.sub(r'value="[^"]*"', "", text)
    secrets = [
        person.full_name,
        "Mận",
        person.phone,
        "0912000111",
        "0912 000 111",
        "Thôn 1",
        "Đức Hạnh",
        reverse("people:detail", args=[person.pk]),
    ]
    return [secret for secret in secrets if secret in text]


def form(world, **extra):
    return {
        "full_name": "Hoàng Thị Mận",
        "sex": "F",
        "birth_year": "1961",
        "unit": world.other_village.code,
        "residence_status": "permanent",
        **extra,
    }


def test_create_page_out_of_scope_cccd_is_neutral_and_audited(world, personas, client_of, resident):
    response = client_of("other_commune").post(reverse("people:create"), form(world, cccd=resident.cccd))
    assert response.status_code == 200
    page = response.content.decode()
    assert NEUTRAL_VI in page and not _leaks(page, resident)
    warning = AuditEvent.objects.get(action="duplicate")
    assert warning.actor == personas["other_commune"] and warning.object_id == str(resident.pk)
    assert warning.unit_path == resident.unit_path  # seen by the auditors of the person's area
    assert warning.detail["match"] == "cccd" and warning.detail["wanted_unit"] == world.other_village.code
    assert f"{reverse('people:transfer_new')}?ref={warning.detail['reference']}" in page  # a way to ask for a transfer
    assert Person.objects.count() == 1


def test_a_citizen_id_already_registered_offers_no_different_person_box(world, client_of, resident):
    """The same CCCD is the same person: "I checked, this is someone else" cannot apply, so it is not offered
    (in the other area's neutral answer nor in the officer's own)."""
    for persona, unit in (("other_commune", world.other_village), ("commune", world.village2)):
        page = client_of(persona).post(reverse("people:create"), form(world, cccd=resident.cccd, unit=unit.code))
        assert 'name="confirm_new"' not in page.content.decode()
    # a name + year + phone match still offers it
    page = client_of("other_commune").post(reverse("people:create"), form(world, phone="0912000111"))
    assert 'name="confirm_new"' in page.content.decode()


def test_create_page_out_of_scope_name_year_phone_is_neutral_and_audited(world, personas, client_of, resident):
    response = client_of("other_commune").post(reverse("people:create"), form(world, phone="0912000111"))
    page = response.content.decode()
    assert NEUTRAL_VI in page and not _leaks(page, resident)
    assert (
        AuditEvent.objects.filter(action="duplicate", object_id=str(resident.pk), unit_path=resident.unit_path).count()
        == 1
    )
    assert Person.objects.count() == 1
    # Not the same person after all: confirmed, it is registered (the warning did not block).
    client_of("other_commune").post(reverse("people:create"), form(world, phone="0912000111", confirm_new="on"))
    assert Person.objects.count() == 2


def test_create_page_in_scope_names_and_links_the_person(world, client_of, resident):
    data = form(world, cccd=resident.cccd, unit=world.village2.code)
    page = client_of("commune").post(reverse("people:create"), data).content.decode()
    assert resident.full_name in page and reverse("people:detail", args=[resident.pk]) in page
    assert NEUTRAL_VI not in page
    assert not AuditEvent.objects.filter(action="duplicate").exists()  # nothing was disclosed beyond the scope


def test_api_409_out_of_scope_is_neutral_and_audited(world, personas, client_of, resident):
    payload = {"full_name": "Hoàng Thị Mận", "sex": "F", "birth_year": 1961, "cccd": resident.cccd, "unit": "25229-01"}
    response = client_of("other_commune").post("/api/v1/persons", json.dumps(payload), content_type="application/json")
    assert response.status_code == 409
    body = response.content.decode()
    assert not _leaks(body, resident) and NEUTRAL_VI in response.json()["detail"]
    warning = AuditEvent.objects.get(action="duplicate")
    assert warning.detail["via"] == "api" and warning.detail["reference"] in response.json()["detail"]
    assert response.json()["errors"] == {"duplicates": [], "references": [warning.detail["reference"]]}


def test_api_409_in_scope_names_the_person(world, client_of, resident):
    payload = {"full_name": "Khác Tên", "sex": "F", "birth_year": 1961, "cccd": resident.cccd, "unit": "25228-02"}
    response = client_of("commune").post("/api/v1/persons", json.dumps(payload), content_type="application/json")
    assert response.status_code == 409 and resident.full_name in response.json()["detail"]


def test_import_dry_run_out_of_scope_is_neutral_and_audited_once(world, personas, resident):
    header = ["STT", "Họ và tên", "Giới tính", "Năm sinh", "Số CCCD", "Thôn"]
    content = xlsx_bytes([header, [1, "Hoàng Thị Mận", "Nữ", 1961, resident.cccd, "Thôn Đắk Son"]])
    job = run_job(personas["other_commune"], "people.persons", world.other_commune, "ds.xlsx", content, confirm=False)
    assert job.summary["invalid"] == 1
    message = job.errors[0]["message"]
    assert NEUTRAL_VI in message and not _leaks(message, resident)
    run_job(personas["other_commune"], "people.persons", world.other_commune, "ds.xlsx", content)
    warnings = AuditEvent.objects.filter(action="duplicate", object_id=str(resident.pk))
    assert warnings.count() == 2 and {w.unit_path for w in warnings} == {resident.unit_path}  # one per job


def test_duplicate_warning_appears_in_the_persons_area_audit_not_the_askers(world, personas, client_of, resident):
    client_of("other_commune").post(reverse("people:create"), form(world, cccd=resident.cccd))
    theirs = client_of("commune").get(reverse("desk:audit") + "?action=duplicate").content.decode()
    assert resident.full_name in theirs and "other_commune" in theirs  # Đức Hạnh's auditor sees who asked
    mine = client_of("other_commune").get(reverse("desk:audit") + "?action=duplicate").content.decode()
    assert not _leaks(mine, resident)
