"""Both administrative structures load from the vietnamadminunits data with the right counts."""

import pytest
from django.db import connection

from chongdich.territory.actions import derive_adjacency
from chongdich.territory.loaders import load_units
from chongdich.territory.models import AdminUnit, Level

pytestmark = pytest.mark.django_db


def _counts():
    return {level: AdminUnit.objects.filter(level=level).count() for level in Level.values}


def test_legacy_structure_counts():
    result = load_units("legacy")
    assert (result.provinces, result.districts, result.communes) == (63, 696, 10035)
    assert _counts() == {"province": 63, "district": 696, "commune": 10035, "village": 0}
    commune = AdminUnit.objects.select_related("parent__parent").get(code="25228")
    assert commune.name == "Xã Đức Hạnh" and commune.folded_name == "xa duc hanh"
    assert commune.parent.name == "Huyện Bù Gia Mập" and commune.parent.parent.name == "Tỉnh Bình Phước"
    assert commune.path == "/70/691/25228/" and commune.province_code == "70" and commune.commune_code == "25228"
    assert commune.lat and commune.lon
    assert [u.code for u in commune.ancestors()] == ["70", "691", "25228"]
    assert str(commune.valid_to) == "2025-06-30"


def test_current_structure_has_no_district_level():
    result = load_units("current")
    assert (result.provinces, result.districts, result.communes) == (34, 0, 3321)
    assert _counts() == {"province": 34, "district": 0, "commune": 3321, "village": 0}
    ward = AdminUnit.objects.select_related("parent").get(code="00097")
    assert ward.parent.level == Level.PROVINCE and ward.path == "/01/00097/"
    assert ward.area_km2 == pytest.approx(15.09)
    assert AdminUnit.objects.filter(kind="dac_khu").count() == 13


def test_loading_twice_adds_nothing():
    load_units("current")
    again = load_units("current")
    assert again.communes == 3321
    assert AdminUnit.objects.count() == 34 + 3321


def test_derived_adjacency_stays_inside_the_parent():
    load_units("current")
    pairs = derive_adjacency()
    assert pairs > 3321  # about k/2..k pairs per commune
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM territory_adjacency a JOIN territory_adminunit u ON u.id = a.unit_id "
            "JOIN territory_adminunit n ON n.id = a.neighbour_id WHERE u.parent_id <> n.parent_id"
        )
        assert cursor.fetchone()[0] == 0
    ward = AdminUnit.objects.get(code="00097")
    assert 4 <= ward.adjacency.count() <= 10
    assert all(a.derived for a in ward.adjacency.all())
