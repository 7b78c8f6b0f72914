from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from chongdich.movement.models import GreenCard, MovementSetting
from chongdich.movement.selectors.greenlane import valid_card
from chongdich.movement.selectors.settings import setting_for

pytestmark = pytest.mark.django_db


def _card(world, **extra):
    fields = dict(
        number="70-2026-000001",
        plate="51C12345",
        operator="Công ty Vận tải A",
        driver_name="Nguyễn Văn A",
        driver_phone="0912345678",
        goods="Rau củ",
        itinerary="TP.HCM - Bình Phước",
        valid_from=date(2026, 12, 1),
        valid_to=date(2026, 12, 31),
    )
    fields.update(extra)
    card = GreenCard(**fields)
    card.place_in(world.province)
    card.save()
    return card


def _at(day, hour=12):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def test_valid_card_by_plate_and_day(world):
    card = _card(world)
    assert valid_card("51C-123.45", _at(date(2026, 12, 7))) == card
    assert valid_card("51c12345", _at(date(2026, 12, 31), 23)) == card
    assert valid_card("51C12345", _at(date(2027, 1, 1), 1)) is None
    assert valid_card("51C12346", _at(date(2026, 12, 7))) is None
    assert valid_card("", _at(date(2026, 12, 7))) is None


def test_revoked_card_is_valid_before_its_revocation_only(world):
    at = _at(date(2026, 12, 7))
    card = _card(world, revoked_at=at)
    assert valid_card("51C12345", at - timedelta(minutes=1)) == card
    assert valid_card("51C12345", at) is None


def test_setting_for_defaults_unsaved(world):
    setting = setting_for("70")
    assert setting.pk is None
    assert setting.alert_levels == ["red"]
    assert setting.trip_grace_minutes == 360
    assert setting.unit == world.province
    assert setting_for("").pk is None


def test_setting_for_saved(world):
    saved = MovementSetting(alert_levels=["orange", "red"], trip_grace_minutes=120)
    saved.place_in(world.province)
    saved.save()
    assert setting_for("70") == saved
    assert setting_for("79").pk is None
