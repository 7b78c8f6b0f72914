"""A seeded outbreak in the demo district, July–August 2021, written through the real services.

The transmission tree is drawn first (households, a market, a cashew factory, a few sparks in other
communes); the days are then replayed in order so that every record passes the same validation as an
officer's entry: positive samples, confirmed cases treated in hospital, field hospital or treatment
area, exposures traced from each case, F1 quarantined in concentrated facilities (one of them close to
full) or at home, their samples and results, recoveries and a few deaths.  Tallies and chains follow
from the services, exactly as in production.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from chongdich.care.actions.facilities import do_create_facility
from chongdich.care.actions.orders import do_order_home_quarantine
from chongdich.care.actions.stays import do_admit, do_discharge
from chongdich.care.models import BedType, FacilityKind, HomeOrder, Stay, StayPurpose
from chongdich.core.dbstats import analyze
from chongdich.people.models import Person
from chongdich.surveillance.actions import do_confirm_case, do_record_exposure
from chongdich.surveillance.models import Case, Cluster, Contact, DetectedIn, Exposure, Setting, TreatmentPlace
from chongdich.tallies.engine import tracked
from chongdich.tallies.models import DailyTally
from chongdich.territory.models import AdminUnit
from chongdich.testing.actions import do_create_lab, do_record_result, do_register_sample
from chongdich.testing.models import Sample

START = date(2021, 7, 5)
# Distancing (Directive 16 across the province from 20/8/2021) ends the summer wave: nobody is infected
# in its chains after this day.
SUMMER_END = date(2021, 8, 20)
# The autumn wave: workers coming home from Bình Dương and Hồ Chí Minh City after 1/10/2021, then a
# wedding in Đa Kia — small chains under QĐ 4800, in a district now mostly vaccinated.
AUTUMN_SEEDS = (
    ("25225", date(2021, 11, 8), "other"),
    ("25231", date(2021, 11, 17), "other"),
    ("25222", date(2021, 11, 24), "other"),
)
AUTUMN_LIMIT = 90
# The wedding in Đa Kia (30/11/2021): guests fall ill over the following days and their households after
# them, so the demo's last week grows (the forecast's "where it is getting worse" and a reliable Rt for the
# commune and the district; beds projected to fill).  Drawn apart from the chains, so the population's
# size does not decide whether it happens.
WEDDING = ("25231", date(2021, 11, 30), 26)


@dataclass
class Infection:
    person_id: int
    infected_on: date
    infector_id: int | None
    setting: str  # household, market, industrial_park, other
    confirm_on: date = field(default=date.max)


@dataclass
class World:
    actor: object
    today: date
    rng: random.Random
    facilities: dict = field(default_factory=dict)
    clusters: dict = field(default_factory=dict)
    lab: object = None
    cases: dict = field(default_factory=dict)  # person id → Case
    pending_samples: list = field(default_factory=list)  # (result day, sample, status)
    say: Callable[[str], None] = print


def _households(commune_code: str) -> dict[int, list[int]]:
    members: dict[int, list[int]] = defaultdict(list)
    for pk, household in Person.objects.filter(commune_code=commune_code).values_list("pk", "household_id"):
        if household:
            members[household].append(pk)
    return members


SUMMER_SEEDS = (  # commune, day, setting
    ("25228", START, "market"),  # Chợ Đức Hạnh
    ("25267", START + timedelta(days=8), "industrial_park"),  # xưởng chế biến điều Phú Nghĩa
    ("25231", START + timedelta(days=21), "other"),  # Đa Kia, source not found
)


def draw_tree(
    rng: random.Random,
    today: date,
    limit: int,
    *,
    household: float = 0.3,
    early_r: float = 1.0,
    late_r: float = 0.9,
    seeds=SUMMER_SEEDS,
    exclude: frozenset[int] = frozenset(),
) -> list[Infection]:
    """Who infected whom and when (seeded): a few sparks that grow into chains (none infects after ``today``)."""
    codes = dict.fromkeys(("25228", "25267", "25231", "25229", "25225", *(code for code, _d, _s in seeds)))
    by_commune = {
        code: [
            row
            for row in Person.objects.filter(commune_code=code).values_list("pk", "household_id", "occupation_group")
            if row[0] not in exclude
        ]
        for code in codes
    }
    household_of = {pk: hh for rows in by_commune.values() for pk, hh, _o in rows}
    homes = defaultdict(list)
    for rows in by_commune.values():
        for pk, hh, _o in rows:
            if hh:
                homes[hh].append(pk)
    commune_of = {pk: code for code, rows in by_commune.items() for pk, _h, _o in rows}
    workers = {
        code: [pk for pk, _h, occ in rows if occ in ("market", "factory", "services", "farmer")]
        for code, rows in by_commune.items()
    }
    begin = min(day for _code, day, _setting in seeds)
    infected: dict[int, Infection] = {}
    queue: list[Infection] = []
    for code, day, setting in seeds:
        person = rng.choice(workers[code])
        infection = Infection(person, day, None, setting)
        infected[person] = infection
        queue.append(infection)
    while queue and len(infected) < limit:
        queue.sort(key=lambda i: i.infected_on)
        source = queue.pop(0)
        code = commune_of[source.person_id]
        lateness = (source.infected_on - begin).days
        community_r = early_r if lateness < 30 else late_r  # distancing from early August slows the spread
        targets = [
            (pk, "household")
            for pk in homes.get(household_of.get(source.person_id), [])
            if pk != source.person_id and rng.random() < household
        ]
        hub = {"25228": "market", "25267": "industrial_park"}.get(code)  # the market and the factory keep spreading
        for _ in range(int(rng.expovariate(1 / community_r))):
            pool = workers[code] if rng.random() < 0.9 else workers[rng.choice(list(workers))]
            setting = source.setting if source.setting in ("market", "industrial_park") else "other"
            if hub and rng.random() < 0.5:
                setting = hub
            targets.append((rng.choice(pool), setting))
        for person, setting in targets:
            day = source.infected_on + timedelta(days=rng.randint(2, 5))
            if person in infected or day > today:
                continue
            infection = Infection(person, day, source.person_id, setting)
            infected[person] = infection
            queue.append(infection)
    for infection in infected.values():
        infection.confirm_on = infection.infected_on + timedelta(days=rng.randint(2, 5))
    return sorted((i for i in infected.values() if i.confirm_on <= today), key=lambda i: (i.confirm_on, i.person_id))


def wedding_guests(rng: random.Random, today: date, exclude) -> list[Infection]:
    """The wedding's cases: guests infected on the day, confirmed 2–9 days later (more of them as the
    days pass), then one in three of their household members a few days after them."""
    code, day, guests = WEDDING
    if today < day:
        return []
    rows = Person.objects.filter(commune_code=code, birth_year__lte=day.year - 16).values_list("pk", "household_id")
    pool = sorted((pk, household) for pk, household in rows if pk not in exclude)
    chosen = rng.sample(pool, min(guests, len(pool)))
    infections, taken = [], set(exclude) | {pk for pk, _household in chosen}
    members = defaultdict(list)
    for pk, household in Person.objects.filter(household_id__in={h for _p, h in chosen if h}).values_list(
        "pk", "household_id"
    ):
        members[household].append(pk)
    for pk, household in chosen:
        confirm = day + timedelta(days=2 + round(7 * rng.random() ** 0.6))
        infections.append(Infection(pk, day, None, "other", confirm))
        for other in members.get(household, []):
            if other not in taken and rng.random() < 1 / 3:
                taken.add(other)
                infected = confirm - timedelta(days=rng.randint(0, 2))
                infections.append(
                    Infection(other, infected, pk, "household", infected + timedelta(days=rng.randint(2, 4)))
                )
    return [i for i in infections if i.confirm_on <= today]


def at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def generate_outbreak(
    actor, today: date, seed: int = 2021, limit: int = 600, say: Callable[[str], None] = print
) -> dict:
    rng = random.Random(seed)
    world = World(actor=actor, today=today, rng=rng, say=say)
    unit = {code: AdminUnit.objects.get(code=code) for code in ("691", "25228", "25267", "25231")}
    opened = START - timedelta(days=30)
    specs = {
        "hospital": (
            "Trung tâm Y tế huyện Bù Gia Mập",
            FacilityKind.HOSPITAL,
            "25267",
            {BedType.TREATMENT: 60, BedType.OXYGEN: 20, BedType.ICU: 4},
        ),
        "field": (
            "Bệnh viện dã chiến số 1 — Trường THPT Đa Kia",
            FacilityKind.FIELD_HOSPITAL,
            "25231",
            {BedType.TREATMENT: 250, BedType.OXYGEN: 30},
        ),
        "area": ("Khu điều trị tập trung xã Phú Nghĩa", FacilityKind.TREATMENT_AREA, "25267", {BedType.TREATMENT: 80}),
        "quarantine_district": (
            "Khu cách ly tập trung Ban CHQS huyện",
            FacilityKind.CONCENTRATED_QUARANTINE,
            "25267",
            {BedType.QUARANTINE: 400},
        ),
        "quarantine_duchanh": (
            "Khu cách ly tập trung xã Đức Hạnh — Trường Tiểu học Đức Hạnh",
            FacilityKind.CONCENTRATED_QUARANTINE,
            "25228",
            {BedType.QUARANTINE: 90},
        ),
    }
    for key, (name, kind, code, beds) in specs.items():
        world.facilities[key], _ = do_create_facility(
            actor,
            unit=unit[code],
            capacity=beds,
            data={"name": name, "kind": kind, "opened_on": opened, "ready_within_24h": True},
        )
    world.lab, _ = do_create_lab(
        actor,
        unit=unit["691"],
        data={
            "name": "Phòng xét nghiệm Trung tâm Y tế huyện",
            "code": "TTYT-BGM",
            "daily_capacity": 800,
            "antigen_capacity": 2000,
        },
    )
    for key, name, setting, code in (
        ("market", "Chợ Đức Hạnh", Setting.MARKET, "25228"),
        ("industrial_park", "Xưởng chế biến điều Phú Nghĩa", Setting.INDUSTRIAL_PARK, "25267"),
    ):
        cluster = Cluster(name=name, setting=setting, source_known=False, opened_on=START)
        cluster.place_in(unit[code])
        with tracked() as tally:  # open in the cluster tallies the risk engine reads
            cluster.save()
            tally.add(cluster)
        world.clusters[key] = cluster
    tree = draw_tree(rng, min(today, SUMMER_END), limit)
    if today >= AUTUMN_SEEDS[0][1]:
        summer = frozenset(i.person_id for i in tree)
        autumn = draw_tree(
            random.Random(seed + 1), today, AUTUMN_LIMIT, seeds=AUTUMN_SEEDS, exclude=summer, household=0.3, early_r=2.0
        )
        taken = summer | {i.person_id for i in autumn}
        wedding = wedding_guests(random.Random(seed + 2), today, exclude=taken)
        tree = sorted([*tree, *autumn, *wedding], key=lambda i: (i.confirm_on, i.person_id))
    say(f"outbreak: {len(tree)} cases to confirm between {START:%d/%m} and {today:%d/%m/%Y}")
    by_day: dict[date, list[Infection]] = defaultdict(list)
    for infection in tree:
        by_day[infection.confirm_on].append(infection)
    infected_by: dict[int, list[Infection]] = defaultdict(list)
    for infection in tree:
        if infection.infector_id:
            infected_by[infection.infector_id].append(infection)
    day = START
    while day <= today:
        _results_due(world, day)
        _recoveries_due(world, day)
        _quarantines_ending(world, day)
        for infection in by_day.get(day, []):
            _confirm(world, infection, infected_by, day)
        if day.weekday() == 0 and day > START:
            say(f"  {day:%d/%m}: {len(world.cases)} cases")
            _refresh_statistics()
        day += timedelta(days=1)
    return {"cases": len(world.cases)}


def _refresh_statistics() -> None:
    """The outbreak is written in one transaction: keep PostgreSQL's plans in step with the tables."""
    analyze(Case, Exposure, Contact, Sample, HomeOrder, Stay, DailyTally)


