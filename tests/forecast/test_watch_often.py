"""The watch's frequent rules (the other apps' alerts): overdue green-lane trips, open movement alerts,
serious reactions after vaccination not acknowledged, overdue response tasks, home-care warning signs.
Each is sent once per record, to the record's area only, never with a person's name; the check is cheap
when nothing is new; the task keeps its own chain going."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from chongdich.care.models import Alert as CareAlert
from chongdich.forecast import tasks
from chongdich.forecast.watch import fire, fire_often, kinds, often_report
from chongdich.movement.models import Alert, AlertKind, AlertState, Trip, TripState
from chongdich.notices.models import Mute, Notice
from chongdich.vaccination.actions.aefi import do_acknowledge_aefi, do_report_aefi
from tests.dashboard.world import task
from tests.forecast.watch_world import TODAY, received, receivers, watch_people_fixture  # noqa: F401
from tests.vaccination.stock_fixtures import give, stock_world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def now():
    return timezone.make_aware(datetime.combine(TODAY, time(10)))


def trip(world, unit, *, expected_hours_ago=10, state=TripState.UNDER_WAY, plate="93C12345"):
    item = Trip(
        plate=plate,
        driver_name="Lê Văn Tài",
        driver_phone="+84912345678",
        origin=world.far_commune,
        departed_at=now() - timedelta(hours=expected_hours_ago + 5),
        expected_at=now() - timedelta(hours=expected_hours_ago),
        state=state,
    )
    item.place_in(unit)
    item.save()
    return item


def movement_alert(unit, kind=AlertKind.SYMPTOMS, *, state=AlertState.NEW, ref="declaration:1", days_ago=0):
    item = Alert(
        kind=kind,
        state=state,
        source_ref=ref,
        raised_at=now() - timedelta(days=days_ago, hours=1),
        day=TODAY - timedelta(days=days_ago),
        full_name="Trần Thị Bình",
        phone="+84901234567",
    )
    item.place_in(unit)
    item.save()
    return item


# -- trips ----------------------------------------------------------------------------------------------
def test_an_overdue_trip_is_sent_once_to_its_destination_commune(world, watch_people):
    overdue = trip(world, world.commune)
    trip(world, world.commune, expected_hours_ago=2, plate="93C11111")  # within the 6 hours' grace
    trip(world, world.commune, state=TripState.ARRIVED, plate="93C22222")
    trip(world, world.commune, expected_hours_ago=24 * 20, plate="93C33333")  # left to the lists
    assert fire_often(now()) == 1
    notice = Notice.objects.get(kind=kinds.TRIP_OVERDUE.code)
    assert notice.key == f"trip-overdue:{overdue.pk}" and notice.link == overdue.get_absolute_url()
    params = json.dumps(notice.params)
    assert "93C12345" not in params and "Lê Văn Tài" not in params and "+8491" not in params
    # the commune's committee, health staff and checkpoint officer; not the checkpoint officer of
    # another commune, not the sibling commune
    assert receivers(kinds.TRIP_OVERDUE.code) == {"commune", "health", "guard"}
    assert fire_often(now()) == 0
    assert fire_often(now() + timedelta(hours=1)) == 0


# -- movement alerts ------------------------------------------------------------------------------------
def test_open_movement_alerts_one_kind_each(world, watch_people):
    symptoms = movement_alert(world.commune, AlertKind.SYMPTOMS, ref="declaration:1")
    movement_alert(world.commune, AlertKind.WATCHED_ARRIVAL, ref="declaration:2")
    movement_alert(world.other_commune, AlertKind.UNDECLARED, ref="report:3")
    movement_alert(world.commune, AlertKind.SYMPTOMS, ref="declaration:4", state=AlertState.TAKEN)  # on it
    movement_alert(world.commune, AlertKind.TRIP_OVERDUE, ref="trip:5")  # the trips rule's
    movement_alert(world.commune, AlertKind.SYMPTOMS, ref="declaration:6", days_ago=30)  # old
    assert fire_often(now()) == 3
    notice = Notice.objects.get(kind=kinds.SYMPTOMS.code)
    assert notice.key == f"movement-alert:{symptoms.pk}" and notice.link == symptoms.get_absolute_url()
    assert "Trần" not in json.dumps(notice.params) and "+849" not in json.dumps(notice.params)
    assert receivers(kinds.SYMPTOMS.code) == {"commune", "health"}
    assert receivers(kinds.ARRIVAL.code) == {"commune", "health"}
    assert receivers(kinds.UNDECLARED.code) == {"other_commune", "other_health"}
    assert fire_often(now()) == 0


def test_a_muted_movement_kind_is_not_received(world, watch_people):
    Mute.objects.create(user=watch_people["health"], kind=kinds.ARRIVAL.code)
    movement_alert(world.commune, AlertKind.WATCHED_ARRIVAL, ref="declaration:2")
    movement_alert(world.commune, AlertKind.SYMPTOMS, ref="declaration:1")
    fire_often(now())
    assert received(watch_people["health"], kinds.ARRIVAL.code) == 0
    assert received(watch_people["health"], kinds.SYMPTOMS.code) == 1
    assert received(watch_people["commune"], kinds.ARRIVAL.code) == 1


# -- AEFI -----------------------------------------------------------------------------------------------
def aefi_data(severity="serious"):
    return {
        "onset_at": now() - timedelta(hours=12),
        "manifestation": "Sốc phản vệ",
        "severity": severity,
        "treatment": "Adrenalin",
        "outcome": "recovering",
        "reporter": "Y sĩ Lan",
        "causality": "pending",
        "note": "",
    }


def test_a_serious_reaction_reaches_the_district_until_acknowledged(stock_world, watch_people, world):
    dose = give(stock_world.site, stock_world.lot, stock_world.person, TODAY - timedelta(days=1))[0]
    serious, _ = do_report_aefi(watch_people["commune"], dose, data=aefi_data())
    do_report_aefi(watch_people["commune"], dose, data=aefi_data("minor"))
    assert fire_often() == 1
    notice = Notice.objects.get(kind=kinds.AEFI_SERIOUS.code)
    assert notice.unit_id == world.district.pk and notice.severity == "danger"
    assert notice.link == serious.get_absolute_url()
    assert "Đỗ Thị Tiêm" not in json.dumps(notice.params)
    # the district's (and province's) people: the inbox's; the commune that reported it already knows
    assert receivers(kinds.AEFI_SERIOUS.code) == {"district", "province"}
    assert fire_often() == 0
    second, _ = do_report_aefi(watch_people["commune"], dose, data=aefi_data())
    do_acknowledge_aefi(watch_people["district"], second)
    assert fire_often() == 0  # acknowledged before the watch saw it: nothing to send


# -- response tasks -------------------------------------------------------------------------------------
def test_an_overdue_response_task_once_per_deadline(world, watch_people):
    late = task(world.district, "Chuẩn bị khu cách ly tập trung", now() - timedelta(hours=3))
    task(world.district, "Xét nghiệm diện rộng", now() + timedelta(hours=3))  # not due yet
    task(world.district, "Phong tỏa", now() - timedelta(hours=3), status="done")
    task(world.far_commune, "Khác", now() - timedelta(hours=3))  # another province
    assert fire_often(now()) == 2
    notice = Notice.objects.get(kind=kinds.TASK_OVERDUE.code, unit=world.district)
    assert notice.params["what"] == "Chuẩn bị khu cách ly tập trung"
    assert receivers(kinds.TASK_OVERDUE.code) == {"district", "province"}
    assert fire_often(now()) == 0
    late.deadline = now() + timedelta(hours=1)  # a new deadline, missed again
    late.save()
    assert fire_often(now() + timedelta(hours=2)) == 1


# -- home care ------------------------------------------------------------------------------------------
def test_home_care_warning_signs(world, watch_people, make_person):
    person = make_person(full_name="Phạm Văn Ốm", unit=world.village)
    alert = CareAlert(person=person, message="SpO2 92%", signs=["spo2"], raised_at=now() - timedelta(minutes=20))
    alert.place_in(world.village)
    alert.save()
    done = CareAlert(person=person, message="Sốt", raised_at=now() - timedelta(hours=5), resolved_at=now())
    done.place_in(world.village)
    done.save()
    assert fire_often(now()) == 1
    notice = Notice.objects.get(kind=kinds.CARE_WARNING.code)
    assert notice.link == f"/care/people/{person.pk}/" and notice.severity == "danger"
    assert "Phạm" not in json.dumps(notice.params) and "SpO2" not in json.dumps(notice.params)
    # the village's community team, the commune's committee and health staff; not the sibling commune
    assert receivers(kinds.CARE_WARNING.code) == {"community", "commune", "health"}
    assert fire_often(now()) == 0


# -- running often --------------------------------------------------------------------------------------
def test_nothing_new_is_cheap(world, watch_people, django_assert_max_num_queries):
    for n in range(30):
        movement_alert(world.commune, AlertKind.SYMPTOMS, ref=f"declaration:{n}")
    trip(world, world.commune)
    assert fire_often(now()) == 31
    # a run with nothing new: one query per rule for its records and one for the keys already sent
    with django_assert_max_num_queries(12):
        assert fire_often(now()) == 0


def test_the_nightly_fire_runs_the_frequent_rules_too(world, watch_people):
    movement_alert(world.commune, AlertKind.SYMPTOMS)
    assert fire(TODAY) == 1
    assert fire(TODAY) == 0


def test_the_task_runs_and_reports(world, watch_people):
    movement_alert(world.commune, AlertKind.SYMPTOMS)
    result = tasks.watch_often.enqueue()
    assert result.return_value["movement"] == 1
    assert often_report()["movement"] == 0
    assert tasks.schedule_watch() is False  # the immediate backend cannot defer: nothing queued
    assert tasks.next_watch_run(now()) == now() + tasks.WATCH_EVERY
