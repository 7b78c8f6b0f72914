from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from chongdich.core import clock
from chongdich.movement.actions import greenlane as actions
from chongdich.movement.models import GreenCard, MovementSetting, Passage, Trip, TripState
from chongdich.movement.selectors.greenlane import parse_card_qr
from tests.helpers import read_xlsx

pytestmark = pytest.mark.django_db


def card_post(**extra):
    today = clock.today()
    data = {
        "unit": "25228",
        "number": "",
        "plate": "51C-123.45",
        "vehicle_type": "truck",
        "operator": "Công ty Vận tải Phước Long",
        "driver_name": "Nguyễn Văn Tài",
        "driver_phone": "0912345678",
        "goods": "Rau củ quả",
        "essential": "on",
        "itinerary": "TP.HCM – QL13 – Bù Gia Mập",
        "valid_from": today.isoformat(),
        "valid_to": (today + timedelta(days=30)).isoformat(),
        "client_id": "form-1",
    }
    data.update(extra)
    return data


def local(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def card(personas, world):
    data = {key: value for key, value in card_post().items() if key not in ("unit", "number", "client_id")}
    data.update(valid_from=clock.today(), valid_to=clock.today() + timedelta(days=30), essential=True)
    made, _ = actions.do_issue_card(personas["commune"], unit=world.commune, data=data)
    return made


def test_issue_card_form_and_resend(client_of):
    client = client_of("commune")
    url = reverse("movement:card_create")
    assert client.get(url).status_code == 200
    first = client.post(url, card_post())
    assert first.status_code == 302
    again = client.post(url, card_post())  # the same form sent twice
    assert again.status_code == 302 and again.url == first.url
    assert GreenCard.objects.count() == 1
    page = client.get(first.url)
    assert "51C-123.45" in page.content.decode()


def test_card_form_keeps_what_was_typed_with_vietnamese_messages(client_of):
    client = client_of("commune")
    response = client.post(
        reverse("movement:card_create"), card_post(plate="XYZ", driver_phone="12", valid_to="2019-01-01")
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert 'value="XYZ"' in text
    assert "không phải biển số" in text
    assert GreenCard.objects.count() == 0


def test_card_unit_outside_area_is_not_offered(client_of):
    response = client_of("commune").post(reverse("movement:card_create"), card_post(unit="25229"))
    assert response.status_code == 200 and GreenCard.objects.count() == 0


def test_card_pages_scope(client_of, card):
    for name in ("movement:card", "movement:card_print", "movement:card_edit"):
        url = reverse(name, args=[card.pk])
        assert client_of("commune").get(url).status_code == 200
        assert client_of("other_commune").get(url).status_code == 404
    assert (
        client_of("other_commune").post(reverse("movement:card_revoke", args=[card.pk]), {"reason": "x"}).status_code
        == 404
    )
    listed = client_of("other_commune").get(reverse("movement:cards")).content.decode()
    assert card.number not in listed
    assert card.number in client_of("district").get(reverse("movement:cards")).content.decode()


def test_card_list_filters_and_export(client_of, card, personas, world):
    client = client_of("commune")
    assert card.number in client.get(reverse("movement:cards"), {"plate": "51c-123"}).content.decode()
    assert card.number not in client.get(reverse("movement:cards"), {"plate": "29A"}).content.decode()
    assert card.number in client.get(reverse("movement:cards"), {"state": "valid"}).content.decode()
    assert card.number not in client.get(reverse("movement:cards"), {"state": "revoked"}).content.decode()
    day = (card.valid_to + timedelta(days=1)).isoformat()
    assert card.number not in client.get(reverse("movement:cards"), {"valid_on": day}).content.decode()
    odd = client.get(reverse("movement:cards"), {"valid_on": "2012-99-99", "state": "nonsense", "page": "x"})
    assert odd.status_code == 200
    rows = read_xlsx(client.get(reverse("movement:card_export")).content)
    assert any(card.number in [str(c) for c in row] for row in rows)
    other = read_xlsx(client_of("other_commune").get(reverse("movement:card_export")).content)
    assert not any(card.number in [str(c) for c in row] for row in other)


def test_revoke_from_the_page(client_of, card):
    client = client_of("commune")
    url = reverse("movement:card_revoke", args=[card.pk])
    assert client.post(url, {"reason": ""}).status_code == 302
    card.refresh_from_db()
    assert card.revoked_at is None
    client.post(url, {"reason": "Vi phạm quy định"})
    client.post(url, {"reason": "Vi phạm quy định"})  # re-sent
    card.refresh_from_db()
    assert card.revoke_reason == "Vi phạm quy định"
    printed = client.get(reverse("movement:card_print", args=[card.pk])).content.decode()
    assert 'id="card-not-valid"' in printed


def test_printed_card_has_its_qr(client_of, card):
    page = client_of("commune").get(reverse("movement:card_print", args=[card.pk])).content.decode()
    assert "<svg" in page and "data-print" in page
    assert parse_card_qr(f"GL1|{card.number}|{card.plate}") == (card.number, card.plate)
    assert f"GL1|{card.number}|51C12345" in page
    assert parse_card_qr("CD1:xyz") is None


def trip_post(**extra):
    now = clock.now()
    data = {
        "card": "",
        "plate": "51C-123.45",
        "origin": "Tân Định",
        "destination": "25228",
        "departed_at": local(now - timedelta(hours=2)),
        "expected_at": local(now + timedelta(hours=3)),
        "people_on_board": "2",
        "client_id": "trip-1",
    }
    data.update(extra)
    return data


def test_record_trip_by_names_and_resend(client_of, card, world):
    client = client_of("commune")
    url = reverse("movement:trip_create")
    assert client.get(url, {"card": card.pk}).status_code == 200
    first = client.post(url, trip_post())
    assert first.status_code == 302, first.content.decode()[:3000]
    again = client.post(url, trip_post())
    assert again.url == first.url and Trip.objects.count() == 1
    trip = Trip.objects.get()
    assert trip.card == card and trip.origin == world.far_commune and trip.unit == world.commune
    page = client.get(first.url).content.decode()
    assert 'id="arrival-form"' in page


def test_trip_form_refusals_keep_input(client_of):
    client = client_of("commune")
    response = client.post(
        reverse("movement:trip_create"), trip_post(origin="Không có xã này", destination="25229", plate="??")
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Không có xã này" in text
    assert Trip.objects.count() == 0
    response = client.post(reverse("movement:trip_create"), trip_post(expected_at="garbage", people_on_board="0"))
    assert response.status_code == 200 and Trip.objects.count() == 0


def test_trip_pages_scope_and_passages(client_of, personas, world, card):
    from chongdich.movement.models import Checkpoint

    trip, _ = actions.do_create_trip(
        personas["commune"],
        card=card,
        origin=world.far_commune,
        destination=world.commune,
        departed_at=clock.now() - timedelta(hours=2),
        expected_at=clock.now() + timedelta(hours=3),
    )
    checkpoint = Checkpoint(code="CP-1", name="Chốt QL13", kind="province_border")
    checkpoint.place_in(world.border_commune)
    checkpoint.save()
    at = clock.now() - timedelta(hours=1)
    passage = Passage(
        at=at,
        day=timezone.localtime(at).date(),
        received_at=at,
        checkpoint=checkpoint,
        plate=trip.plate,
        action="through",
    )
    passage.place_in(world.border_commune)
    passage.save()
    url = reverse("movement:trip", args=[trip.pk])
    assert "Chốt QL13" in client_of("district").get(url).content.decode()
    commune_page = client_of("commune").get(url).content.decode()
    assert "Chốt QL13" not in commune_page  # a checkpoint outside the commune's area
    assert client_of("other_commune").get(url).status_code == 404
    assert client_of("other_commune").post(reverse("movement:trip_arrive", args=[trip.pk])).status_code == 404
    listed = client_of("commune").get(reverse("movement:trips"), {"status": "under_way"}).content.decode()
    assert "51C-123.45" in listed
    assert "51C-123.45" not in client_of("other_commune").get(reverse("movement:trips")).content.decode()
    assert client_of("commune").get(reverse("movement:trips"), {"status": "overdue"}).status_code == 200


def test_arrive_and_cancel_buttons(client_of, personas, world, card):
    trip, _ = actions.do_create_trip(
        personas["commune"],
        card=card,
        origin=world.far_commune,
        destination=world.commune,
        departed_at=clock.now() - timedelta(hours=2),
        expected_at=clock.now() + timedelta(hours=3),
    )
    client = client_of("commune")
    bad = client.post(reverse("movement:trip_arrive", args=[trip.pk]), {"at": "nonsense"})
    assert bad.status_code == 302
    trip.refresh_from_db()
    assert trip.state == TripState.UNDER_WAY
    client.post(reverse("movement:trip_arrive", args=[trip.pk]), {"at": local(clock.now())})
    client.post(reverse("movement:trip_arrive", args=[trip.pk]), {"at": local(clock.now())})  # re-sent
    trip.refresh_from_db()
    assert trip.state == TripState.ARRIVED
    response = client.post(reverse("movement:trip_cancel", args=[trip.pk]), {"reason": "x"}, follow=True)
    assert "không thể hủy" in response.content.decode().lower() or "đã đến" in response.content.decode()


def test_edit_a_trip_under_way(client_of, personas, world, card):
    trip, _ = actions.do_create_trip(
        personas["commune"],
        card=card,
        origin=world.far_commune,
        destination=world.commune,
        departed_at=clock.now() - timedelta(hours=2),
        expected_at=clock.now() + timedelta(hours=3),
    )
    client = client_of("commune")
    url = reverse("movement:trip_edit", args=[trip.pk])
    assert url in client.get(trip.get_absolute_url()).content.decode()
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"].initial["people_on_board"] == 1
    later = clock.now() + timedelta(hours=8)
    bad = client.post(url, {"expected_at": local(later), "people_on_board": "0"})
    assert bad.status_code == 200 and "people_on_board" in bad.context["form"].errors
    assert bad.context["form"]["people_on_board"].value() == "0"  # what was typed is kept
    early = client.post(url, {"expected_at": local(trip.departed_at - timedelta(hours=1)), "people_on_board": "2"})
    assert early.status_code == 200 and "expected_at" in early.context["form"].errors
    ok = client.post(url, {"expected_at": local(later), "people_on_board": "2", "goods": "Rau  xanh"})
    assert ok.status_code == 302
    trip.refresh_from_db()
    assert trip.people_on_board == 2 and trip.goods == "Rau xanh"
    assert abs((trip.expected_at - later).total_seconds()) < 60
    assert client_of("other_commune").get(url).status_code == 404  # another area: not found
    actions.do_confirm_arrival(personas["commune"], trip)
    done = client.post(url, {"expected_at": local(later), "people_on_board": "3"})
    assert done.status_code == 200 and "people_on_board" not in done.context["form"].errors
    trip.refresh_from_db()
    assert trip.people_on_board == 2  # an arrived trip no longer changes


# -- settings ---------------------------------------------------------------------------------------
def settings_post(**extra):
    data = {
        "province": "70",
        "alert_levels": ["orange", "red"],
        "watched_units": ["26734"],
        "trip_grace_minutes": "240",
        "checkin_stay_minutes": "60",
        "checkin_margin_minutes": "30",
        "action": "save",
    }
    data.update(extra)
    return data


def test_settings_read_by_all_edited_by_the_province(client_of, world):
    url = reverse("movement:settings")
    page = client_of("commune").get(url).content.decode()
    assert 'id="settings-read"' in page and 'id="settings-defaults"' in page
    assert client_of("commune").post(url, settings_post()).status_code == 404
    assert not MovementSetting.objects.exists()
    client = client_of("province")
    assert 'id="settings-form"' in client.get(url).content.decode()
    response = client.post(url, settings_post())
    assert response.status_code == 302
    client.post(url, settings_post())  # re-sent
    setting = MovementSetting.objects.get()
    assert setting.alert_levels == ["orange", "red"] and setting.watched_units == ["26734"]
    assert setting.trip_grace_minutes == 240
    read = client_of("commune").get(url).content.decode()
    assert "Phường Tân Định" in read and "240" in read


def test_settings_unit_search_and_validation(client_of, world):
    client = client_of("province")
    url = reverse("movement:settings")
    found = client.post(url, settings_post(action="find", unit_query="tan dinh", watched_units=[]))
    assert found.status_code == 200
    assert 'value="26734"' in found.content.decode()
    assert not MovementSetting.objects.exists()
    bad = client.post(url, settings_post(trip_grace_minutes="99999", alert_levels=["purple"], watched_units=["zz"]))
    assert bad.status_code == 200
    text = bad.content.decode()
    assert 'value="99999"' in text
    assert not MovementSetting.objects.exists()
    other = client.get(url, {"province": "79"})
    assert other.status_code == 404