def _results_due(world: World, day: date) -> None:
    due = [item for item in world.pending_samples if item[0] <= day]
    world.pending_samples = [item for item in world.pending_samples if item[0] > day]
    for result_day, sample, status in due:
        sample.refresh_from_db()
        if sample.status == "pending":
            do_record_result(
                world.actor,
                sample,
                status=status,
                result_on=result_day,
                ct=None if status == "negative" else world.rng.randint(18, 32),
            )


def _recoveries_due(world: World, day: date) -> None:
    for person_id, case in list(world.cases.items()):
        if case.outcome != "active":
            continue
        length = (day - case.confirmed_on).days
        due = world.rng.random() < (0.25 if length >= 14 else 0)
        if not due and length < 21:
            continue
        stay = Stay.objects.filter(person_id=person_id, discharged_on__isnull=True).first()
        dies = case.severity in ("severe", "critical") and world.rng.random() < 0.15
        if stay is not None:
            do_discharge(world.actor, stay, on=day, reason="died" if dies else "recovered")
        case.refresh_from_db()
        world.cases[person_id] = case


def _quarantines_ending(world: World, day: date) -> None:
    for stay in Stay.objects.filter(purpose=StayPurpose.QUARANTINE_F1, discharged_on__isnull=True, planned_end__lt=day):
        try:
            do_discharge(world.actor, stay, on=day, reason="completed")
        except ValidationError:
            pass


