"""The green lane and the movement settings in a browser at 360 and 1366 px (screenshots, nothing wider
than the screen, no console error): a card issued through its form, its printed card with the QR code,
a trip recorded by commune names, confirmed on arrival, the lists; the province's settings with the
unit search."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _shot(page, artifacts, name, width):
    assert _fits(page), f"{name} is wider than {width} px"
    page.screenshot(path=str(artifacts / f"greenlane-{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", [360, 1366])
def test_card_trip_and_settings(page, live_server, login, world, personas, artifacts, width):
    from chongdich.core import clock
    from chongdich.movement.models import GreenCard, Trip

    page.set_viewport_size({"width": width, "height": 900})
    login("commune")
    page.goto(f"{live_server.url}/movement/green-lane/cards/new/")
    page.select_option("#id_unit", "25228")
    page.fill("#id_plate", "51C-123.45")
    page.fill("#id_operator", "Công ty TNHH Vận tải Hàng hóa Phước Long")
    page.fill("#id_driver_name", "Nguyễn Văn Tài")
    page.fill("#id_driver_phone", "0912 345 678")
    page.fill("#id_goods", "Rau củ quả, lương thực")
    page.fill("#id_itinerary", "TP. Hồ Chí Minh – QL13 – Đồng Xoài – Bù Gia Mập")
    page.fill("#id_valid_to", (clock.today() + timedelta(days=30)).isoformat())
    _shot(page, artifacts, "card-form", width)
    page.click("#card-form button[type=submit]")
    card = GreenCard.objects.get()
    page.wait_for_url(f"{live_server.url}/movement/green-lane/cards/{card.pk}/")
    _shot(page, artifacts, "card", width)

    page.goto(f"{live_server.url}/movement/green-lane/cards/{card.pk}/print/")
    assert page.locator("#green-card svg.qr").is_visible()
    assert page.inner_text("#gl-plate") == "51C-123.45"
    _shot(page, artifacts, "card-print", width)
    # As printed on A6 landscape (148 × 105 mm at 96 dpi, 5 mm margins): the whole card on the sheet.
    page.set_viewport_size({"width": 521, "height": 359})
    page.emulate_media(media="print")
    assert page.locator(".gl-valid").is_visible() and page.locator("#green-card svg.qr").is_visible()
    page.screenshot(path=str(artifacts / f"greenlane-card-a6-{width}.png"), full_page=True)
    bottom = page.evaluate("document.getElementById('green-card').getBoundingClientRect().bottom")
    assert bottom <= 359, bottom
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(f"{live_server.url}/movement/green-lane/trips/new/?card={card.pk}")
    page.fill("#id_origin", "tan dinh")
    page.fill("#id_destination", "Đức Hạnh")
    expected = timezone.localtime(clock.now() + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M")
    page.fill("#id_expected_at", expected)
    page.fill("#id_people_on_board", "2")
    page.click("#trip-form button[type=submit]")
    trip = Trip.objects.get()
    page.wait_for_url(f"{live_server.url}/movement/green-lane/trips/{trip.pk}/")
    assert trip.card == card
    _shot(page, artifacts, "trip", width)
    page.click("#arrival-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/movement/green-lane/trips/{trip.pk}/")
    assert page.locator("#trip-arrived").is_visible()
    page.goto(f"{live_server.url}/movement/green-lane/trips/")
    assert page.locator("#trips-table tbody tr").count() == 1
    _shot(page, artifacts, "trips", width)
    page.goto(f"{live_server.url}/movement/green-lane/cards/")
    assert page.locator("#cards-table tbody tr").count() == 1
    _shot(page, artifacts, "cards", width)

    page.context.clear_cookies()
    login("province")
    page.goto(f"{live_server.url}/movement/settings/")
    page.fill("#id_unit_query", "tan dinh")
    page.click("button[name=action][value=find]")
    page.check("#watched-units input[value='26734']")
    page.fill("#id_trip_grace_minutes", "240")
    _shot(page, artifacts, "settings", width)
    page.click("button[name=action][value=save]")
    page.wait_for_url(f"{live_server.url}/movement/settings/?province=70")
    assert page.locator("#watched-units input[value='26734']").is_checked()
