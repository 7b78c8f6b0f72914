"""Raising alerts: from declarations and passages through the event writer, once per source, with
the care rules' plan, the alerts' tallies kept; the origin's status from the published levels."""

from __future__ import annotations

from datetime import date

import pytest

from chongdich.care.plans import f1_plan
from chongdich.movement.actions.alerts import arrival_plan, raise_alert
from chongdich.movement.models import Alert, AlertKind, MovementSetting
from chongdich.movement.selectors.watch import origin_status
from chongdich.tallies.models import DailyTally
from tests.movement.alerts_world import (
    at,
    checkpoint,
    declaration,
    passage,
    publish_level,
    save_declarations,
    save_passages,
)

pytestmark = pytest.mark.django_db
DAY = date(2021, 8, 10)


def tally_of(unit, day, field):
    row = DailyTally.objects.filter(unit=unit, day=day).first()
    return getattr(row, field) if row else 0


def test_declaration_from_epidemic_area_raises_arrival_with_plan(world):
    saved = save_declarations([declaration(world.village, DAY, watched=True, origin="26734", client_id="d-1")])
    alert = Alert.objects.get()
    assert alert.kind == AlertKind.WATCHED_ARRIVAL and alert.unit == world.village
    assert alert.source_ref == f"declaration:{saved[0].record.pk}"
    plan = alert.detail["plan"]
    expected = f1_plan(DAY, province="70")
    assert plan["place"] == "concentrated" == str(expected.place) and plan["days"] == expected.days > 0
    assert plan["start"] == "2021-08-10" and plan["end"] == expected.end.isoformat()
    assert plan["rule_version"] and plan["test_days"]
    assert tally_of(world.commune, DAY, "alerts_new") == 1 and tally_of(world.commune, DAY, "alerts_open") == 1
    # the same client id re-sent: no second declaration, no second alert
    again = save_declarations([declaration(world.village, DAY, watched=True, origin="26734", client_id="d-1")])
    assert again[0].replayed and Alert.objects.count() == 1
    assert tally_of(world.commune, DAY, "alerts_new") == 1


def test_symptoms_raise_a_symptoms_alert_and_both_when_both(world):
    save_declarations([declaration(world.commune, DAY, symptoms=["fever"])])
    assert list(Alert.objects.values_list("kind", flat=True)) == ["symptoms"]
    save_declarations([declaration(world.commune, DAY, watched=True, origin="26734", symptoms=["cough"])])
    assert sorted(Alert.objects.values_list("kind", flat=True)) == ["arrival", "symptoms", "symptoms"]
    assert Alert.objects.get(kind="symptoms", detail__symptoms=["fever"]).detail["symptoms"] == ["fever"]


def test_plain_declaration_raises_nothing(world):
    save_declarations([declaration(world.commune, DAY)])
    assert not Alert.objects.exists()


def test_raise_alert_is_idempotent_per_source(world):
    first = raise_alert("undeclared", "report:x", world.village, day=DAY, raised_at=at(DAY))
    assert first is not None and first.unit == world.village
    assert raise_alert("undeclared", "report:x", world.commune, day=DAY, raised_at=at(DAY)) is None
    assert raise_alert("undeclared", "", world.commune, day=DAY, raised_at=at(DAY)) is None
    assert raise_alert("undeclared", "report:y", None, day=DAY, raised_at=at(DAY)) is None
    assert Alert.objects.count() == 1


def test_inbound_passage_alerts_the_destination(world):
    cp = checkpoint(world.border_commune)
    save_passages(
        [
            passage(cp, DAY, watched=True, destination="25228"),
            passage(cp, DAY, watched=True, action="turned_back"),
            passage(cp, DAY, watched=True, direction="out"),
            passage(cp, DAY, watched=False),
            passage(cp, DAY, watched=True),  # no destination: the checkpoint's commune
        ]
    )
    assert sorted(Alert.objects.values_list("commune_code", flat=True)) == ["25222", "25228"]
    alert = Alert.objects.get(commune_code="25228")
    assert alert.detail["plate"] == "51C12345" and alert.detail["plan"]["days"] == f1_plan(DAY, province="70").days


def test_arrival_plan_after_1909_is_self_monitoring():
    plan = arrival_plan(date(2022, 5, 2), "70")
    assert plan["place"] == "none" and plan["days"] == 0 and plan["self_monitor_until"]


def test_origin_status_reads_the_level_in_force_and_the_setting(world):
    assert origin_status("26734", DAY) == origin_status("26734", DAY)  # nothing published
    assert not origin_status("26734", DAY).watched and origin_status("", DAY).level_colour is None
    publish_level(world.far_province, DAY, 4)
    status = origin_status("26734", DAY, province_code="70")
    assert status.level_colour == "red" and status.watched and status.code == "79"
    publish_level(world.far_commune, DAY, 3)  # the commune's own level comes first
    status = origin_status("26734", DAY, province_code="70")
    assert status.level_colour == "orange" and not status.watched
    setting = MovementSetting(alert_levels=["orange", "red"])
    setting.place_in(world.province)
    setting.save()
    assert origin_status("26734", DAY, province_code="70").watched
    MovementSetting.objects.update(alert_levels=["red"], watched_units=["760"])
    assert origin_status("26734", DAY, province_code="70").watched  # a listed district's subtree
    assert not origin_status("25229", DAY, province_code="70").watched
