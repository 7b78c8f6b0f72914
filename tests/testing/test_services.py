"""Testing services: samples, pools, results, labs, campaigns — validation, scope, idempotency, tallies."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chongdich.core.models import AuditEvent
from chongdich.tallies.models import DailyTally
from chongdich.testing.actions import (
    do_add_targets,
    do_create_campaign,
    do_create_lab,
    do_record_result,
    do_register_pool,
    do_register_sample,
    do_update_lab,
)
from chongdich.testing.models import Lab, PoolMember, Sample
from chongdich.testing.selectors import campaigns_to_choose


def tally(unit, day, field):
    return DailyTally.objects.filter(unit=unit, day=day).values_list(field, flat=True).first() or 0


# -- samples ---------------------------------------------------------------------------------------
def test_register_sample_gives_a_code_tallies_and_audit(personas, make_person, lab, today, world, no_drift):
    person = make_person()
    sample, created = do_register_sample(
        personas["health"], person=person, kind="rt_pcr", reason="f1", taken_on=today, lab=lab
    )
    assert created and sample.code == f"25228-{today:%y%m%d}-0001"
    assert sample.unit == world.village and sample.commune_code == "25228" and sample.status == "pending"
    assert tally(world.commune, today, "samples_taken") == 1 and tally(world.commune, today, "samples_pending") == 1
    assert sample.history.first().history_user == personas["health"]
    assert AuditEvent.objects.filter(action="create", object_type="testing.sample", object_id=str(sample.pk)).exists()
    second = do_register_sample(
        personas["health"], person=make_person(cccd=None), kind="rt_pcr", reason="f1", taken_on=today, lab=lab
    )[0]
    assert second.code.endswith("-0002")
    no_drift()


def test_resent_form_returns_the_original(personas, make_person, lab, today):
    person = make_person()
    first, created = do_register_sample(
        personas["health"], person=person, kind="rt_pcr", reason="f1", taken_on=today, lab=lab, client_id="abc"
    )
    again, created_again = do_register_sample(
        personas["health"], person=person, kind="rt_pcr", reason="f1", taken_on=today, lab=lab, client_id="abc"
    )
    assert created and not created_again and again.pk == first.pk and Sample.objects.count() == 1


def test_sample_outside_the_area_is_refused(personas, make_person, lab, today, world):
    stranger = make_person(unit=world.other_village)
    with pytest.raises(PermissionDenied):
        do_register_sample(personas["health"], person=stranger, kind="rt_pcr", reason="f1", taken_on=today, lab=lab)
    assert Sample.objects.count() == 0


def test_bad_sample_input_explains_and_saves_nothing(personas, make_person, lab, today):
    person = make_person()
    cases = [
        ({"taken_on": today + timedelta(days=1)}, "taken_on"),
        ({"kind": "pooled_rt_pcr"}, "kind"),
        ({"result": "positive"}, "result"),  # RT-PCR results come from the lab
        ({"kind": "rapid_antigen", "result": "pending"}, "status"),
    ]
    for extra, field in cases:
        arguments = {"person": person, "kind": "rt_pcr", "reason": "f1", "taken_on": today, "lab": lab} | extra
        with pytest.raises(ValidationError) as error:
            do_register_sample(personas["health"], **arguments)
        assert field in error.value.message_dict, (extra, error.value)
    assert Sample.objects.count() == 0 and DailyTally.objects.count() == 0


def test_typed_code_must_be_free(personas, make_person, lab, today):
    do_register_sample(
        personas["health"],
        person=make_person(cccd=None),
        kind="rt_pcr",
        reason="f1",
        taken_on=today,
        lab=lab,
        code="bgm 001",
    )
    assert Sample.objects.get().code == "BGM001"
    with pytest.raises(ValidationError) as error:
        do_register_sample(
            personas["health"],
            person=make_person(cccd=None),
            kind="rt_pcr",
            reason="f1",
            taken_on=today,
            lab=lab,
            code="BGM001",
        )
    assert "BGM001" in error.value.message_dict["code"][0]


def test_same_person_same_day_twice_is_refused(personas, make_person, lab, today):
    person = make_person()
    first, _ = do_register_sample(
        personas["health"], person=person, kind="rt_pcr", reason="f1", taken_on=today, lab=lab
    )
    with pytest.raises(ValidationError) as error:
        do_register_sample(personas["health"], person=person, kind="rt_pcr", reason="f1", taken_on=today, lab=lab)
    assert first.code in error.value.messages[0]


def test_rapid_test_with_immediate_result(personas, make_person, today, world, no_drift):
    sample, _ = do_register_sample(
        personas["checkpoint"],
        person=make_person(unit=world.border_commune),
        kind="rapid_antigen",
        reason="travel",
        taken_on=today,
        result="positive",
    )
    assert sample.status == "positive" and sample.result_on == today and sample.lab is None
    assert tally(world.border_commune, today, "tests_positive") == 1
    assert tally(world.border_commune, today, "samples_pending") == 0
    no_drift()


# -- results ---------------------------------------------------------------------------------------
def test_record_result_updates_sample_and_tallies(personas, make_sample, today, world, no_drift):
    sample = make_sample(days_ago=2)
    do_record_result(personas["health"], sample, status="positive", ct=Decimal("24.5"), result_on=today)
    sample.refresh_from_db()
    assert (sample.status, sample.ct_value, sample.result_on) == ("positive", Decimal("24.5"), today)
    assert tally(world.commune, today, "tests_positive") == 1 and tally(world.commune, today, "tests_done") == 1
    assert tally(world.commune, today, "samples_pending") == -1  # taken two days ago (+1 then), done today
    event = AuditEvent.objects.get(action="update", object_type="testing.sample")
    assert event.detail["changed"]["status"] == ["pending", "positive"]
    no_drift()


@pytest.mark.parametrize("ct", [Decimal("-1"), Decimal("45.1"), Decimal("60")])
def test_ct_outside_0_to_45_is_refused(personas, make_sample, today, ct):
    sample = make_sample()
    with pytest.raises(ValidationError) as error:
        do_record_result(personas["health"], sample, status="positive", ct=ct, result_on=today)
    assert "ct_value" in error.value.message_dict
    sample.refresh_from_db()
    assert sample.status == "pending" and sample.ct_value is None


def test_ct_bounds_are_allowed(personas, make_sample, today):
    for ct in (Decimal("0"), Decimal("45")):
        sample = make_sample()
        do_record_result(personas["health"], sample, status="positive", ct=ct, result_on=today)


def test_result_before_the_sample_or_in_the_future_is_refused(personas, make_sample, today, no_drift):
    sample = make_sample(days_ago=2)
    for day in (today - timedelta(days=3), today + timedelta(days=1)):
        with pytest.raises(ValidationError) as error:
            do_record_result(personas["health"], sample, status="negative", result_on=day)
        assert "result_on" in error.value.message_dict
    sample.refresh_from_db()
    assert sample.status == "pending"
    no_drift()


def test_rapid_test_has_no_ct(personas, make_sample, today):
    sample = make_sample(kind="rapid_antigen", lab=None)
    with pytest.raises(ValidationError) as error:
        do_record_result(personas["health"], sample, status="positive", ct=Decimal("20"), result_on=today)
    assert "ct_value" in error.value.message_dict


def test_same_result_twice_changes_nothing_and_correction_is_explicit(personas, make_sample, today, no_drift):
    sample = make_sample()
    do_record_result(personas["health"], sample, status="negative", result_on=today)
    do_record_result(personas["health"], sample, status="negative", result_on=today)
    assert AuditEvent.objects.filter(action="update", object_type="testing.sample").count() == 1
    with pytest.raises(ValidationError):
        do_record_result(personas["health"], sample, status="positive", result_on=today)
    do_record_result(personas["health"], sample, status="positive", ct=Decimal("30"), result_on=today, correction=True)
    sample.refresh_from_db()
    assert sample.status == "positive"
    assert AuditEvent.objects.filter(action="update", object_type="testing.sample", detail__correction=True).exists()
    no_drift()


def test_result_outside_the_area_is_refused(personas, make_sample, make_person, world, today):
    sample = make_sample(person=make_person(unit=world.other_village))
    with pytest.raises(PermissionDenied):
        do_record_result(personas["health"], sample, status="negative", result_on=today)


# -- pools -----------------------------------------------------------------------------------------
def test_pool_negative_opens_nothing(personas, make_person, lab, today, no_drift):
    members = [make_person(full_name=f"Người {i}", cccd=None) for i in range(5)]
    pool, created = do_register_pool(
        personas["health"], members=members, reason="screening", taken_on=today, lab=lab, code="P-0001"
    )
    assert created and pool.kind == "pooled_rt_pcr" and pool.person is None and pool.pool_limit == 10
    assert PoolMember.objects.filter(pool=pool).count() == 5
    do_record_result(personas["health"], pool, status="negative", ct=None, result_on=today)
    assert Sample.objects.count() == 1
    no_drift()


def test_pool_positive_opens_individual_retests(personas, make_person, lab, today, world, no_drift):
    members = [make_person(full_name=f"Người {i}", cccd=None) for i in range(3)]
    members.append(make_person(full_name="Người ở thôn 2", cccd=None, unit=world.village2))
    pool, _ = do_register_pool(
        personas["health"],
        members=members,
        reason="screening",
        taken_on=today - timedelta(days=1),
        lab=lab,
        code="P-0002",
    )
    assert pool.unit == world.commune  # the lowest unit holding every member
    do_record_result(personas["health"], pool, status="positive", ct=Decimal("28"), result_on=today)
    retests = list(Sample.objects.filter(pool=pool).order_by("code"))
    assert [r.code for r in retests] == ["P-0002-1", "P-0002-2", "P-0002-3", "P-0002-4"]
    assert {r.person_id for r in retests} == {m.pk for m in members}
    assert all(r.status == "pending" and r.kind == "rt_pcr" and r.taken_on == today and r.lab == lab for r in retests)
    assert Sample.objects.get(code="P-0002-4").unit == world.village2
    assert tally(world.commune, today, "samples_taken") == 4  # the four re-tests
    event = AuditEvent.objects.get(action="update", object_id=str(pool.pk))
    assert event.detail["retests"] == ["P-0002-1", "P-0002-2", "P-0002-3", "P-0002-4"]
    # The pool result is settled once its re-tests exist.
    with pytest.raises(ValidationError):
        do_record_result(personas["health"], pool, status="negative", result_on=today, correction=True)
    no_drift()


def test_pool_size_is_validated(personas, make_person, lab, today):
    members = [make_person(full_name=f"Người {i}", cccd=None) for i in range(11)]
    with pytest.raises(ValidationError) as error:
        do_register_pool(personas["health"], members=members, reason="screening", taken_on=today, lab=lab)
    assert "11" in error.value.message_dict["members"][0]
    pool, _ = do_register_pool(
        personas["health"], members=members, reason="screening", taken_on=today, lab=lab, limit=15
    )
    assert pool.members.count() == 11 and pool.pool_limit == 15
    with pytest.raises(ValidationError):
        do_register_pool(personas["health"], members=members[:3], reason="screening", taken_on=today, lab=lab, limit=21)
    with pytest.raises(ValidationError):
        do_register_pool(personas["health"], members=members[:1], reason="screening", taken_on=today, lab=lab)
    assert Sample.objects.count() == 1


def test_pool_with_someone_outside_the_area_is_refused(personas, make_person, lab, today, world):
    members = [make_person(cccd=None), make_person(cccd=None, unit=world.other_village)]
    with pytest.raises(PermissionDenied):
        do_register_pool(personas["health"], members=members, reason="screening", taken_on=today, lab=lab)
    assert Sample.objects.count() == 0 and PoolMember.objects.count() == 0


# -- labs and campaigns ----------------------------------------------------------------------------
def test_lab_create_update_and_idempotency(personas, world):
    lab, created = do_create_lab(
        personas["district"],
        unit=world.district,
        client_id="lab-1",
        data={"name": "TTYT Bù Gia Mập", "code": "ttyt-bgm", "daily_capacity": 200, "antigen_capacity": 500},
    )
    assert created and lab.code == "TTYT-BGM"
    assert do_create_lab(personas["district"], unit=world.district, client_id="lab-1", data={})[0].pk == lab.pk
    with pytest.raises(ValidationError) as error:
        do_create_lab(personas["district"], unit=world.district, data={"name": "Khác", "code": "TTYT-BGM"})
    assert "code" in error.value.message_dict
    do_update_lab(personas["district"], lab, data={"daily_capacity": 250})
    lab.refresh_from_db()
    assert lab.daily_capacity == 250
    assert AuditEvent.objects.get(action="update", object_type="testing.lab").detail["changed"]["daily_capacity"] == [
        "200",
        "250",
    ]
    with pytest.raises(PermissionDenied):
        do_create_lab(personas["commune"], unit=world.district, data={"name": "X", "code": "XX"})
    assert Lab.objects.count() == 1


def test_campaign_targets_are_capped_and_scoped(personas, make_person, world, today):
    campaign, _ = do_create_campaign(
        personas["commune"],
        unit=world.commune,
        data={"name": "Sàng lọc chợ", "start": today, "sample_kind": "pooled_rt_pcr"},
    )
    inside = [make_person(cccd=None) for _ in range(3)]
    assert do_add_targets(personas["commune"], campaign, inside) == 3
    assert do_add_targets(personas["commune"], campaign, inside) == 0  # already on the list
    with pytest.raises(ValidationError):
        do_add_targets(personas["commune"], campaign, [make_person(cccd=None, unit=world.other_village)])
    assert campaign.targets.count() == 3
    with pytest.raises(ValidationError) as error:
        do_create_campaign(
            personas["commune"],
            unit=world.commune,
            data={"name": "X", "start": today, "end": today - timedelta(days=1), "sample_kind": "rt_pcr"},
        )
    assert "end" in error.value.message_dict


def test_a_commune_samples_for_the_district_campaign(personas, make_person, lab, today, world):

    district_campaign, _ = do_create_campaign(
        personas["district"],
        unit=world.district,
        data={"name": "Sàng lọc toàn huyện", "start": today, "sample_kind": "rt_pcr"},
    )
    far, _ = do_create_campaign(
        personas["national"], unit=world.far_commune, data={"name": "Xa", "start": today, "sample_kind": "rt_pcr"}
    )
    assert list(campaigns_to_choose(personas["health"])) == [district_campaign]
    sample, _ = do_register_sample(
        personas["health"],
        person=make_person(),
        kind="rt_pcr",
        reason="screening",
        taken_on=today,
        lab=lab,
        campaign=district_campaign,
    )
    assert sample.campaign == district_campaign
    with pytest.raises(ValidationError) as error:
        do_register_sample(
            personas["health"],
            person=make_person(cccd=None),
            kind="rt_pcr",
            reason="screening",
            taken_on=today,
            lab=lab,
            campaign=far,
        )
    assert "campaign" in error.value.message_dict
