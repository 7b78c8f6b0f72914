"""A small world for the checkpoint tests: a checkpoint at the border commune (the checkpoint officer's),
one in another province, a shift on duty now, a green-lane card, a vaccinated person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

TODAY = date(2021, 8, 20)  # CV 5187 in force: carded vehicles pass, others need a test ≤ 72 h
NOW = "2021-08-20T10:00"


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


@dataclass
class CheckpointWorld:
    checkpoint: object
    far_checkpoint: object
    shift: object
    card: object
    person: object
    officer: object


@pytest.fixture(name="cp_world")
def cp_world_fixture(world, personas, make_person, settings) -> CheckpointWorld:
    from chongdich.movement.actions.checkpoints import do_create_checkpoint, do_open_shift
    from chongdich.movement.models import GreenCard

    settings.CHONGDICH_TODAY = NOW
    officer = personas["checkpoint"]
    checkpoint, _ = do_create_checkpoint(
        officer,
        unit=world.border_commune,
        data={"name": "Chốt cửa ngõ Đắk Ơ", "kind": "province_border", "way": "road", "route": "ĐT741"},
    )
    far = _far_checkpoint(world)
    shift, _ = do_open_shift(
        officer,
        checkpoint,
        data={"starts_at": at(TODAY, 6), "ends_at": at(TODAY, 18), "leader": "Trung tá Lê Văn Chốt"},
        members=[
            {"full_name": "Nguyễn Văn Công", "force": "police", "phone": "+84912345678"},
            {"full_name": "Trần Thị Y", "force": "health", "phone": ""},
        ],
    )
    card = GreenCard(
        number="70-2021-000123",
        plate="51C12345",
        operator="Công ty Vận tải Sài Gòn",
        driver_name="Phạm Văn Lái",
        driver_phone="+84987654321",
        goods="Rau củ quả",
        itinerary="TP.HCM - Bình Phước",
        valid_from=TODAY - timedelta(days=10),
        valid_to=TODAY + timedelta(days=20),
    )
    card.place_in(world.far_province)
    card.save()
    person = make_person(unit=world.border_commune, full_name="Đỗ Văn Qua", cccd="070085001234", phone="+84911222333")
    return CheckpointWorld(checkpoint, far, shift, card, person, officer)


def _far_checkpoint(world):
    from chongdich.movement.models import Checkpoint

    far = Checkpoint(code="C26734-01", name="Chốt Quận 1", kind="internal", way="road")
    far.place_in(world.far_commune)
    far.save()
    return far


def passage_data(**extra) -> dict:
    data = {
        "direction": "in",
        "subject": "vehicle",
        "plate": "",
        "vehicle_type": "car",
        "people_on_board": 1,
        "origin": None,
        "destination": None,
        "declaration_shown": False,
        "test_result": "",
        "test_kind": "",
        "test_at": None,
        "full_name": "",
        "cccd": "",
        "phone": "",
        "colour": "",
        "temperature": None,
        "note": "",
        "action": "through",
    }
    data.update(extra)
    return data
