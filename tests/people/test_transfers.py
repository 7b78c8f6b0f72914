"""Transfer requests (issue 8 §1): from a neutral duplicate warning, the asker asks the lowest level above
both areas to move the person; that level sees the person and approves (the person moves, audited) or
refuses; the asker sees the outcome and, once moved, the person."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chongdich.accounts.models import Grant, User
from chongdich.core.models import AuditEvent
from chongdich.people.actions import do_decide_transfer, do_request_transfer
from chongdich.people.models import Household, TransferRequest


@pytest.fixture
def resident(world, make_person):
    household = Household(code="25228-H00009", address="Thôn 1")
    household.place_in(world.village)
    household.save()
    person = make_person(full_name="Hoàng Thị Mận", sex="F", birth_year=1961, household=household)
    household.head = person
    household.save()
    return person


@pytest.fixture
def reference(world, client_of, resident):
    """Phú Văn's officer types the resident's citizen ID: the neutral warning's reference."""
    data = {
        "full_name": "Hoàng Thị Mận",
        "sex": "F",
        "birth_year": "1961",
        "cccd": resident.cccd,
        "unit": world.other_village.code,
        "residence_status": "permanent",
    }
    client_of("other_commune").post(reverse("people:create"), data)
    return AuditEvent.objects.get(action="duplicate").detail["reference"]


def ask(client_of, reference, world, note="Về ở với con gái từ tháng 3."):
    return client_of("other_commune").post(
        reverse("people:transfer_new"), {"ref": reference, "to_unit": world.other_village.code, "note": note}
    )


def test_the_asker_requests_a_transfer_without_learning_more(world, personas, client_of, resident, reference):
    form = client_of("other_commune").get(reverse("people:transfer_new") + f"?ref={reference}")
    assert form.status_code == 200 and form.context["form"]["to_unit"].value() == world.other_village.code
    response = ask(client_of, reference, world)
    assert response.status_code == 302
    transfer = TransferRequest.objects.get()
    assert transfer.person == resident and transfer.to_unit == world.other_village
    assert transfer.common_unit == world.district and transfer.unit_path == world.district.path  # the common level
    assert transfer.created_by == personas["other_commune"] and transfer.status == "pending"
    page = client_of("other_commune").get(reverse("people:transfers")).content.decode()
    detail = client_of("other_commune").get(reverse("people:transfer", args=[transfer.pk])).content.decode()
    for text in (page, detail):
        assert "Thôn 1" not in text and "Đức Hạnh" not in text and reference_link(resident) not in text
    assert ask(client_of, reference, world).status_code == 302 and TransferRequest.objects.count() == 1  # asked once


def reference_link(person) -> str:
    return reverse("people:detail", args=[person.pk])


def test_the_common_level_sees_and_approves_the_person_moves(world, personas, client_of, resident, reference):
    ask(client_of, reference, world)
    transfer = TransferRequest.objects.get()
    listing = client_of("district").get(reverse("people:transfers")).content.decode()
    assert reference_link(resident) in listing and "Thôn 1, Xã Đức Hạnh" in listing
    assert client_of("province").get(reverse("people:transfer", args=[transfer.pk])).status_code == 200
    # Neither commune is the common level: the person's own commune does not see it, the asker cannot decide.
    assert client_of("commune").get(reverse("people:transfer", args=[transfer.pk])).status_code == 404
    assert reference_link(resident) not in client_of("commune").get(reverse("people:transfers")).content.decode()
    decide = reverse("people:transfer_decide", args=[transfer.pk])
    assert client_of("commune").post(decide, {"decision": "approve"}).status_code == 404
    assert client_of("other_commune").post(decide, {"decision": "approve"}).status_code == 403
    resident.refresh_from_db()
    assert resident.unit == world.village

    assert client_of("district").post(decide, {"decision": "approve"}).status_code == 302
    resident.refresh_from_db()
    transfer.refresh_from_db()
    assert resident.unit == world.other_village and resident.unit_path == world.other_village.path
    assert resident.household is None  # the household stays in Đức Hạnh
    assert Household.objects.get(code="25228-H00009").head is None
    assert transfer.status == "approved" and transfer.decided_by == personas["district"]
    moved = AuditEvent.objects.filter(
        action="update", object_type="people.person", object_id=str(resident.pk), actor=personas["district"]
    )
    assert any("unit" in (e.detail.get("changed") or {}) for e in moved)
    assert resident.history.first().history_user == personas["district"]
    # The asker sees the outcome, and now the person (in their area).
    mine = client_of("other_commune").get(reverse("people:transfers")).content.decode()
    assert reference_link(resident) in mine and "Đã đồng ý" in mine
    assert (
        client_of("district").post(decide, {"decision": "refuse", "decision_note": "x"}).status_code == 200
    )  # decided once


def test_a_refusal_says_why_and_the_asker_reads_it(world, personas, client_of, resident, reference):
    ask(client_of, reference, world)
    transfer = TransferRequest.objects.get()
    decide = reverse("people:transfer_decide", args=[transfer.pk])
    assert client_of("district").post(decide, {"decision": "refuse"}).status_code == 200  # a reason is required
    transfer.refresh_from_db()
    assert transfer.status == "pending"
    client_of("district").post(decide, {"decision": "refuse", "decision_note": "Bà vẫn ở Thôn 1, đã xác minh."})
    transfer.refresh_from_db()
    resident.refresh_from_db()
    assert transfer.status == "refused" and resident.unit == world.village
    mine = client_of("other_commune").get(reverse("people:transfer", args=[transfer.pk])).content.decode()
    assert "Bà vẫn ở Thôn 1, đã xác minh." in mine and reference_link(resident) not in mine


def test_a_reference_is_only_its_askers(world, client_of, reference):
    assert client_of("commune").get(reverse("people:transfer_new") + f"?ref={reference}").status_code == 404
    assert client_of("district").get(reverse("people:transfer_new") + f"?ref={reference}").status_code == 404
    assert client_of("other_commune").get(reverse("people:transfer_new") + "?ref=AAAA-BBBB").status_code == 404
    assert client_of("other_commune").get(reverse("people:transfer_new") + "?ref=1").status_code == 404
    assert client_of("other_commune").get(reverse("people:transfer_new")).status_code == 404


def test_people_of_two_provinces_go_to_the_national_level(world, personas, make_person):
    far_officer = User.objects.create_user(username="tan_dinh")
    Grant.objects.create(user=far_officer, role="commune_committee", unit=world.far_commune)
    resident = make_person(full_name="Lê Văn Xa")
    from chongdich.people.actions import DuplicateCccd, do_create_person

    with pytest.raises(DuplicateCccd) as caught:
        do_create_person(
            far_officer,
            unit=world.far_commune,
            data={"full_name": "Lê Văn Xa", "sex": "M", "birth_year": 1985, "cccd": resident.cccd},
        )
    assert "Lê Văn Xa" not in caught.value.messages[0] and "Đức Hạnh" not in caught.value.messages[0]
    transfer, created = do_request_transfer(
        far_officer, reference=caught.value.references[0], to_unit=world.far_commune
    )
    assert created and transfer.common_unit is None and transfer.unit_path == ""
    assert not TransferRequest.objects.for_user(personas["province"], "people.edit").exists()
    assert TransferRequest.objects.for_user(personas["national"], "people.edit").get() == transfer
    do_decide_transfer(personas["national"], transfer, approve=True)
    resident.refresh_from_db()
    assert resident.unit == world.far_commune and resident.province_code == "79"
