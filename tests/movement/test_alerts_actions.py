"""Working an alert: take, finish, reopen (audited, the open-alerts tally follows), the report of an
undeclared arrival (idempotent, in the reporter's area), and the one-click actions that create a real
care order or a real test sample."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chongdich.care.models import HomeOrder, OrderKind
from chongdich.core.models import AuditEvent
from chongdich.movement.actions.alerts import (
    do_finish_alert,
    do_link_person,
    do_order_from_alert,
    do_register_alert_person,
    do_reopen_alert,
    do_report_undeclared,
    do_sample_from_alert,
    do_take_alert,
    matching_people,
)
from chongdich.movement.models import Alert, AlertState
from chongdich.people.actions import PossibleDuplicate
from chongdich.people.models import Person
from chongdich.tallies.rebuild import differences
from chongdich.tallies.selectors import levels_on
from chongdich.testing.models import Sample
from tests.movement.alerts_world import declaration, save_declarations

pytestmark = pytest.mark.django_db
DAY = date(2021, 8, 10)


@pytest.fixture(autouse=True)
def _today(settings):
    settings.CHONGDICH_TODAY = "2021-08-12T10:00"


def arrival(world, **fields):
    save_declarations([declaration(world.village, DAY, watched=True, origin="26734", **fields)])
    return Alert.objects.get(kind="arrival")


def open_alerts(world, day=date(2021, 8, 12)):
    return levels_on(world.commune.path, day, ["alerts_open"])["alerts_open"]


def test_take_finish_reopen(world, personas):
    alert = arrival(world)
    officer, other = personas["commune"], personas["health"]
    assert open_alerts(world) == 1
    alert = do_take_alert(officer, alert)
    assert alert.state == AlertState.TAKEN and alert.owner == officer and alert.taken_at
    assert do_take_alert(officer, alert).taken_at == alert.taken_at  # taking one's own again: no change
    with pytest.raises(ValidationError, match="took this alert"):
        do_take_alert(other, alert)
    with pytest.raises(ValidationError) as refused:
        do_finish_alert(other, alert, outcome="not_found")  # someone else's alert needs a note
    assert "note" in refused.value.message_dict
    with pytest.raises(ValidationError):
        do_finish_alert(officer, alert, outcome="bogus")
    alert = do_finish_alert(officer, alert, outcome="not_found", note="Không có ở địa chỉ")
    assert alert.state == AlertState.DONE and alert.done_at and alert.outcome == "not_found"
    assert open_alerts(world) == 0 and open_alerts(world, DAY) == 1
    with pytest.raises(ValidationError):
        do_take_alert(officer, alert)
    alert = do_reopen_alert(other, alert, note="Đã về")
    assert alert.state == AlertState.TAKEN and alert.owner == other and alert.done_at is None and not alert.outcome
    assert open_alerts(world) == 1 and differences() == {}
    whats = list(
        AuditEvent.objects.filter(object_type__icontains="alert").order_by("pk").values_list("detail__what", flat=True)
    )
    assert whats == ["take", "finish", "reopen"]


def test_actions_are_refused_outside_the_area_and_without_edit(world, personas):
    alert = arrival(world)
    for name in ("other_commune", "community", "viewer"):
        with pytest.raises(PermissionDenied):
            do_take_alert(personas[name], alert)
    with pytest.raises(PermissionDenied):
        do_finish_alert(personas["other_commune"], alert, outcome="no_action")


def test_report_undeclared_is_idempotent_and_scoped(world, personas):
    team = personas["community"]
    alert, created = do_report_undeclared(
        team,
        unit=world.village,
        full_name="  Phạm  Văn Dũng ",
        arrived_on=DAY,
        origin_commune_code="26734",
        client_id="r-1",
    )
    assert created and alert.kind == "undeclared" and alert.unit == world.village and alert.full_name == "Phạm Văn Dũng"
    assert alert.detail["reported_by_id"] == team.pk and not alert.detail["watched"]
    again, created = do_report_undeclared(team, unit=world.village, full_name="x", arrived_on=DAY, client_id="r-1")
    assert not created and again.pk == alert.pk and Alert.objects.count() == 1
    with pytest.raises(PermissionDenied):
        do_report_undeclared(team, unit=world.other_village, full_name="A", arrived_on=DAY)
    with pytest.raises(ValidationError):
        do_report_undeclared(team, unit=world.village, full_name="   ", arrived_on=DAY)
    with pytest.raises(ValidationError):
        do_report_undeclared(team, unit=world.village, full_name="A", arrived_on=date(2030, 1, 1))
    with pytest.raises(ValidationError):
        do_report_undeclared(personas["district"], unit=world.district, full_name="A", arrived_on=DAY)
    assert levels_on(world.commune.path, date(2021, 8, 12), ["alerts_new"])["alerts_new"] == 1


def test_one_click_order_registers_the_person_and_creates_a_real_care_order(world, personas):
    officer = personas["commune"]
    alert = arrival(world, full_name="Võ Thị Hoa", birth_year=1988, sex="female")
    person = do_register_alert_person(officer, alert)
    assert person.unit == world.commune and person.sex == "F" and person.birth_year == 1988
    alert.refresh_from_db()
    assert alert.person == person
    with pytest.raises(ValidationError, match="concentrated quarantine"):
        do_order_from_alert(officer, alert)  # the rule of August 2021 sends an arrival to a facility
    alert, order = do_order_from_alert(officer, alert, override_reason="Tỉnh cho cách ly tại nhà", client_id="o-1")
    assert isinstance(order, HomeOrder) and order.person == person and order.kind == OrderKind.HOME_QUARANTINE
    assert order.start == DAY and order.override_reason
    assert alert.state == AlertState.DONE and alert.outcome == "quarantine" and alert.detail["order"] == order.pk
    assert alert.owner == officer
    # a re-sent click returns the same order
    again, same = do_order_from_alert(officer, alert, override_reason="x", client_id="o-1")
    assert same.pk == order.pk and HomeOrder.objects.count() == 1
    assert differences() == {}


def test_order_after_1909_is_self_monitoring(world, personas, settings):
    settings.CHONGDICH_TODAY = "2022-05-03T10:00"
    officer = personas["commune"]
    save_declarations([declaration(world.commune, date(2022, 5, 2), watched=True, origin="26734")])
    alert = Alert.objects.get()
    do_register_alert_person(officer, alert)
    alert.refresh_from_db()
    alert, order = do_order_from_alert(officer, alert)
    assert order.kind == OrderKind.SELF_MONITORING and alert.outcome == "monitoring"


def test_duplicates_rules_apply_when_registering(world, personas, make_person):
    officer = personas["commune"]
    twin = make_person(full_name="Trần Thị Bình", birth_year=1990, unit=world.village)
    alert = arrival(world, full_name="Trần Thị Bình", birth_year=1990)
    assert matching_people(officer, alert) == [twin]
    with pytest.raises(PossibleDuplicate):
        do_register_alert_person(officer, alert)
    do_link_person(officer, alert, twin)
    alert.refresh_from_db()
    assert alert.person == twin and Person.objects.count() == 1
    with pytest.raises(PermissionDenied):
        do_link_person(personas["other_commune"], alert, twin)


def test_one_click_sample_for_symptoms(world, personas):
    nurse = personas["health"]
    save_declarations([declaration(world.commune, DAY, symptoms=["fever", "cough"])])
    alert = Alert.objects.get(kind="symptoms")
    with pytest.raises(ValidationError, match="person first"):
        do_sample_from_alert(nurse, alert, kind="rapid_antigen")
    do_register_alert_person(nurse, alert)
    alert.refresh_from_db()
    alert, sample = do_sample_from_alert(nurse, alert, kind="rapid_antigen", client_id="s-1")
    assert isinstance(sample, Sample) and sample.person == alert.person and sample.reason == "fever_cough"
    assert sample.taken_on == date(2021, 8, 12)
    assert alert.state == AlertState.DONE and alert.outcome == "tested" and alert.detail["sample"] == sample.pk
    assert differences() == {}


def test_done_alert_refuses_new_actions(world, personas):
    officer = personas["commune"]
    alert = arrival(world)
    do_finish_alert(officer, alert, outcome="no_action")
    alert.refresh_from_db()
    with pytest.raises(ValidationError):
        do_finish_alert(officer, alert, outcome="no_action")
    with pytest.raises(ValidationError):
        do_order_from_alert(officer, alert)
    assert alert.done_at - alert.raised_at > timedelta(0)
