"""The passage screen in the browser at 360 px: the rules' advice and the green-lane card appear as the
officer types, the advised button is marked, a tap logs the passage; screenshots of the screen, the
shift page and the printed shift log (PDF rendered to PNG) at 360 and 1366 px."""

from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from chongdich.movement.actions.checkpoints import do_record_passage
from chongdich.movement.models import Passage
from tests.movement.checkpoint_world import TODAY, at, cp_world_fixture, passage_data  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_log_a_carded_truck_then_a_car_turned_back(page, live_server, login, cp_world):
    login("checkpoint")
    page.set_viewport_size({"width": 360, "height": 800})
    url = f"{live_server.url}{reverse('movement:passage_screen', args=[cp_world.checkpoint.pk])}"
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("label[for=id_vehicle_type_2]")  # truck
    page.fill("#id_plate", "51c 123.45")
    page.wait_for_selector("#card-box:not([hidden])")
    assert "70-2021-000123" in page.inner_text("#card-text")
    assert page.inner_text("#plate-display") == "51C-123.45"
    expect(page.locator("#advice-label")).to_have_text("Cho qua")
    assert "advised" in page.get_attribute("button[data-action=through]", "class")
    page.click("button[data-action=through]")
    page.wait_for_url(url)
    assert "Đã ghi: 51C-123.45 — Cho qua" in page.inner_text("main")
    saved = Passage.objects.get()
    assert saved.green_card_id == cp_world.card.pk and saved.advice == saved.action == "through"

    page.click("label[for=id_vehicle_type_1]")  # car
    page.fill("#id_plate", "60A-123.45")
    expect(page.locator("#advice-label")).to_have_text("Cho quay đầu")
    assert page.locator("#card-box").is_hidden()
    assert "advised" in page.get_attribute("button[data-action=turned_back]", "class")
    assert "advised" not in page.get_attribute("button[data-action=through]", "class")
    page.click("button[data-action=turned_back]")
    page.wait_for_url(url)
    assert Passage.objects.filter(plate="60A12345", action="turned_back", advice="turned_back").count() == 1
    assert page.inner_text("#today-total") == "2"


def test_commune_picker_suggests_without_diacritics(page, live_server, login, cp_world, world):
    login("checkpoint")
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}{reverse('movement:passage_screen', args=[cp_world.checkpoint.pk])}")
    page.fill("#id_origin", "tan dinh")
    expect(page.locator("#commune-options option")).not_to_have_count(0)
    assert page.eval_on_selector("#commune-options option", "o => o.value").startswith("Phường Tân Định")


def _passages(cp_world):
    rows = [
        passage_data(plate="51C-123.45", vehicle_type="truck", people_on_board=2),
        passage_data(
            plate="93C-111.22",
            declaration_shown=True,
            test_result="negative",
            test_kind="rat",
            test_at=at(TODAY, 7),
            full_name="Trần Văn Lái",
        ),
        passage_data(plate="60A-123.45", action="turned_back"),
        passage_data(subject="person", vehicle_type="", full_name="Điểu Thị Bộ", temperature=38, action="tested"),
        passage_data(plate="59-X1 123.45", vehicle_type="motorbike", direction="out", people_on_board=2),
        passage_data(
            plate="61C-456.78",
            vehicle_type="container",
            test_result="positive",
            test_kind="rat",
            test_at=at(TODAY, 6),
            action="quarantine",
        ),
    ]
    for i, data in enumerate(rows):
        do_record_passage(cp_world.officer, cp_world.checkpoint, data | {"at": at(TODAY, 8, 5 * i)})


def test_screenshots(page, live_server, login, cp_world, artifacts):
    import pypdfium2

    _passages(cp_world)
    login("checkpoint")
    screen = f"{live_server.url}{reverse('movement:passage_screen', args=[cp_world.checkpoint.pk])}"
    shift = f"{live_server.url}{reverse('movement:shift', args=[cp_world.shift.pk])}"
    for width in (360, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(screen)
        page.click("label[for=id_vehicle_type_1]")
        page.fill("#id_plate", "60A-123.45")
        expect(page.locator("#advice-label")).to_have_text("Cho quay đầu")
        page.screenshot(path=str(artifacts / f"movement-passage-screen-{width}.png"), full_page=True)
        page.goto(shift)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(artifacts / f"movement-shift-{width}.png"), full_page=True)
        page.goto(f"{live_server.url}{reverse('movement:shift_log', args=[cp_world.shift.pk])}")
        page.screenshot(path=str(artifacts / f"movement-shift-log-{width}.png"), full_page=True)
        page.goto(f"{live_server.url}{reverse('movement:checkpoint', args=[cp_world.checkpoint.pk])}")
        page.screenshot(path=str(artifacts / f"movement-checkpoint-{width}.png"), full_page=True)
    response = page.request.get(f"{live_server.url}{reverse('movement:shift_log_pdf', args=[cp_world.shift.pk])}")
    assert response.ok and response.body().startswith(b"%PDF")
    pdf = pypdfium2.PdfDocument(response.body())
    for index in range(len(pdf)):
        pdf[index].render(scale=1.5).to_pil().save(artifacts / f"movement-shift-log-pdf-{index + 1}.png")
    assert len(pdf) >= 1
    assert TODAY - timedelta(days=1) < TODAY
