import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chongdich.core.models import AuditEvent
from chongdich.territory.actions import derive_adjacency, do_create_village, do_update_unit
from chongdich.territory.models import Adjacency, AdminUnit
from chongdich.territory.selectors import neighbours_of


def test_commune_officer_creates_a_village(world, personas):
    village = do_create_village(personas["commune"], commune=world.commune, name="Thôn Sơn Hòa", kind="thon")
    assert village.code == "25228-03" and village.path == "/70/691/25228/25228-03/"
    assert village.commune_code == "25228" and village.province_code == "70"
    assert AuditEvent.objects.filter(action="create", object_id=str(village.pk)).exists()
    assert village.history.first().history_user == personas["commune"]


def test_village_name_must_be_unique_in_the_commune(world, personas):
    with pytest.raises(ValidationError):
        do_create_village(personas["commune"], commune=world.commune, name="thon 1", kind="thon")


def test_village_outside_scope_is_refused(world, personas):
    with pytest.raises(PermissionDenied):
        do_create_village(personas["commune"], commune=world.other_commune, name="Thôn 9", kind="thon")
    with pytest.raises(PermissionDenied):
        do_create_village(personas["viewer"], commune=world.commune, name="Thôn 9", kind="thon")


def test_population_bands_must_add_up(world, personas):
    unit = AdminUnit.objects.get(pk=world.commune.pk)
    with pytest.raises(ValidationError) as caught:
        do_update_unit(personas["commune"], unit, pop_0_17=1)
    assert "9.000" in caught.value.messages[0]  # Vietnamese grouping
    assert AdminUnit.objects.get(pk=world.commune.pk).pop_0_17 == 2500


def test_derive_adjacency_respects_imported_pairs(world):
    derive_adjacency()
    assert {u.code for u in neighbours_of(world.commune)} == {"25229", "25222"}
    Adjacency.objects.all().delete()
    Adjacency.objects.create(unit=world.commune, neighbour=world.other_commune, derived=False)
    derive_adjacency()
    # The district has imported adjacency: nothing is derived inside it.
    assert not Adjacency.objects.filter(derived=True, unit__parent=world.district).exists()
