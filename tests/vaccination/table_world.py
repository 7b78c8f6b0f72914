"""Fixtures of the table's tests: a site in Xã Đức Hạnh, two lots, an open session on DAY (the clock
pinned at 09:00 of that day), and a person of Thôn 1.  Imported by name from the test modules."""

from __future__ import annotations

from datetime import date

import pytest

DAY = date(2021, 10, 1)


@pytest.fixture
def pinned(settings):
    settings.CHONGDICH_TODAY = f"{DAY.isoformat()}T09:00"
    return settings


def make_site(unit, name="Trạm Y tế xã Đức Hạnh"):
    from chongdich.vaccination.models import Site

    site = Site(name=name)
    site.place_in(unit)
    site.save()
    return site


def make_lot(product="AZ", number="A1001", expires_on=date(2022, 6, 30)):
    from chongdich.vaccination.models import Lot

    return Lot.objects.create(product=product, number=number, expires_on=expires_on)


@pytest.fixture
def vacc(world, personas, make_person, pinned):
    """site, other_site (Phú Văn), lots az/pf, an open session (commune's), a person, the health worker."""
    from chongdich.vaccination.actions.table import do_create_session, do_set_session_status

    health = personas["health"]
    site = make_site(world.commune)
    other_site = make_site(world.other_commune, "Trạm Y tế xã Phú Văn")
    az = make_lot()
    pf = make_lot("PF", "FK0001")
    session, _ = do_create_session(health, site=site, data={"day": DAY, "planned": 100}, lots=[az, pf])
    do_set_session_status(health, session, "open")
    session.refresh_from_db()
    person = make_person(full_name="Nguyễn Văn An", birth_year=1980)
    return {
        "health": health,
        "site": site,
        "other_site": other_site,
        "az": az,
        "pf": pf,
        "session": session,
        "person": person,
    }


def all_no() -> dict:
    """Every question of the checklist answered "no"."""
    from chongdich.vaccination.selectors.table import checklist

    return {q.code: False for q in checklist(DAY, "70")}


def eligible(vacc, person=None):
    """Screen a person eligible in the session."""
    from chongdich.vaccination.actions.table import do_screen

    screening, _ = do_screen(vacc["health"], person=person or vacc["person"], session=vacc["session"], answers=all_no())
    return screening
