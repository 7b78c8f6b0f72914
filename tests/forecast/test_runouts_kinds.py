"""The district scenario switches, the labs and the vaccine lots: table-driven cases (already over,
within the horizon, never, the earliest never after the median), the unit of each row."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from chongdich.forecast.models import RunoutKind
from chongdich.forecast.runouts import compute_runouts
from tests.forecast.test_runouts_support import DAY, flat, project, ramp, runouts

pytestmark = pytest.mark.django_db
_dose_numbers = itertools.count(1)


# -- scenario switches -------------------------------------------------------------------------------
@pytest.fixture
def districts(world, tally):
    """Bù Gia Mập: 90 active cases on the day (60 at home in Đức Hạnh, 30 in hospital in Phú Văn; a
    later tally does not count), projected +5 a day (median) and +40 (95%).  Quận 1: 600 already."""
    tally(world.commune, DAY - timedelta(days=5), active_home=60)
    tally(world.other_commune, DAY - timedelta(days=3), active_hospital=30)
    tally(world.commune, DAY + timedelta(days=1), active_home=50)
    tally(world.far_commune, DAY - timedelta(days=1), active_home=600)
    project(world.district, active=(ramp(90, 5), ramp(90, 40)))
    project(world.far_commune.parent, active=flat(600))
    return world


@pytest.mark.parametrize(
    ("district", "kind", "days", "early"),
    [
        ("691", RunoutKind.SCENARIO_100, 2, 1),  # 90 + 5t ≥ 100 on day 2; 90 + 40t on day 1
        ("691", RunoutKind.SCENARIO_500, None, 11),  # never by the median; 90 + 40t ≥ 500 on day 11
        ("760", RunoutKind.SCENARIO_100, 0, 0),  # already there
        ("760", RunoutKind.SCENARIO_500, 0, 0),
    ],
)
def test_scenario_switches(districts, district, kind, days, early):
    compute_runouts(DAY)
    path = "70/691" if district == "691" else "79/760"
    row = runouts(kind)[f"unit:{path}"]
    assert (row.days, row.days_early) == (days, early)
    assert row.capacity == (100 if kind == RunoutKind.SCENARIO_100 else 500)
    assert row.current == (90 if district == "691" else 600)
    assert row.unit.code == district
    assert row.link.endswith(f"/{district}/")


# -- labs --------------------------------------------------------------------------------------------
def lab(unit, name, capacity, *, active=True):
    from chongdich.testing.models import Lab

    made = Lab(name=name, code=name[-6:].replace(" ", ""), daily_capacity=capacity, active=active)
    made.place_in(unit)
    made.save()
    return made


def received(target, count, day=DAY):
    from chongdich.testing.models import Sample

    for i in range(count):
        sample = Sample(code=f"{target.code}-{day:%m%d}-{i}", lab=target, taken_on=day)
        sample.place_in(target.unit)
        sample.save()


@pytest.fixture
def labs(world):
    """Bù Gia Mập is served by 600 RT-PCR a day: a commune lab (100), the district's (300) and the
    province's (200); its tests are projected 200 + 50t (median) and 300 + 100t (95%)."""
    found = {
        "commune": lab(world.commune, "PXN TTYT Đức Hạnh", 100),
        "district": lab(world.district, "PXN TTYT Bù Gia Mập", 300),
        "province": lab(world.province, "PXN CDC Bình Phước", 200),
        "none": lab(world.commune, "Test nhanh Phú Văn", 0),
        "closed": lab(world.commune, "PXN đóng cửa", 500, active=False),
        "small": lab(world.far_commune, "PXN Tân Định", 10),
    }
    project(world.district, tests=(ramp(200, 50), ramp(300, 100)))
    received(found["small"], 12)  # already over its 10 a day
    return found


@pytest.mark.parametrize(
    ("which", "share", "days", "early"),
    [
        ("commune", 1 / 6, 8, 3),  # (200 + 50t) / 6 ≥ 100 on day 8; (300 + 100t) / 6 on day 3
        ("district", 1 / 2, 8, 3),
        ("province", None, 8, 3),  # a third of the district's tests: the same days
        ("small", 1.0, 0, 0),  # no projection for Quận 1, but 12 samples today already exceed 10
    ],
)
def test_labs(labs, which, share, days, early):
    compute_runouts(DAY)
    target = labs[which]
    row = runouts(RunoutKind.LAB)[f"lab:{target.pk}"]
    assert (row.capacity, row.days, row.days_early) == (target.daily_capacity, days, early)
    assert row.unit_id == target.unit_id
    if share is not None:
        assert row.detail["share"] == pytest.approx(share, abs=1e-4)
    else:
        assert row.detail["shares"] == {"691": pytest.approx(1 / 3, abs=1e-4)}