def _confirm(world: World, infection: Infection, infected_by, day: date) -> None:
    rng = world.rng
    person = Person.objects.select_related("unit").get(pk=infection.person_id)
    open_stay = Stay.objects.filter(person=person, discharged_on__isnull=True).first()
    detected = DetectedIn.QUARANTINE if open_stay is not None else DetectedIn.COMMUNITY
    sample, _ = do_register_sample(
        world.actor,
        person=person,
        kind="rt_pcr",
        reason="f1" if open_stay else "fever_cough",
        taken_on=day - timedelta(days=1),
        lab=world.lab,
    )
    do_record_result(world.actor, sample, status="positive", ct=rng.randint(16, 30), result_on=day)
    if open_stay is not None:
        do_discharge(world.actor, open_stay, on=day, reason="became_case")
    severity = rng.choices(["asymptomatic", "mild", "moderate", "severe"], [45, 38, 12, 5])[0]
    facility = world.facilities[
        "hospital" if severity in ("moderate", "severe") else rng.choice(["field", "field", "area"])
    ]
    cluster = world.clusters.get(infection.setting)
    # Tracing often finds no source for a case detected in the community (the infector is not identified yet).
    source_known = infection.setting == "household" or (
        infection.infector_id is not None and (detected != DetectedIn.COMMUNITY or rng.random() > 0.2)
    )
    symptomatic = severity != "asymptomatic"
    case, _ = do_confirm_case(
        world.actor,
        person,
        confirmed_on=day,
        treatment_place=TreatmentPlace.HOME,
        detected_in=detected,
        source_known=source_known,
        setting={
            "market": Setting.MARKET,
            "industrial_park": Setting.INDUSTRIAL_PARK,
            "household": Setting.HOUSEHOLD,
        }.get(infection.setting, Setting.OTHER),
        cluster=cluster,
        severity=severity,
        symptomatic=symptomatic,
        onset_date=day - timedelta(days=rng.randint(0, 2)) if symptomatic else None,
        sample_code=sample.code,
    )
    bed = BedType.OXYGEN if severity == "severe" else BedType.TREATMENT
    do_admit(
        world.actor,
        person,
        facility=facility,
        bed_type=bed,
        purpose=StayPurpose.TREATMENT,
        on=day,
        case=case,
        overflow=True,
    )
    world.cases[person.pk] = case
    _trace(world, person, case, infected_by.get(person.pk, []), day)


