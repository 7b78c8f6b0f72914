"""The demo's movement data: written through the live writer (no duplicate on a second write of the same
rows), alerts raised by the rules and worked through the one-click actions, tallies equal to a rebuild."""

from datetime import date

import pytest
from django.db import transaction
from django.test import override_settings

TODAY = date(2021, 12, 10)


def silent(message: str) -> None:
    pass


@pytest.fixture(scope="module")
def movement(django_db_setup, django_db_blocker):
    from chongdich.accounts.models import User
    from chongdich.demo.generate import assess_recent_days, declare_readiness, generate
    from chongdich.demo.movement import generate_movement
    from chongdich.demo.outbreak import generate_outbreak
    from chongdich.territory.models import AdminUnit

    with django_db_blocker.unblock(), override_settings(CHONGDICH_TODAY=f"{TODAY.isoformat()}T20:00"):
        with transaction.atomic():
            generate(people=2500, seed=2021, say=silent)
            admin = User.objects.get(username="admin")
            generate_outbreak(admin, TODAY, seed=2021, limit=60, say=silent)
            declare_readiness(admin, AdminUnit.objects.get(code="691"))
            assess_recent_days(TODAY, days=2, say=silent)
            yield generate_movement(admin, TODAY, seed=2021, say=silent)
            transaction.set_rollback(True)


@pytest.fixture
def demo(movement, db, settings):
    settings.CHONGDICH_TODAY = f"{TODAY.isoformat()}T20:00"
    return movement


def test_every_part_has_data(demo):
    for name in ("checkpoints", "passages", "cards", "trips", "venues", "checkins", "declarations", "alerts"):
        assert demo[name] > 0, name
    assert demo["alerts handled"] > 0


def test_alerts_follow_their_sources(demo):
    from chongdich.movement.models import Alert, AlertKind, Declaration, Passage

    watched = Declaration.objects.filter(from_watched_area=True).count()
    symptomatic = Declaration.objects.filter(symptomatic=True).count()
    inbound = Passage.objects.filter(from_watched_area=True, direction="in").exclude(action="turned_back").count()
    assert watched and symptomatic
    assert Alert.objects.filter(kind=AlertKind.SYMPTOMS).count() == symptomatic
    assert Alert.objects.filter(kind=AlertKind.WATCHED_ARRIVAL).count() == watched + inbound
    assert Alert.objects.filter(kind=AlertKind.TRIP_OVERDUE).count() == 1
    ordered = [a for a in Alert.objects.filter(outcome__in=["quarantine", "monitoring"]) if a.detail.get("order")]
    sampled = [a for a in Alert.objects.filter(outcome="tested") if a.detail.get("sample")]
    assert ordered and sampled  # the one-click actions made real orders and samples


def test_a_second_write_of_the_same_rows_adds_nothing(demo):
    from chongdich.movement import ingest
    from chongdich.movement.models import CheckIn

    rows = list(CheckIn.objects.order_by("pk")[:50])
    before = CheckIn.objects.count()
    for row in rows:
        row.pk = None
        row._state.adding = True
    saved = ingest.save_events(CheckIn, rows)
    assert all(s.replayed for s in saved)
    assert CheckIn.objects.count() == before


def test_tallies_equal_a_rebuild(demo):
    from chongdich.tallies.rebuild import differences

    assert differences() == {}
