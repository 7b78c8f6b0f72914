"""Write the demo district into the database: units, villages, households, people, users."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from chongdich.accounts.models import Grant, User
from chongdich.core import audit, clock
from chongdich.core.dbstats import analyze
from chongdich.core.text import fold
from chongdich.demo.district import COMMUNES, DEMO_PASSWORD, DISTRICT_CODE, PERSONAS, POPULATION_AS_OF
from chongdich.demo.forecast import generate_forecasts
from chongdich.demo.movement import generate_movement
from chongdich.demo.outbreak import generate_outbreak
from chongdich.demo.population import Generator
from chongdich.demo.vaccination import generate_vaccination
from chongdich.people.models import Household, Person
from chongdich.risk.assess import assess_day
from chongdich.risk.models import CapacityReadiness
from chongdich.surveillance.models import Case
from chongdich.tallies import engine
from chongdich.territory.actions import derive_adjacency
from chongdich.territory.loaders import load_units
from chongdich.territory.models import AdminUnit, Kind, Level

BATCH = 5000


def _bands(ages: list[int]) -> dict[str, int]:
    return {
        "population_total": len(ages),
        "pop_0_17": sum(1 for a in ages if a < 18),
        "pop_18_49": sum(1 for a in ages if 18 <= a < 50),
        "pop_50_64": sum(1 for a in ages if 50 <= a < 65),
        "pop_65_plus": sum(1 for a in ages if a >= 65),
    }


def ensure_units(say: Callable[[str], None]) -> AdminUnit:
    if not AdminUnit.objects.filter(code=DISTRICT_CODE).exists():
        say("loading administrative units (legacy structure)…")
        load_units("legacy", progress=say)
        say(f"derived neighbour pairs: {derive_adjacency():,}")
    return AdminUnit.objects.get(code=DISTRICT_CODE)


def ensure_villages(district: AdminUnit) -> dict[str, list[AdminUnit]]:
    villages: dict[str, list[AdminUnit]] = {}
    for code, (_share, area, border, names) in COMMUNES.items():
        commune = AdminUnit.objects.get(code=code)
        AdminUnit.objects.filter(pk=commune.pk).update(is_border=border, area_km2=area)
        existing = list(commune.children.order_by("code"))
        if not existing:
            rng = random.Random(code)
            for number, name in enumerate(names, start=1):
                kind = Kind.BON if name.startswith("Bon ") else Kind.THON
                lat = (commune.lat or 0) + rng.uniform(-0.03, 0.03)
                lon = (commune.lon or 0) + rng.uniform(-0.03, 0.03)
                AdminUnit(
                    code=f"{code}-{number:02d}",
                    name=name,
                    level=Level.VILLAGE,
                    kind=kind,
                    parent=commune,
                    lat=round(lat, 5),
                    lon=round(lon, 5),
                    source="demo",
                ).save()
            existing = list(commune.children.order_by("code"))
        villages[code] = existing
    return villages


@transaction.atomic
def generate(people: int = 70_000, seed: int = 2021, say: Callable[[str], None] = print) -> dict:
    district = ensure_units(say)
    if Person.objects.filter(unit_path__startswith=district.path).exists():
        say("the demo district already has people: nothing generated")
        return {"people": 0}
    villages = ensure_villages(district)
    as_of = date.fromisoformat(POPULATION_AS_OF)
    generator = Generator(seed, as_of)
    ages_by_unit: dict[int, list[int]] = defaultdict(list)
    created = 0
    for code, (share, _area, _border, names) in COMMUNES.items():
        commune = AdminUnit.objects.get(code=code)
        ethnic_share = 0.3 if any(n.startswith("Bon ") for n in names) else 0.05
        households = generator.households(max(1, round(people * share)), ethnic_share)
        household_rows, person_rows, heads = [], [], []
        for index, _synthetic in enumerate(households, start=1):
            village = generator.rng.choice(villages[code])
            household = Household(code=f"{code}-H{index:05d}", address=f"{village.name}")
            household.place_in(village)
            household_rows.append(household)
        Household.objects.bulk_create(household_rows, batch_size=BATCH)
        household_rows = list(Household.objects.filter(code__startswith=f"{code}-H").order_by("code"))
        for household, synthetic in zip(household_rows, households, strict=False):
            for member in synthetic.members:
                person = Person(
                    full_name=member.full_name,
                    folded_name=fold(member.full_name),
                    sex=member.sex,
                    date_of_birth=member.date_of_birth,
                    birth_year=member.date_of_birth.year,
                    cccd=member.cccd,
                    phone=member.phone,
                    household=household,
                    relation=member.relation,
                    address=household.address,
                    residence_status=member.residence,
                    occupation_group=member.occupation,
                )
                person.place_in(household.unit)
                person_rows.append(person)
                if member.relation == "head":
                    heads.append((household, person))
                age = (
                    as_of.year
                    - member.date_of_birth.year
                    - ((as_of.month, as_of.day) < (member.date_of_birth.month, member.date_of_birth.day))
                )
                ages_by_unit[household.unit_id].append(age)
                ages_by_unit[commune.pk].append(age)
                ages_by_unit[district.pk].append(age)
        for start in range(0, len(person_rows), BATCH):
            Person.objects.bulk_create(person_rows[start : start + BATCH])
            created += len(person_rows[start : start + BATCH])
            say(f"people: {created:,} / ~{people:,}")
        for household, person in heads:
            household.head = person
        Household.objects.bulk_update([h for h, _member in heads], ["head"], batch_size=BATCH)
    for unit in AdminUnit.objects.filter(pk__in=list(ages_by_unit)):
        for name, value in _bands(ages_by_unit[unit.pk]).items():
            setattr(unit, name, value)
        unit.population_as_of = as_of
        unit.save()
    analyze(Person, Household, AdminUnit)  # the outbreak that follows reads them in the same transaction
    users = ensure_personas()
    audit.record(
        None, audit.AuditAction.CREATE, district, detail={"demo_people": created, "seed": seed}, label=_("demo data")
    )
    say(f"done: {created:,} people in {sum(len(v) for v in villages.values())} villages of {district.name}")
    return {"people": created, "users": users}


def generate_outbreak_for_demo(seed: int = 2021, say: Callable[[str], None] = print) -> dict:
    """The demo outbreak (July–August 2021), once: written by the national administrator."""
    if Case.objects.filter(unit_path__startswith=AdminUnit.objects.get(code=DISTRICT_CODE).path).exists():
        say("the demo district already has cases: no outbreak generated")
        return {"cases": 0}
    actor = User.objects.get(username="admin")
    with transaction.atomic():
        result = generate_outbreak(actor, clock.today(), seed=seed, say=say)
    with transaction.atomic():
        vaccination = generate_vaccination_for_demo(actor, clock.today(), seed=seed, say=say)
    declare_readiness(actor, district=AdminUnit.objects.get(code=DISTRICT_CODE))
    assess_recent_days(clock.today(), days=14, say=say)
    with transaction.atomic():  # after the levels: arrivals are judged by the levels in force
        movement = generate_movement(actor, clock.today(), seed=seed, say=say)
    # after the outbreak, the levels and the movement: the nightly forecast of the last weeks, as if it had run
    forecasts = generate_forecasts(clock.today(), say=say)
    return {
        **result,
        "doses": len(vaccination.get("doses") or []),
        "passages": movement["passages"],
        "forecast_runs": forecasts["runs"],
    }


def generate_vaccination_for_demo(actor, today, seed: int = 2021, say: Callable[[str], None] = print) -> dict:
    """The district's vaccination history up to ``today``, and its tallies (call inside a transaction)."""
    written = generate_vaccination(actor, today, seed=seed, say=say)
    records = [*(written.get("doses") or []), *(written.get("enrolments") or [])]
    # The vaccination tallies (the coverage part): every record that feeds them, added in one go.
    engine.apply(engine.contributions_of(r for r in records if hasattr(r, "tally_contributions")))
    return written


