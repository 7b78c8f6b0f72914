"""load_boundaries: matching features to units, simplifying, refusing unmatched features clearly."""

import json
import math
import os
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from chongdich.dashboard.actions import BoundaryError, load_boundaries
from chongdich.dashboard.boundaries import pack_geometry, pack_ring, unpack_ring
from chongdich.dashboard.models import UnitBoundary

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English (the source language), whatever the catalogue says."""
    with translation.override("en"):
        yield


def circle(lat, lon, radius=0.02, points=400):
    ring = [
        [
            round(lon + radius * math.cos(2 * math.pi * i / points), 7),
            round(lat + radius * math.sin(2 * math.pi * i / points), 7),
        ]
        for i in range(points)
    ]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


def feature(props, geometry):
    return {"type": "Feature", "properties": props, "geometry": geometry}


def write(tmp_path, features, name="ranh-gioi.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def test_load_matches_codes_and_simplifies(world, tmp_path):
    path = write(
        tmp_path,
        [
            feature({"ma_xa": "25228", "ten": "Đức Hạnh"}, circle(11.8748, 107.0421)),
            feature({"ma_xa": 25229}, circle(11.9394, 107.0658)),
        ],
    )
    result = load_boundaries(path)
    assert result.loaded == 2 and result.vertices_before == 802 and result.vertices_after < 200
    boundary = UnitBoundary.objects.get(code="25228")
    assert boundary.unit == world.commune and boundary.unit_path == world.commune.path and boundary.source == path.name
    ring = boundary.geometry["coordinates"][0]
    assert all(len(f"{x:.10f}".rstrip("0").split(".")[1]) <= 4 for point in ring for x in point)
    # Loading again replaces, never duplicates.
    load_boundaries(path)
    assert UnitBoundary.objects.count() == 2


def test_numeric_codes_are_zero_padded(world, tmp_path):
    from chongdich.territory.models import AdminUnit

    unit = AdminUnit(code="00004", name="Phường Trúc Bạch", level="commune", kind="phuong", parent=world.far_province)
    unit.save()
    load_boundaries(write(tmp_path, [feature({"code": 4}, circle(21.04, 105.84))]))
    assert UnitBoundary.objects.get().unit == unit


def test_unmatched_features_refuse_the_file_with_reasons(world, tmp_path):
    path = write(
        tmp_path,
        [
            feature({"ma_xa": "25228"}, circle(11.87, 107.04)),
            feature({"ma_xa": "99999"}, circle(12, 107)),
            feature({"other": 1}, circle(12, 107)),
            feature({"ma_xa": "25229"}, None),
        ],
    )
    with pytest.raises(BoundaryError) as error:
        load_boundaries(path)
    problems = error.value.problems
    assert len(problems) == 3
    assert "99999" in problems[0] and "matches no unit" in problems[0]
    assert "feature 3" in problems[1] and "ma_xa" in problems[1] and "other" in problems[1]
    assert "no geometry" in problems[2]
    assert UnitBoundary.objects.count() == 0  # nothing saved
    result = load_boundaries(path, skip_unmatched=True)
    assert result.loaded == 1 and len(result.skipped) == 3


def test_command_reports_and_fails_clearly(world, tmp_path, capsys):
    good = write(tmp_path, [feature({"MA_XA": "25228"}, circle(11.87, 107.04))], "good.geojson")
    call_command("load_boundaries", str(good), "--dry-run")
    assert UnitBoundary.objects.count() == 0
    call_command("load_boundaries", str(good), "--property", "MA_XA")
    assert UnitBoundary.objects.count() == 1
    bad = write(tmp_path, [feature({"MA_XA": "1"}, circle(11.87, 107.04))], "bad.geojson")
    with pytest.raises(CommandError, match="cannot be loaded"):
        call_command("load_boundaries", str(bad))
    assert "matches no unit" in capsys.readouterr().err
    with pytest.raises(CommandError, match="not found"):
        call_command("load_boundaries", str(tmp_path / "missing.geojson"))
    (tmp_path / "x.geojson").write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not a GeoJSON"):
        call_command("load_boundaries", str(tmp_path / "x.geojson"))
    with pytest.raises(CommandError, match="--property"):
        call_command("load_boundaries", str(write(tmp_path, [feature({"name": "A"}, circle(1, 1))], "noprop.geojson")))


def test_invalid_and_non_polygon_geometries(world, tmp_path):
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[107.0, 11.8], [107.1, 11.9], [107.1, 11.8], [107.0, 11.9], [107.0, 11.8]]],
    }
    point = {"type": "Point", "coordinates": [107.0, 11.8]}
    path = write(tmp_path, [feature({"code": "25228"}, bowtie), feature({"code": "25229"}, point)])
    with pytest.raises(BoundaryError) as error:
        load_boundaries(path)
    assert len(error.value.problems) == 1 and "25229" in error.value.problems[0]
    load_boundaries(path, skip_unmatched=True)
    assert UnitBoundary.objects.get().geometry["type"] in ("Polygon", "MultiPolygon")  # the bow-tie was repaired


def test_pack_round_trip():
    ring = [[107.0421, 11.8748], [107.0431, 11.8758], [107.0411, 11.8768], [107.0421, 11.8748]]
    packed = pack_ring(ring)
    assert packed[:2] == [1070421, 118748] and packed[2:4] == [10, 10]
    assert unpack_ring(packed) == [tuple(p) for p in ring]
    multi = {"type": "MultiPolygon", "coordinates": [[ring], [ring]]}
    assert len(pack_geometry(multi)) == 2 and pack_geometry({"type": "Polygon", "coordinates": [ring]}) == [[packed]]


def test_district_and_province_codes_source_and_within(world, tmp_path):
    path = write(
        tmp_path,
        [
            feature({"code": "70"}, circle(11.75, 106.72, radius=0.5, points=80)),
            feature({"code": "691", "province": "70"}, circle(12.0, 107.05, radius=0.2)),
            feature({"code": 760, "province": "79"}, circle(10.78, 106.7, radius=0.02)),
            feature({"code": "999"}, circle(10.0, 105.0)),  # no such unit: outside any unit, left out by --within
        ],
    )
    result = load_boundaries(path, within="70", source="Ranh giới: thử, GPL-3.0")
    assert result.loaded == 2 and result.skipped == []
    rows = {b.code: b for b in UnitBoundary.objects.all()}
    assert sorted(rows) == ["691", "70"] and rows["691"].unit_path == "/70/691/"
    assert {b.source for b in rows.values()} == {"Ranh giới: thử, GPL-3.0"}
    with pytest.raises(BoundaryError, match="No unit has the code 12345"):
        load_boundaries(path, within="12345")
    with pytest.raises(BoundaryError, match="no feature inside the unit 25228"):
        load_boundaries(path, within="25228")
    call_command("load_boundaries", str(path), "--within", "79")
    assert UnitBoundary.objects.get(code="760").source == "ranh-gioi.geojson"  # by default the file's name


SHARED = Path(__file__).resolve().parents[3] / "shared" / "geo"


def shared_geo() -> Path:
    directory = Path(os.environ.get("CHONGDICH_GEO_DIR", "") or SHARED)
    if not (directory / "vn-legacy-districts.geojson").is_file():
        pytest.skip("the shared outlines (../shared/geo or CHONGDICH_GEO_DIR) are not here")
    return directory


def test_the_shared_outlines_load_by_their_gso_codes(world, tmp_path):
    """The workspace's province and district files (GSO codes of the legacy structure): the world's
    units 70, 79 and 691 match, the others are skipped; the districts of province 70 with --within."""
    directory = shared_geo()
    provinces = load_boundaries(directory / "vn-legacy-provinces.geojson", skip_unmatched=True, tolerance=0.002)
    assert provinces.loaded == 2  # Bình Phước and Hồ Chí Minh City
    districts = load_boundaries(directory / "vn-legacy-districts.geojson", within="70")
    assert districts.loaded == 1 and districts.skipped == []  # Bù Gia Mập
    from shapely.geometry import Point, shape

    outline = shape(UnitBoundary.objects.get(code="691").geometry)
    assert outline.contains(Point(world.commune.lon, world.commune.lat))  # Đức Hạnh lies in Bù Gia Mập
    assert not outline.contains(Point(106.7, 10.78))


def test_the_demo_loads_the_shared_outlines_or_says_why_not(world, tmp_path):
    from chongdich.demo.boundaries import SOURCE, load_demo_boundaries

    lines: list[str] = []
    assert load_demo_boundaries(say=lines.append, directory=tmp_path) == 0
    assert len(lines) == 1 and "not found" in lines[0] and not UnitBoundary.objects.exists()
    directory = shared_geo()
    assert load_demo_boundaries(say=lines.append, directory=directory) == 3  # 70, 79 and 691
    assert set(UnitBoundary.objects.values_list("source", flat=True)) == {SOURCE}
    assert load_demo_boundaries(say=lines.append, directory=directory) == 0  # once
