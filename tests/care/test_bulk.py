"""Bulk quarantine orders for all F1 of a chain or a cluster: skips, idempotency, tallies, capacity."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from chongdich.care.actions import (
    do_bulk_facility_quarantine,
    do_bulk_home_quarantine,
    do_change_capacity,
    do_order_home_quarantine,
    do_order_self_monitoring,
    select,
)
from chongdich.care.models import HomeOrder, OrderBatch, OrderKind, OrderStatus, Stay
from chongdich.core.models import AuditEvent
from chongdich.surveillance.models import Case, Cluster
from chongdich.tallies.models import DailyTally
from tests.care.conftest import assert_tallies_agree


@pytest.fixture
def outbreak(world, personas, make_person, make_case, make_f1):
    """A chain of two cases in Đức Hạnh with F1: 4 at home in the commune, 1 in Phú Văn, 1 already under
    quarantine, 1 who became a case; one F1 is a contact of both cases (counted once, latest exposure)."""
    index = make_case(make_person(full_name="Ca Chỉ Điểm"), confirmed_on=date(2022, 3, 2))
    second = make_case(make_person(full_name="Ca Thứ Hai"), confirmed_on=date(2022, 3, 3))
    Case.objects.filter(pk=second.pk).update(chain=index.chain)
    people = [make_person(full_name=f"Tiếp Xúc {i}") for i in range(4)]
    for person in people:
        make_f1(index, person, last_exposure=date(2022, 3, 1))
    make_f1(second, people[0], last_exposure=date(2022, 3, 2))  # a later exposure to the second case
    far = make_person(unit=world.other_village, full_name="Ở Xa")
    make_f1(index, far)
    busy = make_person(full_name="Đã Cách Ly")
    make_f1(index, busy)
    do_order_home_quarantine(personas["commune"], busy, last_exposure=date(2022, 3, 1))
    sick = make_person(full_name="Thành Ca Bệnh")
    make_f1(index, sick)
    make_case(sick, confirmed_on=date(2022, 3, 4))
    return {"chain": index.chain, "people": people, "far": far, "busy": busy, "sick": sick, "index": index}


def test_preview_counts(personas, outbreak):
    selection = select(personas["commune"], chain=outbreak["chain"])
    assert selection.counts() == {
        "f1": 7,
        "ordered": 4,
        "outside": 1,
        "active": 1,
        "cases": 1,
        "facility_prescribed": 0,
    }


def test_bulk_home_quarantine_and_run_twice(personas, outbreak):
    result = do_bulk_home_quarantine(personas["commune"], chain=outbreak["chain"], client_id="bulk-1")
    assert result.created and result.counts["ordered"] == 4
    orders = HomeOrder.objects.filter(batch=result.batch)
    assert {o.person_id for o in orders} == {p.pk for p in outbreak["people"]}
    latest = orders.get(person=outbreak["people"][0])
    assert latest.start == date(2022, 3, 2) and latest.end == date(2022, 3, 8)  # from the later exposure
    assert all(o.history.count() == 1 for o in orders)
    assert AuditEvent.objects.filter(object_type="care.orderbatch").count() == 1
    assert (
        DailyTally.objects.get(unit=outbreak["people"][1].unit.parent, day=date(2022, 3, 1)).f1_home_quarantine == 4
    )  # 3 + busy
    assert_tallies_agree()
    # The same form sent again returns the batch; a new run orders nobody twice.
    assert (
        do_bulk_home_quarantine(personas["commune"], chain=outbreak["chain"], client_id="bulk-1").batch == result.batch
    )
    second = do_bulk_home_quarantine(personas["commune"], chain=outbreak["chain"], client_id="bulk-2")
    assert second.counts["ordered"] == 0 and second.counts["active"] == 5
    assert HomeOrder.objects.count() == 5
    assert_tallies_agree()


def test_district_reaches_both_communes(personas, outbreak):
    result = do_bulk_home_quarantine(personas["district"], chain=outbreak["chain"])
    assert result.counts["ordered"] == 5 and result.counts["outside"] == 0
    assert_tallies_agree()


def test_rule_sending_f1_to_facilities_needs_a_reason(personas, world, make_person, make_case, make_f1):
    case = make_case(make_person(full_name="Ca 2021"), confirmed_on=date(2021, 12, 10))
    for i in range(3):
        make_f1(case, make_person(full_name=f"F1 {i}"), last_exposure=date(2021, 12, 10))
    refused = do_bulk_home_quarantine(personas["commune"], chain=case.chain)
    assert refused.counts["ordered"] == 0 and refused.counts["facility_prescribed"] == 3
    done = do_bulk_home_quarantine(personas["commune"], chain=case.chain, override_reason="Khu cách ly đã đầy")
    assert done.counts["ordered"] == 3
    assert set(HomeOrder.objects.filter(batch=done.batch).values_list("override_reason", flat=True)) == {
        "Khu cách ly đã đầy"
    }
    assert_tallies_agree()


def test_cluster(personas, world, make_person, make_case, make_f1):
    cluster = Cluster(name="Chợ Đức Hạnh", setting="market")
    cluster.place_in(world.commune)
    cluster.save()
    case = make_case(make_person(full_name="Tiểu thương"), confirmed_on=date(2022, 3, 2), cluster=cluster)
    make_f1(case, make_person(full_name="Khách"))
    result = do_bulk_home_quarantine(personas["health"], cluster=cluster)
    assert result.counts["ordered"] == 1 and result.batch.cluster == cluster


def test_bulk_facility_quarantine_checks_capacity(personas, outbreak, field_hospital):
    do_change_capacity(personas["district"], field_hospital, bed_type="quarantine", delta=-3, day=date(2022, 3, 1))
    with pytest.raises(ValidationError, match="full"):  # 5 F1 of the district, 2 places
        do_bulk_facility_quarantine(
            personas["district"], facility=field_hospital, chain=outbreak["chain"], on=date(2022, 3, 3)
        )
    assert not Stay.objects.exists() and not OrderBatch.objects.exists()
    result = do_bulk_facility_quarantine(
        personas["district"], facility=field_hospital, chain=outbreak["chain"], on=date(2022, 3, 3), overflow=True
    )
    stays = Stay.objects.filter(batch=result.batch)
    assert stays.count() == 5 and all(s.overflow for s in stays)
    assert all(day >= "2022-03-03" for s in stays for day in s.test_days)
    assert_tallies_agree()


def test_self_monitoring_orders_do_not_count_as_quarantine(personas, world, make_person, make_case, make_f1):
    case = make_case(make_person(full_name="Ca tháng 5"), confirmed_on=date(2022, 5, 2))
    make_f1(case, make_person(full_name="F1 tháng 5"), last_exposure=date(2022, 5, 1))
    result = do_bulk_home_quarantine(personas["commune"], chain=case.chain)
    assert HomeOrder.objects.get(batch=result.batch).kind == OrderKind.SELF_MONITORING
    assert not DailyTally.objects.exclude(f1_home_quarantine=0).exists()
    assert_tallies_agree()


def test_self_monitoring_gives_way_to_quarantine(personas, world, make_person, make_case, make_f1):

    watched = make_person(full_name="Đang Tự Theo Dõi")
    monitoring, _ = do_order_self_monitoring(
        personas["commune"], watched, start=date(2022, 2, 20), end=date(2022, 3, 5)
    )
    case = make_case(make_person(full_name="Ca Mới"), confirmed_on=date(2022, 3, 2))
    make_f1(case, watched)
    result = do_bulk_home_quarantine(personas["commune"], chain=case.chain)
    assert result.counts["ordered"] == 1
    monitoring.refresh_from_db()
    assert monitoring.status == OrderStatus.CONVERTED and monitoring.ended_on == date(2022, 3, 1)
    assert monitoring.history.first().history_type == "~"
    assert HomeOrder.objects.get(batch=result.batch).kind == OrderKind.HOME_QUARANTINE
    assert_tallies_agree()