def declare_readiness(actor, district: AdminUnit) -> None:
    """The district committee declared its treatment capacity ready when QĐ 4800 came in (criterion 3):
    without a declaration the 4800 and 218 levels read "missing data"."""
    CapacityReadiness.objects.get_or_create(
        unit=district,
        effective_from=date(2021, 10, 12),
        defaults={
            "unit_path": district.path,
            "ready": True,
            "note": "Phương án 1.000 giường, 3 tầng điều trị; trạm y tế lưu động ở 8/8 xã",
            "set_by": actor,
        },
    )


def assess_recent_days(today, days: int, say: Callable[[str], None] = print) -> None:
    """Risk levels for the last ``days`` days, so that level pages show a history and announced changes."""
    for back in range(days - 1, -1, -1):
        day = today - timedelta(days=back)
        assess_day(day)
    say(f"risk levels assessed for {days} days up to {today:%d/%m/%Y}")


def ensure_personas() -> list[tuple[str, str, str]]:
    logins = []
    for username, full_name, role, unit_code, description in PERSONAS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                full_name=full_name,
                is_staff=role == "national_admin",
                is_superuser=role == "national_admin",
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        unit = (
            AdminUnit.objects.get(code=unit_code)
            if unit_code
            else AdminUnit.objects.filter(parent__isnull=True).order_by("code").first()
        )
        # A national role covers every unit; its grant is anchored on the first province.
        Grant.objects.get_or_create(user=user, role=role, unit=unit)
        logins.append((username, DEMO_PASSWORD, description))
    return logins
