from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from chongdich.core import clock
from chongdich.core.audit import AuditEvent
from chongdich.movement.actions import greenlane as actions
from chongdich.movement.actions.settings import do_save_movement_settings
from chongdich.movement.models import Alert, AlertKind, AlertOutcome, AlertState, Checkpoint, GreenCard, Trip, TripState
from chongdich.movement.selectors.greenlane import trip_status
from chongdich.movement.tasks import raise_overdue_trips as overdue_task
from chongdich.tallies.engine import apply, contributions_of
from chongdich.tallies.models import DailyTally

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_alerts(monkeypatch):
    """The alerts helper's ``raise_alert`` as its contract says (idempotent per kind and source), until
    its module is merged; with it merged the real one runs (``real=True`` leaves it)."""
    if actions.raise_alert is not None and getattr(actions.raise_alert, "__module__", "").endswith("alerts"):
        return

    def raise_alert(kind, source_ref, unit, *, day, raised_at, trip=None, detail=None, **fields):
        if Alert.objects.filter(kind=kind, source_ref=source_ref).exists():
            return None
        alert = Alert(kind=kind, source_ref=source_ref, day=day, raised_at=raised_at, trip=trip, detail=detail or {})
        for name in ("full_name", "phone", "origin_commune_code", "origin_level"):
            setattr(alert, name, fields.get(name) or "")
        alert.place_in(unit)
        alert.save()
        apply(contributions_of([alert]))
        return alert

    monkeypatch.setattr(actions, "raise_alert", raise_alert)


def card_data(**extra):
    today = clock.today()
    data = {
        "plate": "51C-123.45",
        "vehicle_type": "truck",
        "operator": "Công ty Vận tải Phước Long",
        "driver_name": "Nguyễn Văn Tài",
        "driver_phone": "0912 345 678",
        "goods": "Rau củ quả",
        "essential": True,
        "itinerary": "TP.HCM – QL13 – Bù Gia Mập",
        "valid_from": today,
        "valid_to": today + timedelta(days=30),
    }
    data.update(extra)
    return data


def issue(personas, world, **extra):
    card, _created = actions.do_issue_card(personas["province"], unit=world.province, data=card_data(**extra))
    return card


def trip(personas, world, actor="commune", **extra):
    now = clock.now()
    fields = {
        "origin": world.far_commune,
        "destination": world.commune,
        "departed_at": now - timedelta(hours=2),
        "expected_at": now + timedelta(hours=3),
        "plate": "51C12345",
    }
    fields.update(extra)
    made, _created = actions.do_create_trip(personas[actor], **fields)
    return made


# -- cards ------------------------------------------------------------------------------------------
def test_issue_numbers_cards_per_province_and_year(personas, world):
    first = issue(personas, world)
    second = issue(personas, world, plate="29A1-234.56")
    year = clock.today().year
    assert first.number == f"70-{year}-000001"
    assert second.number == f"70-{year}-000002"
    assert first.plate == "51C12345" and second.plate == "29A123456"
    assert first.driver_phone == "0912345678"
    assert AuditEvent.objects.filter(object_type="movement.greencard", action="create").count() == 2


def test_typed_number_is_kept_and_unique(personas, world):
    card, _ = actions.do_issue_card(personas["province"], unit=world.province, data=card_data(), number=" bp-001 ")
    assert card.number == "BP-001"
    with pytest.raises(ValidationError) as refused:
        actions.do_issue_card(personas["province"], unit=world.province, data=card_data(), number="BP-001")
    assert "number" in refused.value.message_dict


def test_resent_issue_returns_the_first_card(personas, world):
    one, created = actions.do_issue_card(personas["province"], unit=world.province, data=card_data(), client_id="c-1")
    again, created_again = actions.do_issue_card(
        personas["province"], unit=world.province, data=card_data(), client_id="c-1"
    )
    assert (created, created_again) == (True, False)
    assert one == again and GreenCard.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("plate", "ABC"),
        ("plate", ""),
        ("driver_phone", "12"),
        ("operator", "  "),
        ("vehicle_type", "rocket"),
        ("valid_to", date(2019, 1, 1)),
        ("valid_from", None),
    ],
)
def test_card_refusals_name_the_field(personas, world, field, value):
    with pytest.raises(ValidationError) as refused:
        issue(personas, world, **{field: value})
    assert field in refused.value.message_dict


