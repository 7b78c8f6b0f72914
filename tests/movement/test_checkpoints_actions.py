"""Checkpoints, shifts and passages: the actions (scope, validation, the rules' advice, re-sent forms)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chongdich.core.models import AuditEvent
from chongdich.movement.actions.checkpoints import (
    do_create_checkpoint,
    do_open_shift,
    do_record_passage,
    do_update_checkpoint,
    do_update_shift,
)
from chongdich.movement.models import Checkpoint, Passage
from chongdich.tallies.models import DailyTally
from tests.movement.checkpoint_world import TODAY, at, cp_world_fixture, passage_data  # noqa: F401

pytestmark = pytest.mark.django_db


def test_create_makes_a_code_from_the_commune(cp_world, world):
    assert cp_world.checkpoint.code == "C25222-01"
    second, created = do_create_checkpoint(
        cp_world.officer,
        unit=world.border_commune,
        data={"name": "Chốt bến đò", "kind": "district_border", "way": "waterway"},
        client_id="cp-2",
    )
    assert created and second.code == "C25222-02" and second.unit_path == world.border_commune.path
    again, created = do_create_checkpoint(
        cp_world.officer,
        unit=world.border_commune,
        data={"name": "x", "kind": "internal", "way": "road"},
        client_id="cp-2",
    )
    assert again == second and not created
    assert AuditEvent.objects.filter(object_type="movement.checkpoint", object_id=str(second.pk)).count() == 1


def test_create_refuses_another_area_and_bad_input(cp_world, world):
    with pytest.raises(PermissionDenied):
        do_create_checkpoint(
            cp_world.officer, unit=world.commune, data={"name": "Chốt", "kind": "internal", "way": "road"}
        )
    with pytest.raises(ValidationError) as caught:
        do_create_checkpoint(
            cp_world.officer,
            unit=world.border_commune,
            data={"name": " ", "kind": "internal", "way": "road", "latitude": Decimal("48.1"), "longitude": None},
        )
    errors = caught.value.message_dict
    assert set(errors) >= {"name", "latitude", "longitude"}
    with pytest.raises(ValidationError) as caught:
        do_create_checkpoint(
            cp_world.officer,
            unit=world.border_commune,
            data={"name": "Chốt", "kind": "internal", "way": "road"},
            code="C25222-01",
        )
    assert "code" in caught.value.message_dict


def test_update_checkpoint_and_no_move_with_passages(cp_world, world, personas):
    do_update_checkpoint(cp_world.officer, cp_world.checkpoint, data={"route": "QL14C", "active": True})
    assert Checkpoint.objects.get(pk=cp_world.checkpoint.pk).route == "QL14C"
    do_record_passage(cp_world.officer, cp_world.checkpoint, passage_data(plate="93C-111.22"))
    with pytest.raises(ValidationError):
        do_update_checkpoint(personas["district"], cp_world.checkpoint, unit=world.other_commune, data={})
    with pytest.raises(PermissionDenied):
        do_update_checkpoint(personas["other_commune"], cp_world.checkpoint, data={"route": "x"})


def test_shift_members_and_times(cp_world):
    shift = cp_world.shift
    assert [m.force for m in shift.members.all()] == ["police", "health"]
    with pytest.raises(ValidationError) as caught:
        do_open_shift(
            cp_world.officer,
            cp_world.checkpoint,
            data={"starts_at": at(TODAY, 18), "ends_at": at(TODAY, 6)},
            members=[],
        )
    assert "ends_at" in caught.value.message_dict
    with pytest.raises(ValidationError):
        do_open_shift(
            cp_world.officer,
            cp_world.checkpoint,
            data={"starts_at": at(TODAY, 6), "ends_at": at(TODAY + timedelta(days=2), 6)},
            members=[],
        )
    do_update_shift(
        cp_world.officer,
        shift,
        data={"leader": "Đại úy Mới"},
        members=[{"full_name": "Lò Văn Dân", "force": "militia", "phone": ""}],
    )
    shift.refresh_from_db()
    assert shift.leader == "Đại úy Mới" and [m.full_name for m in shift.members.all()] == ["Lò Văn Dân"]


def test_a_resent_passage_returns_the_same_row(cp_world):
    data = passage_data(
        plate="93C-111.22", declaration_shown=True, test_result="negative", test_kind="rat", test_at=at(TODAY, 7)
    )
    first = do_record_passage(cp_world.officer, cp_world.checkpoint, data, client_id="p-1")
    second = do_record_passage(cp_world.officer, cp_world.checkpoint, data, client_id="p-1")
    assert not first.replayed and second.replayed and first.passage.pk == second.passage.pk
    assert Passage.objects.count() == 1
    row = Passage.objects.get()
    assert row.plate == "93C11122" and row.shift_id == cp_world.shift.pk and row.day == TODAY
    assert row.unit_id == cp_world.checkpoint.unit_id and row.advice == "through" and row.rule_version
    assert DailyTally.objects.get(unit=cp_world.checkpoint.unit, day=TODAY).passages == 1


def test_another_areas_client_id_is_refused(cp_world, personas, world):
    do_record_passage(cp_world.officer, cp_world.checkpoint, passage_data(plate="93C-111.22"), client_id="p-9")
    with pytest.raises(PermissionDenied):
        do_record_passage(
            personas["national"], cp_world.far_checkpoint, passage_data(plate="93C-111.22"), client_id="p-9"
        )
    with pytest.raises(PermissionDenied):
        do_record_passage(cp_world.officer, cp_world.far_checkpoint, passage_data(plate="93C-111.22"))
    assert Passage.objects.count() == 1


def test_advice_and_action_are_both_kept(cp_world):
    """No test shown, no card: the rule advises turning back; the officer let the car through."""
    saved = do_record_passage(cp_world.officer, cp_world.checkpoint, passage_data(plate="60A-123.45"))
    assert saved.passage.advice == "turned_back" and saved.passage.action == "through"


def test_a_carded_vehicle_is_linked_to_its_card(cp_world):
    saved = do_record_passage(
        cp_world.officer, cp_world.checkpoint, passage_data(plate="51c 123.45", vehicle_type="truck")
    )
    assert saved.passage.green_card_id == cp_world.card.pk and saved.passage.advice == "through"


def test_the_person_found_by_cccd_gives_the_colour(cp_world):
    saved = do_record_passage(
        cp_world.officer,
        cp_world.checkpoint,
        passage_data(subject="person", vehicle_type="", cccd=cp_world.person.cccd, colour="green"),
    )
    assert saved.passage.person_id == cp_world.person.pk
    assert saved.passage.colour == "red"  # no dose, no recovery, no negative RT-PCR: the records say red


def test_bad_input_is_refused_with_messages(cp_world):
    with pytest.raises(ValidationError) as caught:
        do_record_passage(
            cp_world.officer,
            cp_world.checkpoint,
            passage_data(plate="XYZ", test_result="negative", test_kind="", test_at=None, people_on_board=0),
        )
    assert set(caught.value.message_dict) >= {"plate", "test_kind", "test_at", "people_on_board"}
    with pytest.raises(ValidationError) as caught:
        do_record_passage(cp_world.officer, cp_world.checkpoint, passage_data(plate="93C-111.22", action=""))
    assert "action" in caught.value.message_dict
    assert Passage.objects.count() == 0


def test_a_closed_checkpoint_logs_nothing(cp_world):
    do_update_checkpoint(cp_world.officer, cp_world.checkpoint, data={"active": False})
    with pytest.raises(ValidationError):
        do_record_passage(cp_world.officer, cp_world.checkpoint, passage_data(plate="93C-111.22"))


def test_an_arrival_from_a_red_commune_alerts_the_destination(cp_world, world):
    from chongdich.movement.models import Alert
    from tests.movement.alerts_world import publish_level

    publish_level(world.far_commune, TODAY - timedelta(days=3), 4)
    saved = do_record_passage(
        cp_world.officer,
        cp_world.checkpoint,
        passage_data(plate="51F-999.88", origin=world.far_commune, destination=world.commune, full_name="Vũ Văn Về"),
    )
    row = saved.passage
    assert row.from_watched_area and row.origin_level == "red"
    alert = Alert.objects.get(source_ref=f"passage:{row.pk}")
    assert alert.unit == world.commune and alert.full_name == "Vũ Văn Về"
    assert DailyTally.objects.get(unit=cp_world.checkpoint.unit, day=TODAY).arrivals_watched == 1
    again = do_record_passage(
        cp_world.officer, cp_world.checkpoint, passage_data(plate="51F-999.88", origin=world.commune)
    )
    assert not again.passage.from_watched_area and Alert.objects.count() == 1
