"""A passage sent by a device gets the rules' advice like one typed on the passage screen, and an expired
or revoked green-lane card counts as no card (R-61)."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from chongdich.movement.models import GreenCard, Passage
from chongdich.movement.selectors.checkpoints import advice_for

pytestmark = pytest.mark.django_db


def _passage(world, card=None, at=None):
    passage = Passage(
        at=at or timezone.make_aware(datetime(2021, 8, 20, 9, 0)),
        subject="vehicle",
        vehicle_type="truck",
        green_card=card,
        action="through",
    )
    passage.day = timezone.localtime(passage.at).date()
    passage.place_in(world.commune)
    return passage


def _card(world, **changes):
    values = {
        "number": f"70-2021-{GreenCard.objects.count() + 1:06d}",
        "plate": "51C12345",
        "operator": "Công ty Vận tải",
        "driver_name": "Lê Văn Lái",
        "driver_phone": "0912345678",
        "goods": "Rau củ",
        "essential": True,
        "itinerary": "TP.HCM – Bù Gia Mập",
        "valid_from": datetime(2021, 8, 1).date(),
        "valid_to": datetime(2021, 8, 31).date(),
    }
    card = GreenCard(**(values | changes))
    card.place_in(world.commune)
    card.save()
    return card


def test_a_valid_essential_card_passes_an_expired_or_revoked_one_does_not(world):
    valid = _card(world)
    assert advice_for(_passage(world, valid)).action == "through"
    expired = _card(world, valid_to=datetime(2021, 8, 19).date())
    revoked = _card(world, revoked_at=timezone.make_aware(datetime(2021, 8, 20, 8, 0)))
    assert advice_for(_passage(world, expired)).action != "through"
    assert advice_for(_passage(world, revoked)).action != "through"
    revoked_later = _card(world, revoked_at=timezone.make_aware(datetime(2021, 8, 20, 8, 0)) + timedelta(days=1))
    assert advice_for(_passage(world, revoked_later)).action == "through"
