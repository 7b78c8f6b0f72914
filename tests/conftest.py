"""Shared fixtures: a small real territory (Bù Gia Mập in Bình Phước, plus a commune of another
province) and the personas of the architecture document, each holding its grant."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import date

import pytest

from chongdich.people.identity import sex_century_digit

# Fixtures shared across test packages (a test asks for them by name; no import needed).
pytest_plugins = ["tests.surveillance.pages", "tests.dashboard.world", "tests.vaccination.table_world"]

PASSWORD = "test-password-123"


@dataclass
class World:
    province: object
    district: object
    commune: object  # Xã Đức Hạnh
    other_commune: object  # Xã Phú Văn, same district
    border_commune: object  # Xã Bù Gia Mập
    village: object  # Thôn 1, Đức Hạnh
    village2: object  # Thôn Bù Dinh, Đức Hạnh
    other_village: object  # Thôn Đắk Son, Phú Văn
    far_province: object  # Thành phố Hồ Chí Minh
    far_commune: object


def _unit(code, name, level, kind, parent=None, **extra):
    from chongdich.territory.models import AdminUnit

    unit = AdminUnit(code=code, name=name, level=level, kind=kind, parent=parent, **extra)
    unit.save()
    return unit


@pytest.fixture
def world(db) -> World:
    province = _unit("70", "Tỉnh Bình Phước", "province", "tinh", lat=11.75, lon=106.72)
    district = _unit("691", "Huyện Bù Gia Mập", "district", "huyen", province, lat=12.04, lon=107.05)
    commune = _unit(
        "25228",
        "Xã Đức Hạnh",
        "commune",
        "xa",
        district,
        lat=11.8748,
        lon=107.0421,
        population_total=9000,
        pop_0_17=2500,
        pop_18_49=4200,
        pop_50_64=1500,
        pop_65_plus=800,
    )
    other = _unit("25229", "Xã Phú Văn", "commune", "xa", district, lat=11.9394, lon=107.0658, population_total=7800)
    border = _unit("25222", "Xã Bù Gia Mập", "commune", "xa", district, lat=12.142, lon=107.172, is_border=True)
    village = _unit("25228-01", "Thôn 1", "village", "thon", commune)
    village2 = _unit("25228-02", "Thôn Bù Dinh", "village", "thon", commune)
    other_village = _unit("25229-01", "Thôn Đắk Son", "village", "thon", other)
    far_province = _unit("79", "Thành phố Hồ Chí Minh", "province", "thanh_pho_tw", lat=10.77, lon=106.69)
    far_district = _unit("760", "Quận 1", "district", "quan", far_province)
    far_commune = _unit("26734", "Phường Tân Định", "commune", "phuong", far_district)
    return World(
        province, district, commune, other, border, village, village2, other_village, far_province, far_commune
    )


PERSONAS = {
    # name: (role, unit attribute of World, superuser)
    "national": ("national_admin", "province", True),
    "province": ("province_committee", "province", False),
    "district": ("district_committee", "district", False),
    "commune": ("commune_committee", "commune", False),
    "other_commune": ("commune_committee", "other_commune", False),
    "health": ("health_staff", "commune", False),
    "checkpoint": ("checkpoint_officer", "border_commune", False),
    "community": ("community_team", "village", False),
    "viewer": ("viewer", "district", False),
}


@pytest.fixture
def personas(world) -> dict:
    from chongdich.accounts.models import Grant, User

    users = {}
    for name, (role, unit_attr, superuser) in PERSONAS.items():
        user = User.objects.create_user(
            username=name, password=PASSWORD, full_name=name.title(), is_superuser=superuser
        )
        Grant.objects.create(user=user, role=role, unit=getattr(world, unit_attr))
        users[name] = user
    return users


@pytest.fixture
def client_of(client, personas):
    """client_of("commune") → a test client logged in as that persona (None → anonymous)."""
    from django.test import Client

    def make(name: str | None):
        c = Client()
        if name is not None:
            c.force_login(personas[name])
        return c

    return make


_serial = itertools.count(1)


def valid_cccd(sex: str, year: int, province: str = "070") -> str:
    return f"{province}{sex_century_digit(sex, year)}{year % 100:02d}{next(_serial) % 1_000_000:06d}"


@pytest.fixture
def make_person(world):
    from chongdich.people.models import Person

    rng = random.Random(5)

    def make(unit=None, **fields):
        sex = fields.pop("sex", "M")
        year = fields.pop("birth_year", 1985)
        person = Person(
            full_name=fields.pop("full_name", "Nguyễn Văn An"),
            sex=sex,
            birth_year=year,
            date_of_birth=fields.pop("date_of_birth", date(year, 3, 1)),
            cccd=fields.pop("cccd", valid_cccd(sex, year)),
            phone=fields.pop("phone", f"+8491{rng.randrange(10_000_000):07d}"),
            **fields,
        )
        person.place_in(unit or world.village)
        person.save()
        return person

    return make


@pytest.fixture(autouse=True)
def _fresh_tally_units():
    """Unit ids differ between tests; the tally engine's per-process unit cache must not leak across them."""
    from chongdich.tallies.engine import UNITS

    UNITS.clear()
    yield
    UNITS.clear()


@pytest.fixture
def tally(world):
    """tally(unit, day, field=delta, ...): add to a unit's daily tally (tests/helpers.add_tally)."""
    from tests.helpers import add_tally

    return add_tally
