"""A re-run of a day replaces that day's rows (never duplicates them) and leaves other days alone; every
row carries its subject's unit, so the scope of the area holds; the queries do not grow with the
number of objects."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chongdich.care.models import CapacityChange
from chongdich.forecast.models import Runout
from chongdich.forecast.runouts import compute_runouts
from tests.forecast.test_runouts_support import DAY, facility, occupy, project, ramp

pytestmark = pytest.mark.django_db


def test_a_rerun_replaces_the_days_rows(world, make_person):
    a = facility(world.commune, "Khu điều trị A", treatment=10)
    gone = facility(world.other_commune, "Khu điều trị B", icu=3)
    occupy(a, "treatment", 2, make_person)
    project(world.district, treatment=ramp(2, 1), active=ramp(50, 10))
    first = compute_runouts(DAY)
    assert first == Runout.objects.filter(as_of=DAY).count()
    project(world.district, day=DAY - timedelta(days=1), treatment=ramp(2, 1))
    earlier = compute_runouts(DAY - timedelta(days=1))
    assert compute_runouts(DAY) == first  # the same again: no duplicate
    assert Runout.objects.filter(as_of=DAY).count() == first

    CapacityChange.objects.create(facility=a, bed_type="treatment", day=DAY, delta=10)
    CapacityChange.objects.create(facility=gone, bed_type="icu", day=DAY, delta=-3)
    compute_runouts(DAY)
    rows = {row.subject_ref: row for row in Runout.objects.filter(as_of=DAY)}
    assert rows[f"facility:{a.pk}:treatment"].capacity == 20
    assert f"facility:{gone.pk}:icu" not in rows  # no beds left: its row is gone
    assert Runout.objects.filter(as_of=DAY - timedelta(days=1)).count() == earlier  # another day untouched


def test_every_row_is_in_its_subjects_area(world, personas, make_person):
    facility(world.commune, "Khu điều trị A", treatment=10)
    facility(world.other_commune, "Khu điều trị B", treatment=10)
    facility(world.far_commune, "Bệnh viện Quận 1", treatment=10)
    project(world.district, treatment=ramp(0, 1), active=ramp(0, 1))
    compute_runouts(DAY)
    for row in Runout.objects.filter(as_of=DAY).select_related("unit"):
        assert row.unit_path == row.unit.path and row.province_code == row.unit.province_code
    commune = Runout.objects.for_user(personas["commune"])
    assert commune.exists()
    assert all(path.startswith(world.commune.path) for path in commune.values_list("unit_path", flat=True))
    assert not Runout.objects.for_user(personas["province"]).filter(unit_path__startswith="/79/").exists()


def test_queries_do_not_grow_with_the_number_of_facilities(world, make_person):
    project(world.district, treatment=ramp(0, 1), quarantine=ramp(0, 1), active=ramp(0, 1), tests=ramp(0, 1))
    facility(world.commune, "Khu 1", treatment=10, quarantine=5)
    with CaptureQueriesContext(connection) as few:
        compute_runouts(DAY)
    for i in range(8):
        f = facility(world.other_commune if i % 2 else world.commune, f"Khu {i + 2}", treatment=10, icu=2)
        occupy(f, "treatment", 1, make_person)
    with CaptureQueriesContext(connection) as many:
        compute_runouts(DAY)
    assert len(many.captured_queries) <= len(few.captured_queries) + 2