def test_card_validity_order_and_length(personas, world):
    today = clock.today()
    with pytest.raises(ValidationError) as refused:
        issue(personas, world, valid_from=today, valid_to=today - timedelta(days=1))
    assert "valid_to" in refused.value.message_dict


def test_card_outside_area_is_refused(personas, world):
    with pytest.raises(PermissionDenied):
        actions.do_issue_card(personas["commune"], unit=world.other_commune, data=card_data())
    with pytest.raises(PermissionDenied):
        actions.do_issue_card(personas["community"], unit=world.commune, data=card_data())


def test_update_and_revoke(personas, world):
    card = issue(personas, world)
    card = actions.do_update_card(personas["province"], card, data={"goods": "Thuốc men"})
    assert card.goods == "Thuốc men"
    with pytest.raises(PermissionDenied):
        actions.do_revoke_card(personas["commune"], card, reason="x")
    with pytest.raises(ValidationError):
        actions.do_revoke_card(personas["province"], card, reason="  ")
    revoked = actions.do_revoke_card(personas["province"], card, reason="Xe chở người trái phép")
    assert revoked.revoked_at is not None and revoked.revoke_reason == "Xe chở người trái phép"
    again = actions.do_revoke_card(personas["province"], card, reason="other")  # re-sent form
    assert again.revoked_at == revoked.revoked_at and again.revoke_reason == revoked.revoke_reason
    with pytest.raises(ValidationError):
        actions.do_update_card(personas["province"], card, data={"goods": "x"})


# -- trips ------------------------------------------------------------------------------------------
def test_trip_by_plate_links_the_valid_card(personas, world):
    card = issue(personas, world)
    made = trip(personas, world, plate="51c-123.45")
    assert made.card == card and made.plate == "51C12345"
    assert made.unit == world.commune and made.origin_path == world.far_commune.path
    assert made.driver_name == card.driver_name and made.goods == card.goods


def test_trip_refusals(personas, world):
    now = clock.now()
    with pytest.raises(ValidationError) as refused:
        trip(personas, world, expected_at=now - timedelta(hours=3))
    assert "expected_at" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        trip(personas, world, departed_at=now - timedelta(days=40), expected_at=now)
    assert "departed_at" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        trip(personas, world, actor="province", destination=world.district)
    assert "destination" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        trip(personas, world, plate="")
    assert "plate" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        trip(personas, world, people_on_board=0)
    assert "people_on_board" in refused.value.message_dict


def test_trip_to_another_area_needs_the_card_of_the_area(personas, world):
    with pytest.raises(PermissionDenied):
        trip(personas, world, destination=world.other_commune)  # commune officer, plate only
    card = issue(personas, world)
    made = trip(
        personas, world, actor="province", card=card, plate="", origin=world.commune, destination=world.far_commune
    )
    assert made.unit == world.far_commune and made.card == card


def test_one_trip_under_way_per_plate_and_resent_form(personas, world):
    first, created = actions.do_create_trip(
        personas["commune"],
        origin=world.far_commune,
        destination=world.commune,
        departed_at=clock.now() - timedelta(hours=1),
        expected_at=clock.now() + timedelta(hours=1),
        plate="51C12345",
        client_id="t-1",
    )
    again, created_again = actions.do_create_trip(
        personas["commune"],
        origin=world.far_commune,
        destination=world.commune,
        departed_at=clock.now() - timedelta(hours=1),
        expected_at=clock.now() + timedelta(hours=1),
        plate="51C12345",
        client_id="t-1",
    )
    assert (created, created_again) == (True, False) and first == again
    with pytest.raises(ValidationError) as refused:
        trip(personas, world)
    assert "plate" in refused.value.message_dict
    assert Trip.objects.count() == 1


def test_revoked_card_cannot_start_a_trip(personas, world):
    card = actions.do_revoke_card(personas["province"], issue(personas, world), reason="hết hạn hợp đồng")
    with pytest.raises(ValidationError) as refused:
        trip(personas, world, actor="province", card=card, plate="")
    assert "card" in refused.value.message_dict
    made = trip(personas, world)  # the plate alone: no valid card, no link
    assert made.card is None


