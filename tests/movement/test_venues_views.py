"""Venues, the public check-in page, the staff scan and device tokens through the test client: scope,
re-sent forms, the rate limit, what the pages show."""

from __future__ import annotations

import re
from datetime import date

import pypdfium2
import pytest
from django.core.cache import cache
from django.urls import reverse

from chongdich.core.audit import AuditEvent
from chongdich.movement.actions.venues import do_create_venue
from chongdich.movement.devices import digest as token_digest
from chongdich.movement.models import CheckIn, DeviceToken, Venue
from chongdich.movement.selectors.venues import CODE_ALPHABET, normalise_code, read_code
from chongdich.vaccination import signing
from chongdich.vaccination.certificates import Certificate, encode

NOW = "2021-08-20T14:00:00+07:00"


@pytest.fixture(autouse=True)
def _pinned(settings):
    settings.CHONGDICH_TODAY = NOW
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def venue(world, personas):
    venue, _created = do_create_venue(
        personas["commune"],
        unit=world.village,
        data={"name": "Chợ Đức Hạnh", "kind": "market", "address": "Tổ 3", "active": True},
    )
    return venue


@pytest.fixture
def office(world, personas):
    venue, _created = do_create_venue(
        personas["commune"],
        unit=world.commune,
        data={"name": "UBND xã Đức Hạnh", "kind": "office", "temperature_check": True, "active": True},
    )
    return venue


def checkin_post(client, venue, *, address="127.0.0.1", **data):
    body = {"phone": "0912 345 678", "full_name": "Trần Thị Bình", "direction": "in", "client_id": "c1"} | data
    return client.post(reverse("movement:checkin", args=[venue.code]), body, REMOTE_ADDR=address)


# -- venues --------------------------------------------------------------------------------------------
def test_a_new_venue_gets_a_short_unambiguous_code(client_of, world):
    commune = client_of("commune")
    answer = commune.post(
        reverse("movement:venue_create"),
        {
            "name": "Trường THCS Đức Hạnh",
            "kind": "school",
            "unit": world.commune.code,
            "active": "on",
            "client_id": "v1",
        },
    )
    assert answer.status_code == 302
    venue = Venue.objects.get()
    assert len(venue.code) == 8 and set(venue.code) <= set(CODE_ALPHABET)
    again = commune.post(
        reverse("movement:venue_create"),
        {
            "name": "Trường THCS Đức Hạnh",
            "kind": "school",
            "unit": world.commune.code,
            "active": "on",
            "client_id": "v1",
        },
    )
    assert again.status_code == 302 and Venue.objects.count() == 1  # a re-sent form makes no second venue


def test_a_venue_outside_the_area_cannot_be_created_and_is_404(client_of, world, venue):
    other = client_of("other_commune")
    answer = other.post(
        reverse("movement:venue_create"),
        {"name": "Chợ", "kind": "market", "unit": world.commune.code, "active": "on"},
    )
    assert answer.status_code == 200 and Venue.objects.count() == 1  # the unit is not a choice
    for name in ("movement:venue", "movement:venue_edit", "movement:venue_poster", "movement:venue_scan"):
        assert other.get(reverse(name, args=[venue.pk])).status_code == 404
    assert venue.name not in other.get(reverse("movement:venues")).content.decode()


def test_the_list_filters_by_name_and_code(client_of, venue, office):
    commune = client_of("commune")
    page = commune.get(reverse("movement:venues"), {"q": "chợ"}).content.decode()
    assert "Chợ Đức Hạnh" in page and "UBND" not in page
    page = commune.get(reverse("movement:venues"), {"q": office.code.lower()}).content.decode()
    assert "UBND" in page and "Chợ Đức Hạnh" not in page
    page = commune.get(reverse("movement:venues"), {"temperature": "on"}).content.decode()
    assert "UBND" in page and "Chợ Đức Hạnh" not in page


def test_editing_keeps_the_code(client_of, world, venue):
    code = venue.code
    answer = client_of("commune").post(
        reverse("movement:venue_edit", args=[venue.pk]),
        {"name": "Chợ Đức Hạnh mới", "kind": "market", "unit": world.village.code, "active": "on"},
    )
    assert answer.status_code == 302
    venue.refresh_from_db()
    assert venue.name == "Chợ Đức Hạnh mới" and venue.code == code


def test_code_reading_maps_look_alikes():
    assert normalise_code(" ab-cd ef oil ") == "ABCDEF011"


def test_the_detail_page_counts_todays_checkins(client, client_of, venue):
    for n, phone in enumerate(["0912345678", "0912345679", "0912345678"]):
        checkin_post(client, venue, phone=phone, client_id=f"d{n}")
    checkin_post(client, venue, phone="0912345678", direction="out", client_id="d9")
    page = client_of("commune").get(reverse("movement:venue", args=[venue.pk])).content.decode()
    counts = re.search(r'id="today-counts".*?</div>\s*</div>\s*</div>\s*</div>', page, re.S).group(0)
    numbers = re.findall(r'fs-3 fw-semibold[^"]*">(\d+)<', page)
    assert numbers[:3] == ["3", "1", "2"], counts
    assert page.count("Trần Thị Bình") == 4


