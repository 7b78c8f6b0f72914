"""Venues in a browser: the public check-in page on a 360 px phone (first time: phone and name; the next
time one tap, the name remembered on the device; "Change" shows the fields again; the confirmation
with the venue, the time and the tick), the QR poster (page, and the PDF drawn as an image), the staff
scan page and the venue page at 360 and 1366 px — screenshots, nothing wider than the screen, no
console error."""

from __future__ import annotations

from datetime import date, datetime

import pypdfium2
import pytest
from django.core.cache import cache
from django.utils import timezone

from chongdich.movement.actions.venues import do_create_venue
from chongdich.movement.ingest import save_events
from chongdich.movement.models import CheckIn
from chongdich.surveillance.actions import do_confirm_case

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def venues(world, personas, settings):
    settings.CHONGDICH_TODAY = "2021-08-20T14:00:00+07:00"
    cache.clear()
    market, _ = do_create_venue(
        personas["commune"],
        unit=world.village,
        data={"name": "Chợ Đức Hạnh", "kind": "market", "address": "Tổ 3, Thôn 1", "active": True},
    )
    office, _ = do_create_venue(
        personas["commune"],
        unit=world.commune,
        data={"name": "UBND xã Đức Hạnh", "kind": "office", "temperature_check": True, "active": True},
    )
    return market, office


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_public_checkin_on_a_phone(page, live_server, venues, artifacts, no_console_errors):
    market, office = venues
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/movement/c/{market.code}/")
    assert page.inner_text("#venue-name") == "Chợ Đức Hạnh" and _fits(page)
    page.screenshot(path=str(artifacts / "movement-checkin-first-360.png"), full_page=True)
    page.fill("#id_phone", "0912 345 678")
    page.fill("#id_full_name", "Trần Thị Bình")
    page.click("#checkin-in")
    page.wait_for_selector("#checkin-done")
    assert page.inner_text("#done-venue") == "Chợ Đức Hạnh" and "14:00" in page.inner_text("#done-time")
    assert _fits(page)
    page.screenshot(path=str(artifacts / "movement-checkin-done-360.png"), full_page=True)

    # The next time, at another venue: the name is remembered, one tap.
    page.goto(f"{live_server.url}/movement/c/{office.code}/")
    assert page.locator("[data-checkin-remembered]").is_visible()
    assert not page.locator("#id_phone").is_visible()
    assert page.inner_text("[data-checkin-name]") == "Trần Thị Bình"
    page.fill("#id_temperature", "36,8")
    assert _fits(page)
    page.screenshot(path=str(artifacts / "movement-checkin-remembered-360.png"), full_page=True)
    page.click("#checkin-in")
    page.wait_for_selector("#checkin-done")
    assert "36,8" in page.inner_text("#done-temperature")
    page.click("#checkout")
    page.wait_for_selector(".checkin-done-out")
    rows = list(CheckIn.objects.order_by("pk").values_list("venue_id", "direction", "phone", "full_name"))
    assert rows == [
        (market.pk, "in", "+84912345678", "Trần Thị Bình"),
        (office.pk, "in", "+84912345678", "Trần Thị Bình"),
        (office.pk, "out", "+84912345678", "Trần Thị Bình"),
    ]

    # "Change" shows the fields again; a mistake is shown on the field, what was typed kept.
    page.goto(f"{live_server.url}/movement/c/{market.code}/")
    page.click("[data-checkin-edit]")
    page.fill("#id_phone", "12345")
    page.click("#checkin-in")
    page.wait_for_selector("#id_phone_error")
    assert page.input_value("#id_full_name") == "Trần Thị Bình"
    page.screenshot(path=str(artifacts / "movement-checkin-error-360.png"), full_page=True)

    page.goto(f"{live_server.url}/movement/c/NOTACODE/")
    assert "Không tìm thấy mã" in page.inner_text("main")
    # The answers the outbox reads: 400 for the mistake, 404 for the unknown code (nothing else failed).
    expected = [e for e in no_console_errors if "status of 400" in e or "status of 404" in e]
    assert len(expected) == 2
    for error in expected:
        no_console_errors.remove(error)


@pytest.mark.parametrize("width", [360, 1366])
def test_venue_poster_and_scan_pages(page, live_server, login, venues, artifacts, width):
    market, office = venues
    page.set_viewport_size({"width": width, "height": 900})
    login("commune")
    page.goto(f"{live_server.url}/movement/venues/{office.pk}/")
    assert office.code in page.inner_text("#venue-code") and _fits(page)
    page.screenshot(path=str(artifacts / f"movement-venue-{width}.png"), full_page=True)
    page.goto(f"{live_server.url}/movement/venues/{office.pk}/scan/")
    page.fill("#id_code", "0987 654 321")
    page.fill("#id_full_name", "Phạm Văn Dũng")
    page.fill("#id_temperature", "38,1")
    page.click("#scan-submit")
    page.wait_for_selector("#scan-done")
    assert "Phạm Văn Dũng" in page.inner_text("#scan-done") and _fits(page)
    page.screenshot(path=str(artifacts / f"movement-scan-{width}.png"), full_page=True)
    page.goto(f"{live_server.url}/movement/venues/{market.pk}/poster/")
    assert page.locator("#poster svg").is_visible()
    page.screenshot(path=str(artifacts / f"movement-poster-page-{width}.png"), full_page=True)
    if width == 1366:
        pdf = page.request.get(f"{live_server.url}/movement/venues/{market.pk}/poster.pdf")
        document = pypdfium2.PdfDocument(pdf.body())
        assert len(document) == 1
        document[0].render(scale=1.5).to_pil().save(artifacts / "movement-poster-pdf.png")


@pytest.mark.parametrize("width", [360, 1366])
def test_candidates_on_the_tracing_page(
    page, live_server, login, world, personas, make_person, venues, artifacts, width
):
    market, _office = venues
    patient = make_person(full_name="Nguyễn Văn Ca", phone="+84911000000")
    case, _ = do_confirm_case(
        personas["health"], patient, confirmed_on=date(2021, 8, 18), symptomatic=True, onset_date=date(2021, 8, 16)
    )
    make_person(full_name="Lê Thị Dung", phone="+84922000009")
    rows = []
    for phone, name, minute in (
        ("+84911000000", "Ca", 0),
        ("+84922000009", "Dung", 10),
        ("+84922000013", "Hoàng Văn Giang", 20),
    ):
        when = timezone.make_aware(datetime(2021, 8, 15, 10, minute))
        row = CheckIn(at=when, day=when.date(), received_at=when, venue=market, phone=phone, full_name=name)
        row.place_in(market.unit)
        rows.append(row)
    save_events(CheckIn, rows)
    page.set_viewport_size({"width": width, "height": 900})
    login("health")
    page.goto(f"{live_server.url}/cases/{case.pk}/tracing/")
    assert page.locator("#candidates-table tbody tr").count() == 2 and _fits(page)
    page.screenshot(path=str(artifacts / f"movement-candidates-{width}.png"), full_page=True)
    page.locator("#candidates-table tbody tr", has_text="Lê Thị Dung").locator("button.btn-danger").click()
    page.wait_for_selector("#candidates-table tbody tr >> nth=0")
    assert page.locator("#candidates-table tbody tr").count() == 1
    assert "Lê Thị Dung" in page.inner_text("main")  # now on the contact list
