"""Beds: each facility × bed type against its share of its district's projected change, the district's
own beds summed, quarantine places of the district and of the province; the province's own-level
facilities share every district's growth."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chongdich.forecast.models import Runout, RunoutKind
from chongdich.forecast.runouts import compute_runouts
from chongdich.forecast.runouts.paths import NEVER
from tests.conftest import _unit
from tests.forecast.test_runouts_support import DAY, H, facility, flat, occupy, project, ramp, runouts

pytestmark = pytest.mark.django_db


def none_if_never(value):
    return None if value == NEVER else value


@pytest.fixture
def hospitals(world, make_person):
    """Two facilities of Bù Gia Mập: A (Đức Hạnh) 10 treatment beds, 8 in use, 2 ICU beds; B (Phú Văn)
    30 treatment beds, 2 in use.  The district's treatment beds in use: 10, projected +2 a day (median),
    +4 a day (95%); its ICU flat at 0."""
    a = facility(world.commune, "Bệnh viện dã chiến A", treatment=10, icu=2)
    b = facility(world.other_commune, "Khu điều trị B", treatment=30)
    occupy(a, "treatment", 8, make_person)
    occupy(b, "treatment", 2, make_person)
    project(world.district, treatment=(ramp(10, 2), ramp(10, 4)), icu=flat(0))
    return a, b


# (facility, bed type, capacity, in use, days by the median, earliest): A takes 10/40 of +2t → 8 + 0.5t ≥ 10
# on day 4 (95%: 8 + t → day 2); B takes 30/40 → 2 + 1.5t ≥ 30 after the horizon (95%: 2 + 3t → day 10).
CASES = [
    ("a", "treatment", 10, 8, 4, 2),
    ("b", "treatment", 30, 2, None, 10),
    ("a", "icu", 2, 0, None, None),
]


@pytest.mark.parametrize(("which", "bed_type", "capacity", "current", "days", "early"), CASES)
def test_each_facility_and_bed_type(hospitals, which, bed_type, capacity, current, days, early):
    a, b = hospitals
    target = {"a": a, "b": b}[which]
    compute_runouts(DAY)
    row = runouts(RunoutKind.BEDS)[f"facility:{target.pk}:{bed_type}"]
    assert (row.capacity, row.current, row.days, row.days_early) == (capacity, current, days, early)
    assert row.on_day == (DAY + timedelta(days=days) if days is not None else None)
    assert row.link == f"/care/facilities/{target.pk}/" or row.link.endswith(f"/facilities/{target.pk}/")
    assert target.name in row.subject
    assert row.unit_id == target.unit_id and row.unit_path == target.unit_path
    assert len(row.detail["q50"]) == H and row.detail["bed_type"] == bed_type
    if row.days is not None and row.days_early is not None:
        assert row.days_early <= row.days


def test_a_facility_with_no_beds_of_a_type_has_no_row(hospitals):
    a, b = hospitals
    compute_runouts(DAY)
    refs = set(runouts(RunoutKind.BEDS))
    assert f"facility:{b.pk}:icu" not in refs
    assert not any(ref.endswith(":oxygen") for ref in refs)
    assert f"facility:{a.pk}:icu" in refs


def test_the_shares_of_a_district_add_up_and_the_district_row_sums_its_facilities(world, hospitals):
    a, b = hospitals
    compute_runouts(DAY)
    rows = runouts(RunoutKind.BEDS)
    fa, fb = rows[f"facility:{a.pk}:treatment"], rows[f"facility:{b.pk}:treatment"]
    assert fa.detail["share"] + fb.detail["share"] == pytest.approx(1)
    district = rows["unit:70/691:treatment"]
    assert (district.capacity, district.current) == (40, 10)
    assert district.unit_id == world.district.pk
    for day in range(H):
        assert district.detail["q50"][day] == pytest.approx(fa.detail["q50"][day] + fb.detail["q50"][day], abs=0.11)
    # 10 + 2t ≥ 40 after the horizon; 10 + 4t ≥ 40 on day 8
    assert (district.days, district.days_early) == (None, 8)


def test_a_full_facility_is_already_there(world, make_person):
    full = facility(world.commune, "Khu điều trị đầy", oxygen=3)
    occupy(full, "oxygen", 3, make_person)
    compute_runouts(DAY)  # no projection at all: only "already" is known
    row = runouts(RunoutKind.BEDS)[f"facility:{full.pk}:oxygen"]
    assert (row.days, row.days_early, row.on_day) == (0, 0, DAY)
    assert row.detail["projection"] is False


def test_a_closed_facility_has_no_rows(world):
    closed = facility(world.commune, "Đã đóng", closed_on=DAY, treatment=10)
    project(world.district, treatment=ramp(0, 5))
    compute_runouts(DAY)
    assert not any(ref.startswith(f"facility:{closed.pk}:") for ref in runouts(RunoutKind.BEDS))


def test_the_provinces_own_facilities_share_every_districts_growth(world, make_person):
    second = _unit("692", "Huyện Bù Đốp", "district", "huyen", world.province)
    local = facility(world.commune, "Khu điều trị xã", treatment=20)
    provincial = facility(world.province, "Bệnh viện tỉnh", treatment=20)
    occupy(provincial, "treatment", 4, make_person)
    project(world.district, treatment=ramp(0, 3))  # 691: 20 own + 20 provincial beds: half each
    project(second, treatment=ramp(0, 1))  # 692 has no beds: all of it to the province's hospital
    compute_runouts(DAY)
    rows = runouts(RunoutKind.BEDS)
    mine = rows[f"facility:{local.pk}:treatment"]
    theirs = rows[f"facility:{provincial.pk}:treatment"]
    assert mine.detail["share"] == pytest.approx(0.5)
    assert theirs.detail["shares"] == {"691": 0.5, "692": 1.0}
    # local: 1.5t ≥ 20 → day 14; provincial: 4 + 1.5t + t ≥ 20 → day 7
    assert (mine.days, theirs.days) == (14, 7)
    assert theirs.unit_id == world.province.pk
    assert "unit:70/692:treatment" not in rows  # no beds of its own: no district row


def test_quarantine_places_of_the_district_and_the_province(world, make_person):
    camp = facility(world.commune, "Khu cách ly THCS Đức Hạnh", quarantine=10)
    occupy(camp, "quarantine", 6, make_person)
    project(world.district, quarantine=(ramp(6, 1), ramp(6, 2)))
    project(world.province, quarantine=ramp(6, 0.5))
    compute_runouts(DAY)
    assert (runouts(RunoutKind.BEDS)[f"facility:{camp.pk}:quarantine"].days) == 4
    areas = runouts(RunoutKind.QUARANTINE)
    district, province = areas["unit:70/691"], areas["unit:70"]
    assert (district.capacity, district.current, district.days, district.days_early) == (10, 6, 4, 2)
    assert (province.capacity, province.current, province.days, province.days_early) == (10, 6, 8, 8)
    assert district.unit_id == world.district.pk and province.unit_id == world.province.pk
    assert "unit:70/691:quarantine" not in runouts(RunoutKind.BEDS)  # the district's places are one row


def test_scope_keeps_a_commune_officer_to_his_facilities(world, personas, hospitals):
    a, b = hospitals
    compute_runouts(DAY)
    seen = set(Runout.objects.for_user(personas["commune"]).values_list("subject_ref", flat=True))
    assert f"facility:{a.pk}:treatment" in seen
    assert f"facility:{b.pk}:treatment" not in seen  # Phú Văn's
    assert "unit:70/691:treatment" not in seen  # the district's sum
    district_seen = set(Runout.objects.for_user(personas["district"]).values_list("subject_ref", flat=True))
    assert {f"facility:{b.pk}:treatment", "unit:70/691:treatment"} <= district_seen