# -- the poster -----------------------------------------------------------------------------------------
def test_the_poster_holds_the_absolute_checkin_address(client_of, venue, settings):
    settings.CHONGDICH_PUBLIC_URL = "https://chongdich.example.gov.vn"
    page = client_of("commune").get(reverse("movement:venue_poster", args=[venue.pk])).content.decode()
    assert f"https://chongdich.example.gov.vn/movement/c/{venue.code}/" in page
    assert "QUÉT MÃ QR" in page and "Scan the QR code" in page and "width: 170mm" in page
    side = int(re.search(r'<svg[^>]*viewBox="0 0 (\d+) \d+"', page).group(1))
    assert 170 * (side - 4) / side >= 150  # the code itself (without its 2-module quiet zone) is ≥ 15 cm


def test_the_poster_pdf_is_a4(client_of, venue):
    answer = client_of("community").get(reverse("movement:venue_poster_pdf", args=[venue.pk]))
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    pdf = pypdfium2.PdfDocument(answer.content)
    assert len(pdf) == 1  # one A4 page
    width, height = pdf[0].get_size()
    assert round(width) == 595 and round(height) == 842


# -- the public check-in page ---------------------------------------------------------------------------------
def test_public_checkin_saves_one_row_and_confirms(client, venue):
    page = client.get(reverse("movement:checkin", args=[venue.code]))
    assert page.status_code == 200 and 'data-outbox="checkin"' in page.content.decode()
    answer = checkin_post(client, venue)
    assert answer.status_code == 200
    text = answer.content.decode()
    assert "Chợ Đức Hạnh" in text and "14:00" in text and "✓" in text
    row = CheckIn.objects.get()
    assert (row.phone, row.full_name, row.venue_id, row.method, row.commune_code) == (
        "+84912345678",
        "Trần Thị Bình",
        venue.pk,
        "self",
        "25228",
    )
    assert row.day == date(2021, 8, 20)


def test_a_resent_checkin_makes_one_row(client, venue):
    for _ in range(3):
        assert checkin_post(client, venue, client_id="same").status_code == 200
    assert CheckIn.objects.count() == 1


def test_bad_input_answers_400_with_the_message_and_keeps_what_was_typed(client, venue):
    answer = checkin_post(client, venue, phone="12ab", full_name="Lê Văn Cường")
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "0912 345 678" in text and 'value="Lê Văn Cường"' in text  # the hint, and the name kept
    assert not CheckIn.objects.exists()
    assert checkin_post(client, venue, full_name="").status_code == 400


def test_temperature_only_where_the_venue_checks_it(client, venue, office):
    assert "temperature" not in client.get(reverse("movement:checkin", args=[venue.code])).content.decode()
    assert 'name="temperature"' in client.get(reverse("movement:checkin", args=[office.code])).content.decode()
    assert checkin_post(client, office, temperature="45", client_id="t1").status_code == 400
    answer = checkin_post(client, office, temperature="38,2", client_id="t2")
    assert answer.status_code == 200 and "38,2 °C" in answer.content.decode()
    assert str(CheckIn.objects.get().temperature) == "38.2"


def test_unknown_or_closed_venue_is_a_vietnamese_404(client, venue):
    answer = client.get("/movement/c/ZZZZZZZZ/")
    assert answer.status_code == 404 and "Không tìm thấy mã" in answer.content.decode()
    Venue.objects.filter(pk=venue.pk).update(active=False)
    assert client.get(reverse("movement:checkin", args=[venue.code])).status_code == 404
    assert checkin_post(client, venue).status_code == 404 and not CheckIn.objects.exists()


def test_the_code_is_read_case_insensitively(client, venue):
    assert client.get(f"/movement/c/{venue.code.lower()}/").status_code == 200


def test_checkins_are_rate_limited_per_address(client, venue, settings, monkeypatch):
    settings.CHONGDICH_CHECKIN_RATE_LIMIT = 3
    for n in range(3):
        assert checkin_post(client, venue, client_id=f"r{n}").status_code == 200
    answer = checkin_post(client, venue, client_id="r9")
    assert answer.status_code == 429 and CheckIn.objects.count() == 3
    other = checkin_post(client, venue, client_id="r10", address="10.0.0.9")
    assert other.status_code == 200  # another address is not held back


# -- devices --------------------------------------------------------------------------------------------
def test_a_device_token_is_shown_once_and_stored_as_a_digest(client_of, venue):
    commune = client_of("commune")
    answer = commune.post(reverse("movement:venue_device_create", args=[venue.pk]), {"label": "Cổng 1", "days": 30})
    assert answer.status_code == 200
    token = re.search(r'id="device-token">([^<]+)<', answer.content.decode()).group(1)
    device = DeviceToken.objects.get()
    assert device.digest == token_digest(token) and token not in (device.digest, device.prefix)
    assert token not in commune.get(reverse("movement:venue", args=[venue.pk])).content.decode()
    assert commune.post(reverse("movement:venue_device_revoke", args=[device.pk])).status_code == 302
    device.refresh_from_db()
    assert device.revoked_at is not None