def test_labs_without_pcr_capacity_or_closed_have_no_row(labs):
    compute_runouts(DAY)
    refs = set(runouts(RunoutKind.LAB))
    assert f"lab:{labs['none'].pk}" not in refs and f"lab:{labs['closed'].pk}" not in refs
    assert runouts(RunoutKind.LAB)[f"lab:{labs['small'].pk}"].current == 12


# -- vaccine lots ------------------------------------------------------------------------------------
def give(site, lot, person, day, count):
    from chongdich.vaccination.models import Dose

    for _ in range(count):
        dose = Dose(
            person=person,
            product=lot.product,
            lot=lot,
            lot_number=lot.number,
            given_on=day,
            given_at=timezone.make_aware(datetime.combine(day, time(9, 0))),
            site=site,
            number=next(_dose_numbers),  # one person holds them all: numbered apart
        )
        dose.place_in(person.unit)
        dose.save()


@pytest.fixture
def stock(world, make_person):
    """A commune health station: AZ lot with 100 received, 35 given this week (65 on hand, 5 a day);
    PF lot expiring in 5 days with 50 on hand at the same pace; an unused lot; an expired lot; a used-up lot."""
    from chongdich.vaccination.models import Lot, Site, StockMovement

    site = Site(name="Trạm Y tế Đức Hạnh")
    site.place_in(world.commune)
    site.save()
    person = make_person(full_name="Đỗ Thị Tiêm")
    lots = {
        "pace": Lot.objects.create(product="AZ", number="ABV5300", expires_on=date(2022, 3, 31)),
        "expiring": Lot.objects.create(product="PF", number="FF2588", expires_on=DAY + timedelta(days=5)),
        "unused": Lot.objects.create(product="AZ", number="ABV0001", expires_on=date(2022, 3, 31)),
        "expired": Lot.objects.create(product="AZ", number="ABV0002", expires_on=DAY - timedelta(days=1)),
        "used_up": Lot.objects.create(product="AZ", number="ABV0003", expires_on=date(2022, 3, 31)),
    }
    received = {"pace": 100, "expiring": 85, "unused": 500, "expired": 40, "used_up": 7}
    for key, lot in lots.items():
        movement = StockMovement(site=site, lot=lot, kind="received", day=DAY - timedelta(days=20), doses=received[key])
        movement.place_in(site.unit)
        movement.save()
    for key in ("pace", "expiring", "used_up"):
        for offset in range(7):
            give(site, lots[key], person, DAY - timedelta(days=offset), 5 if key != "used_up" else 1)
    return site, lots


@pytest.mark.parametrize(
    ("which", "on_hand", "days", "expires_first"),
    [
        ("pace", 65, 13, False),  # 65 × 7 / 35: the stock page's 13 days
        ("expiring", 50, 10, True),  # 10 days of use, but it expires in 5 (25 doses left then)
        ("unused", 500, None, True),  # no pace: never runs out, expires first
    ],
)
def test_vaccine_lots(stock, which, on_hand, days, expires_first):
    site, lots = stock
    compute_runouts(DAY)
    row = runouts(RunoutKind.VACCINE)[f"lot:{lots[which].pk}@site:{site.pk}"]
    assert (row.capacity, row.days, row.detail["expires_first"]) == (on_hand, days, expires_first)
    assert row.detail["expires_on"] == lots[which].expires_on.isoformat()
    assert row.unit_id == site.unit_id and lots[which].number in row.subject
    if days is not None:
        assert row.days_early is not None and row.days_early <= row.days
    if which == "expiring":
        assert row.detail["left_at_expiry"] == 25


def test_vaccine_lots_expired_or_used_up_have_no_row(stock):
    site, lots = stock
    compute_runouts(DAY)
    refs = set(runouts(RunoutKind.VACCINE))
    assert f"lot:{lots['expired'].pk}@site:{site.pk}" not in refs
    assert f"lot:{lots['used_up'].pk}@site:{site.pk}" not in refs
    assert len(refs) == 3