def _trace(world: World, person: Person, case, infected, day: date) -> None:
    """Exposures found by the tracing team, and quarantine of the F1 found."""
    rng = world.rng
    household = (
        list(Person.objects.filter(household_id=person.household_id).exclude(pk=person.pk))
        if person.household_id
        else []
    )
    community = list(
        Person.objects.filter(commune_code=person.commune_code)
        .exclude(household_id=person.household_id)
        .order_by("?")[: rng.randint(2, 6)]
    )
    spread = list(Person.objects.filter(pk__in=[i.person_id for i in infected]))
    for other in {p.pk: p for p in [*household, *community, *spread]}.values():
        kind = "household" if other.household_id and other.household_id == person.household_id else "close_unmasked"
        when = day - timedelta(days=rng.randint(1, 3))
        try:
            do_record_exposure(
                world.actor,
                source=person,
                contact=other,
                kind=kind,
                start=at(when, 9 + rng.randint(0, 9)),
                distance_m=1 if kind != "household" else None,
            )
        except ValidationError:
            continue
    for contact in Contact.objects.filter(index_case=case, rank=1).select_related("person__unit"):
        contact_person = contact.person
        if Case.objects.filter(person=contact_person, outcome="active").exists():
            continue
        if (
            Stay.objects.filter(person=contact_person, discharged_on__isnull=True).exists()
            or HomeOrder.objects.filter(person=contact_person, status="active").exists()
        ):
            continue
        try:
            if rng.random() < 0.75:
                facility = world.facilities[
                    "quarantine_duchanh"
                    if person.commune_code == "25228" and rng.random() < 0.7
                    else "quarantine_district"
                ]
                do_admit(
                    world.actor,
                    contact_person,
                    facility=facility,
                    bed_type=BedType.QUARANTINE,
                    purpose=StayPurpose.QUARANTINE_F1,
                    on=day,
                    contact=contact,
                    last_exposure=contact.last_exposure,
                    overflow=False,
                )
            else:
                do_order_home_quarantine(
                    world.actor,
                    contact_person,
                    contact=contact,
                    override_reason="Tỉnh áp dụng cách ly F1 tại nhà theo CV 5599/BYT-MT",
                )
        except ValidationError:
            continue  # a full facility: the officer picks another place, as in real life
        sample, _ = do_register_sample(
            world.actor, person=contact_person, kind="rt_pcr", reason="f1", taken_on=day, lab=world.lab
        )
        world.pending_samples.append((day + timedelta(days=1), sample, "negative"))