def test_confirm_arrival_by_destination_only(personas, world):
    made = trip(personas, world)
    with pytest.raises(PermissionDenied):
        actions.do_confirm_arrival(personas["other_commune"], made)
    arrived = actions.do_confirm_arrival(personas["commune"], made)
    assert arrived.state == TripState.ARRIVED and arrived.confirmed_by == personas["commune"]
    again = actions.do_confirm_arrival(personas["commune"], made)  # re-sent
    assert again.arrived_at == arrived.arrived_at
    with pytest.raises(ValidationError):
        actions.do_cancel_trip(personas["commune"], made, reason="x")


def test_arrival_time_is_bounded(personas, world):
    made = trip(personas, world)
    with pytest.raises(ValidationError):
        actions.do_confirm_arrival(personas["commune"], made, at=made.departed_at - timedelta(minutes=1))
    with pytest.raises(ValidationError):
        actions.do_confirm_arrival(personas["commune"], made, at=clock.now() + timedelta(hours=1))


def test_confirm_at_checkpoint(personas, world):
    checkpoint = Checkpoint(code="CP-1", name="Chốt Bù Gia Mập", kind="province_border")
    checkpoint.place_in(world.border_commune)
    checkpoint.save()
    made = trip(personas, world)
    with pytest.raises(PermissionDenied):
        actions.do_confirm_arrival_at_checkpoint(personas["other_commune"], made, checkpoint, clock.now())
    arrived = actions.do_confirm_arrival_at_checkpoint(personas["checkpoint"], made, checkpoint, clock.now())
    assert arrived.state == TripState.ARRIVED and arrived.confirmed_at_checkpoint == checkpoint


def test_cancel(personas, world):
    made = trip(personas, world)
    with pytest.raises(ValidationError):
        actions.do_cancel_trip(personas["commune"], made, reason="")
    cancelled = actions.do_cancel_trip(personas["commune"], made, reason="Xe hỏng")
    assert cancelled.state == TripState.CANCELLED
    with pytest.raises(ValidationError):
        actions.do_confirm_arrival(personas["commune"], made)


# -- overdue ----------------------------------------------------------------------------------------
def overdue_trip(personas, world):
    now = clock.now()
    return trip(personas, world, departed_at=now - timedelta(hours=20), expected_at=now - timedelta(hours=7))


def test_overdue_alert_once_and_closed_by_arrival(personas, world, fake_alerts):
    late = trip(personas, world, plate="51C22222", expected_at=clock.now() - timedelta(minutes=30))
    made = overdue_trip(personas, world)
    assert trip_status(late) == "late" and trip_status(made) == "overdue"
    assert actions.raise_overdue_trips() == 1
    assert actions.raise_overdue_trips() == 0  # idempotent
    call_command("movement_overdue_trips")
    alert = Alert.objects.get()
    assert alert.kind == AlertKind.TRIP_OVERDUE and alert.trip == made and alert.unit == world.commune
    assert alert.source_ref == f"trip:{made.pk}"
    made.refresh_from_db()
    assert made.overdue_alerted
    day = timezone.localtime(alert.raised_at).date()
    assert DailyTally.objects.get(unit=world.commune, day=day).alerts_new == 1
    actions.do_confirm_arrival(personas["commune"], made)
    alert.refresh_from_db()
    assert alert.state == AlertState.DONE and alert.outcome == AlertOutcome.ARRIVED
    assert alert.owner == personas["commune"]
    assert DailyTally.objects.get(unit=world.commune, day=day).alerts_open == 0


def test_grace_of_the_province(personas, world, fake_alerts):
    made = overdue_trip(personas, world)  # 7 hours past expected
    do_save_movement_settings(
        personas["province"],
        world.province,
        {
            "alert_levels": ["red"],
            "watched_units": [],
            "trip_grace_minutes": 600,
            "checkin_stay_minutes": 60,
            "checkin_margin_minutes": 30,
        },
    )
    assert actions.raise_overdue_trips() == 0
    assert actions.raise_overdue_trips(clock.now() + timedelta(hours=4)) == 1
    made.refresh_from_db()
    assert made.overdue_alerted


def test_overdue_task_runs(personas, world, fake_alerts):
    overdue_trip(personas, world)
    result = overdue_task.enqueue()
    assert result.return_value == {"raised": 1}
    assert overdue_task.enqueue().return_value == {"raised": 0}
