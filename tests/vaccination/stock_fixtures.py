"""The world of the stock and AEFI tests: a site in Xã Đức Hạnh and one in Xã Phú Văn, a district
store, two lots, and a helper that gives doses (``Dose`` rows written directly: the table's action is
another area's, and the stock only counts the rows)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, time

import pytest
from django.utils import timezone

TODAY = date(2021, 10, 15)
_numbers = itertools.count(1)


@dataclass
class StockWorld:
    site: object  # Trạm Y tế Đức Hạnh (commune)
    other_site: object  # Trạm Y tế Phú Văn (other commune)
    store: object  # the district's store
    lot: object  # AZ, expires 2022
    lot2: object  # PF, expires within 30 days
    person: object


def give(site, lot, person, day: date, count: int = 1, *, voided: bool = False) -> list:
    """``count`` valid doses of ``lot`` given at ``site`` on ``day`` (to ``person``, numbered apart)."""
    from chongdich.vaccination.models import Dose

    doses = []
    for _ in range(count):
        dose = Dose(
            person=person,
            product=lot.product,
            lot=lot,
            lot_number=lot.number,
            given_on=day,
            given_at=timezone.make_aware(datetime.combine(day, time(9, 0))),
            site=site,
            number=next(_numbers),
            voided_at=timezone.now() if voided else None,
        )
        dose.place_in(person.unit)
        dose.save()
        doses.append(dose)
    return doses


@pytest.fixture(name="stock_world")
def stock_world_fixture(world, personas, make_person, settings) -> StockWorld:
    from chongdich.vaccination.models import Lot, Site

    settings.CHONGDICH_TODAY = f"{TODAY.isoformat()}T10:00"

    def site(name, unit):
        made = Site(name=name)
        made.place_in(unit)
        made.save()
        return made

    lot = Lot.objects.create(product="AZ", number="ABV5300", expires_on=date(2022, 3, 31), doses_per_vial=10)
    lot2 = Lot.objects.create(product="PF", number="FF2588", expires_on=date(2021, 11, 5), doses_per_vial=6)
    return StockWorld(
        site=site("Trạm Y tế Đức Hạnh", world.commune),
        other_site=site("Trạm Y tế Phú Văn", world.other_commune),
        store=site("Kho TTYT Bù Gia Mập", world.district),
        lot=lot,
        lot2=lot2,
        person=make_person(full_name="Đỗ Thị Tiêm", sex="F", unit=world.village),
    )
