"""Facilities and capacity changes: beds by type, tallies, scope."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chongdich.care.actions import do_admit, do_change_capacity, do_create_facility, do_update_facility
from chongdich.care.models import CapacityChange, Facility
from chongdich.care.selectors import beds_of
from chongdich.core.models import AuditEvent
from chongdich.tallies.models import DailyTally
from tests.care.conftest import assert_tallies_agree


def test_create_with_beds_counts_capacity(world, personas, quarantine_site):
    tally = DailyTally.objects.get(unit=world.commune, day=date(2021, 7, 1))
    assert tally.quarantine_capacity == 2
    assert beds_of([quarantine_site])[quarantine_site.pk].of("quarantine").capacity == 2
    assert AuditEvent.objects.filter(object_type="care.facility", action="create").count() == 1
    assert_tallies_agree()


def test_create_is_idempotent_by_client_id(world, personas):
    data = {"name": "Khách sạn Hoà Bình", "kind": "hotel"}
    first, created = do_create_facility(personas["commune"], unit=world.commune, data=data, client_id="f-1")
    again, created_again = do_create_facility(personas["commune"], unit=world.commune, data=data, client_id="f-1")
    assert created and not created_again and first == again and Facility.objects.count() == 1


def test_outside_the_area_is_refused(world, personas):
    with pytest.raises(PermissionDenied):
        do_create_facility(personas["other_commune"], unit=world.commune, data={"name": "X", "kind": "hotel"})
    assert not Facility.objects.exists()


def test_capacity_change_from_a_date(world, personas, quarantine_site):
    do_change_capacity(
        personas["commune"], quarantine_site, bed_type="quarantine", delta=10, day=date(2021, 8, 1), reason="Thêm phòng"
    )
    assert beds_of([quarantine_site], date(2021, 7, 31))[quarantine_site.pk].of("quarantine").capacity == 2
    assert beds_of([quarantine_site], date(2021, 8, 1))[quarantine_site.pk].of("quarantine").capacity == 12
    assert_tallies_agree()


def test_cannot_remove_beds_in_use(world, personas, quarantine_site, make_person):
    for name in ("Lê Văn Một", "Lê Văn Hai"):
        do_admit(
            personas["commune"],
            make_person(full_name=name),
            facility=quarantine_site,
            bed_type="quarantine",
            purpose="quarantine_entrant",
            on=date(2021, 9, 1),
        )
    with pytest.raises(ValidationError, match="in use"):
        do_change_capacity(personas["commune"], quarantine_site, bed_type="quarantine", delta=-1, day=date(2021, 9, 2))
    with pytest.raises(ValidationError):
        do_change_capacity(personas["commune"], quarantine_site, bed_type="icu", delta=-1, day=date(2021, 9, 2))
    assert CapacityChange.objects.count() == 1
    assert_tallies_agree()


def test_edit_closing_before_opening_is_refused(world, personas, quarantine_site):
    with pytest.raises(ValidationError):
        do_update_facility(personas["commune"], quarantine_site, data={"closed_on": date(2021, 6, 1)})
    do_update_facility(personas["commune"], quarantine_site, data={"ready_within_24h": False, "phone": "0271 3888 999"})
    quarantine_site.refresh_from_db()
    assert quarantine_site.phone == "0271 3888 999" and not quarantine_site.ready_within_24h