def test_a_re_sent_device_form_makes_no_second_token(client_of, venue):
    commune = client_of("commune")
    url = reverse("movement:venue_device_create", args=[venue.pk])
    form = {"label": "Cổng 1", "days": 30, "client_id": "dev-form-1"}
    first = commune.post(url, form).content.decode()
    assert 'id="device-token"' in first
    again = commune.post(url, form)
    assert again.status_code == 200 and 'id="device-token"' not in again.content.decode()
    assert "Cổng 1" in again.content.decode() and DeviceToken.objects.count() == 1
    other = client_of("other_commune").post(url, form)  # another area's officer learns nothing of it
    assert other.status_code == 404 and DeviceToken.objects.count() == 1


def test_the_community_team_sees_but_cannot_make_tokens(client_of, venue):
    team = client_of("community")
    page = team.get(reverse("movement:venue", args=[venue.pk])).content.decode()
    assert "Chợ Đức Hạnh" in page and f"movement/venues/{venue.pk}/devices/" not in page
    assert (
        team.post(reverse("movement:venue_device_create", args=[venue.pk]), {"label": "x", "days": 1}).status_code
        == 403
    )


# -- the staff scan --------------------------------------------------------------------------------------------
def test_staff_scan_by_phone_finds_the_person(client_of, make_person, office):
    person = make_person(full_name="Phạm Văn Dũng", phone="+84987654321")
    answer = client_of("health").post(
        reverse("movement:venue_scan", args=[office.pk]),
        {"code": "0987 654 321", "direction": "in", "temperature": "36.6", "client_id": "s1"},
    )
    assert answer.status_code == 200 and "Phạm Văn Dũng" in answer.content.decode()
    row = CheckIn.objects.get()
    assert (row.person_id, row.method, row.phone, str(row.temperature)) == (person.pk, "staff", "+84987654321", "36.6")
    assert AuditEvent.objects.filter(object_type="movement.checkin", object_id=str(row.pk)).exists()


def test_staff_scan_of_a_chip_id_card(make_person, office):
    person = make_person(full_name="Vũ Thị Hoa")
    scanned = read_code(f"{person.cccd}|123456789|Vũ Thị Hoa|01031985|Nữ|Thôn 1|01012021")
    assert (scanned.source, scanned.person) == ("cccd", person)


def test_staff_scan_of_a_certificate(make_person, settings, tmp_path):
    person = make_person(full_name="Đỗ Văn Em", date_of_birth=date(1990, 5, 1), birth_year=1990)
    key = signing.signing_key()
    payload = encode(Certificate(key.kid, "Đỗ Văn Em", "1990-05-01", (), date(2021, 8, 1)), key.private)
    scanned = read_code(f"https://x.example/vaccination/verify/?c={payload}")
    assert (scanned.source, scanned.person, scanned.problem) == ("certificate", person, "")
    forged = read_code(payload[:-4] + "AAAA")
    assert forged.problem == "certificate"


def test_staff_scan_refuses_what_it_cannot_read(client_of, office):
    answer = client_of("health").post(
        reverse("movement:venue_scan", args=[office.pk]), {"code": "hello", "direction": "in", "client_id": "s2"}
    )
    assert answer.status_code == 400 and not CheckIn.objects.exists()


def test_staff_scan_needs_edit_in_the_area(client_of, office):
    assert client_of("community").get(reverse("movement:venue_scan", args=[office.pk])).status_code == 403
    assert client_of("other_commune").get(reverse("movement:venue_scan", args=[office.pk])).status_code == 404


def test_the_checkins_list_equals_the_tally_of_its_day_and_unit(client_of, world, personas):
    """The dashboard's and the index's check-in figure link to this list with unit and day: same rows."""
    from datetime import datetime

    from django.utils import timezone

    from chongdich.movement import ingest
    from chongdich.movement.models import CheckIn, Venue
    from chongdich.tallies.models import DailyTally

    venue = Venue(code="TESTLIST", name="Chợ thử", kind="market")
    venue.place_in(world.village)
    venue.save()
    rows = []
    for hour in (7, 8, 9, 23):
        at = timezone.make_aware(datetime(2021, 8, 20, hour, 30))
        row = CheckIn(
            at=at, day=timezone.localtime(at).date(), received_at=at, venue=venue, phone=f"+8491234{hour:04d}"
        )
        row.place_in(world.village)
        rows.append(row)
    ingest.save_events(CheckIn, rows)
    tally = DailyTally.objects.get(unit=world.commune, day="2021-08-20").checkins
    response = client_of("commune").get("/movement/checkins/", {"unit": world.commune.code, "day": "2021-08-20"})
    assert response.status_code == 200
    assert tally == 4 and response.content.decode().count("Chợ thử") == tally
    other = client_of("other_commune").get("/movement/checkins/", {"day": "2021-08-20"})
    assert "Chợ thử" not in other.content.decode()  # another commune's officer sees none of them
