"""Checkpoint pages through the Django test client: scope (another area's checkpoint is 404), the
passage screen (bad plate, re-sent form, preview), counts that equal their lists, the export and the
printed shift log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chongdich.core.models import AuditEvent
from chongdich.movement.actions.checkpoints import do_record_passage
from chongdich.movement.models import Checkpoint, Passage, Shift
from tests.helpers import read_xlsx
from tests.movement.checkpoint_world import TODAY, at, cp_world_fixture, passage_data  # noqa: F401

pytestmark = pytest.mark.django_db


def screen(cp):
    return reverse("movement:passage_screen", args=[cp.pk])


def form(**extra) -> dict:
    data = {
        "client_id": "c-1",
        "direction": "in",
        "subject": "vehicle",
        "plate": "93C-111.22",
        "vehicle_type": "car",
        "people_on_board": "2",
        "origin": "",
        "destination": "",
        "test_result": "",
        "test_kind": "",
        "test_at": "",
        "full_name": "",
        "cccd": "",
        "phone": "",
        "colour": "",
        "temperature": "",
        "note": "",
        "action": "through",
    }
    data.update(extra)
    return data


def test_another_areas_checkpoint_is_404(cp_world, client_of):
    other = client_of("other_commune")
    for name in ("movement:checkpoint", "movement:checkpoint_edit", "movement:passage_screen", "movement:shift_create"):
        assert other.get(reverse(name, args=[cp_world.checkpoint.pk])).status_code == 404, name
    for name in ("movement:shift", "movement:shift_log", "movement:shift_log_pdf", "movement:shift_edit"):
        assert other.get(reverse(name, args=[cp_world.shift.pk])).status_code == 404, name
    officer = client_of("checkpoint")
    assert officer.get(reverse("movement:checkpoint", args=[cp_world.far_checkpoint.pk])).status_code == 404
    assert officer.post(screen(cp_world.far_checkpoint), form()).status_code == 404
    assert not Passage.objects.exists()


def test_lists_show_only_the_area(cp_world, client_of):
    do_record_passage(cp_world.officer, cp_world.checkpoint, passage_data(plate="93C-111.22"))
    page = client_of("other_commune").get(reverse("movement:checkpoints"))
    assert page.status_code == 200 and "Chốt cửa ngõ" not in page.content.decode()
    page = client_of("checkpoint").get(reverse("movement:checkpoints"))
    assert "Chốt cửa ngõ Đắk Ơ" in page.content.decode() and "Chốt Quận 1" not in page.content.decode()
    rows = client_of("other_commune").get(reverse("movement:passages")).context["table"].rows
    assert len(rows) == 0
    rows = read_xlsx(client_of("other_commune").get(reverse("movement:passages_export")).content)
    assert len(rows) == 1  # the header only


def test_create_a_checkpoint_through_the_form(cp_world, client_of, world):
    client = client_of("checkpoint")
    page = client.get(reverse("movement:checkpoint_create"))
    assert page.status_code == 200 and "data-location-map" in page.content.decode()
    data = {
        "client_id": "new-cp",
        "name": "Chốt Bù Gia Mập 2",
        "code": "",
        "kind": "district_border",
        "way": "track",
        "route": "",
        "unit": world.border_commune.code,
        "latitude": "12.140000",
        "longitude": "107.170000",
        "opened_on": "2021-08-01",
        "active": "on",
    }
    response = client.post(reverse("movement:checkpoint_create"), data)
    created = Checkpoint.objects.get(name="Chốt Bù Gia Mập 2")
    assert response.status_code == 302 and created.code == "C25222-02" and str(created.latitude) == "12.140000"
    again = client.post(reverse("movement:checkpoint_create"), data)
    assert again.status_code == 302 and Checkpoint.objects.filter(name="Chốt Bù Gia Mập 2").count() == 1
    bad = client.post(
        reverse("movement:checkpoint_create"), data | {"client_id": "x2", "latitude": "60", "unit": world.commune.code}
    )
    assert bad.status_code == 400 and "unit" in bad.context["form"].errors


def test_open_a_shift_with_people_on_duty(cp_world, client_of):
    client = client_of("checkpoint")
    url = reverse("movement:shift_create", args=[cp_world.checkpoint.pk])
    assert client.get(url).status_code == 200
    data = {
        "client_id": "s-1",
        "starts_at": "2021-08-20T18:00",
        "ends_at": "2021-08-21T06:00",
        "leader": "Thiếu tá Đêm",
        "m-TOTAL_FORMS": "3",
        "m-INITIAL_FORMS": "0",
        "m-MIN_NUM_FORMS": "0",
        "m-MAX_NUM_FORMS": "40",
        "m-0-full_name": "Điểu Văn Một",
        "m-0-force": "militia",
        "m-0-phone": "0912 000 111",
        "m-1-full_name": "Thị Hai",
        "m-1-force": "volunteer",
        "m-1-phone": "",
        "m-2-full_name": "",
        "m-2-force": "",
        "m-2-phone": "",
    }
    response = client.post(url, data)
    shift = Shift.objects.get(leader="Thiếu tá Đêm")
    assert response.status_code == 302 and [m.phone for m in shift.members.all()] == ["+84912000111", ""]
    bad = client.post(url, data | {"client_id": "s-2", "m-1-force": "", "ends_at": "2021-08-20T17:00"})
    assert bad.status_code == 400
    assert Shift.objects.filter(leader="Thiếu tá Đêm").count() == 1


def test_bad_plate_keeps_what_was_typed(cp_world, client_of):
    client = client_of("checkpoint")
    response = client.post(
        screen(cp_world.checkpoint), form(plate="ABC-XYZ", full_name="Lê Thị Gõ Sai", temperature="37.2")
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "không đúng" in text or "không phải" in text or "biển số" in text.lower()
    assert 'value="ABC-XYZ"' in text and 'value="Lê Thị Gõ Sai"' in text and 'value="37.2"' in text
    assert 'data-outbox="passage"' in text and 'value="c-1"' in text
    assert not Passage.objects.exists()


def test_a_resent_form_makes_one_passage(cp_world, client_of):
    client = client_of("checkpoint")
    first = client.post(screen(cp_world.checkpoint), form())
    second = client.post(screen(cp_world.checkpoint), form())
    assert first.status_code == 302 and second.status_code == 302
    assert Passage.objects.count() == 1
    assert Passage.objects.get().people_on_board == 2


def test_the_screen_needs_an_action_and_previews_without_javascript(cp_world, client_of):
    client = client_of("checkpoint")
    page = client.get(screen(cp_world.checkpoint))
    assert page.status_code == 200 and 'data-outbox="passage"' in page.content.decode()
    preview = client.post(screen(cp_world.checkpoint), form(action="", preview="1"))
    assert preview.status_code == 200
    assert preview.context["advised"] == "turned_back" and not Passage.objects.exists()
    assert 'class="btn btn-lg action-turned_back advised"' in preview.content.decode()
    missing = client.post(screen(cp_world.checkpoint), form(action=""))
    assert missing.status_code == 400 and not Passage.objects.exists()


def test_preview_json(cp_world, client_of):
    client = client_of("checkpoint")
    url = reverse("movement:passage_preview", args=[cp_world.checkpoint.pk])
    data = client.post(url, form(plate="51C12345", vehicle_type="truck", action="")).json()
    assert data["ok"] and data["card"]["number"] == "70-2021-000123" and data["advice"] == "through"
    assert data["plate"] == "51C-123.45" and data["reasons"]
    data = client.post(url, form(plate="??", action="")).json()
    assert not data["ok"] and "plate" in data["errors"]
    found = client.post(
        url, form(subject="person", plate="", vehicle_type="", cccd=cp_world.person.cccd, action="")
    ).json()
    assert found["person_found"] and found["colour"] == "red"
    assert AuditEvent.objects.filter(detail__people=[cp_world.person.pk]).exists()
    assert not Passage.objects.exists()


def test_commune_search_without_diacritics(cp_world, client_of, world):
    client = client_of("checkpoint")
    results = client.get(reverse("movement:communes"), {"q": "duc hanh"}).json()["results"]
    assert [r["code"] for r in results] == [world.commune.code]
    assert results[0]["label"].startswith("Xã Đức Hạnh, Huyện Bù Gia Mập")
    response = client.post(screen(cp_world.checkpoint), form(origin="tan dinh", destination=results[0]["label"]))
    assert response.status_code == 302
    row = Passage.objects.get()
    assert row.origin_commune_code == world.far_commune.code and row.destination_commune_code == world.commune.code
    response = client.post(screen(cp_world.checkpoint), form(client_id="c-2", origin="xã"))
    assert response.status_code == 400 and "origin" in response.context["form"].errors


def test_shift_counts_equal_the_lists(cp_world, client_of):
    officer = cp_world.officer
    cases = [
        passage_data(plate="93C-111.22", direction="in", action="through", people_on_board=3),
        passage_data(plate="93C-111.23", direction="in", action="turned_back"),
        passage_data(plate="93C-111.24", direction="out", action="quarantine", vehicle_type="truck"),
        passage_data(subject="person", vehicle_type="", full_name="Hà Văn Bộ", action="tested"),
        passage_data(plate="51C-123.45", vehicle_type="truck", action="through"),
    ]
    for i, data in enumerate(cases):
        do_record_passage(officer, cp_world.checkpoint, data | {"at": at(TODAY, 8, i)})
    do_record_passage(
        officer, cp_world.checkpoint, passage_data(plate="93C-999.99", at=at(TODAY, 5))
    )  # before the shift
    client = client_of("checkpoint")
    page = client.get(reverse("movement:shift", args=[cp_world.shift.pk]))
    counts = page.context["counts"]
    assert counts.total == 5 and counts.people == 7 and counts.turned_back == 1 and counts.quarantine == 1
    assert counts.carded == 1
    listing = client.get(reverse("movement:passages"), {"shift": cp_world.shift.pk})
    assert listing.context["counts"].total == len(listing.context["table"].rows) == counts.total
    for value, _label, n in counts.action_rows:
        narrowed = client.get(reverse("movement:passages"), {"shift": cp_world.shift.pk, "action": value})
        assert len(narrowed.context["table"].rows) == n, value
    for value, _label, n in counts.direction_rows:
        narrowed = client.get(reverse("movement:passages"), {"shift": cp_world.shift.pk, "direction": value})
        assert len(narrowed.context["table"].rows) == n, value
    detail = client.get(reverse("movement:checkpoint", args=[cp_world.checkpoint.pk]))
    today = detail.context["days"][0]
    assert today["day"] == TODAY and today["total"] == 6
    listing = client.get(
        reverse("movement:passages"), {"checkpoint": cp_world.checkpoint.pk, "start": TODAY, "end": TODAY}
    )
    assert len(listing.context["table"].rows) == 6
    checkpoints = client.get(reverse("movement:checkpoints")).context["table"]
    assert [row.record.passages for row in checkpoints.rows] == [6]
    log = client.get(reverse("movement:shift_log", args=[cp_world.shift.pk]))
    text = log.content.decode()
    assert log.status_code == 200 and "SỔ NHẬT KÝ CA TRỰC" in text and "Hà Văn Bộ" in text and "93C-999.99" not in text
    assert 'data-log="total">5<' in text
    pdf = client.get(reverse("movement:shift_log_pdf", args=[cp_world.shift.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    rows = read_xlsx(client.get(reverse("movement:passages_export"), {"shift": cp_world.shift.pk}).content)
    assert len(rows) == 1 + 5 and rows[-1][5] == "93C-111.22" and rows[0][3] == "Chiều"


def test_the_printed_log_is_vietnamese_in_english_too(cp_world, client_of):
    client = client_of("checkpoint")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("movement:shift_log", args=[cp_world.shift.pk]))
    assert "SỔ NHẬT KÝ CA TRỰC" in page.content.decode()
