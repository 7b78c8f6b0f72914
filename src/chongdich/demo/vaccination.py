"""The demo district's vaccination history, March 2021 to the demo's day, written in bulk.

It follows Vietnam's 2021 campaign as Bình Phước lived it:

- from late March 2021, AstraZeneca (COVAX) for health workers, then police and army (NQ 21's groups);
- from July 2021 (QĐ 3355's 16 groups), teachers and public-facing staff, essential services, people
  over 65 and with chronic disease, workers of the cashew factories — AstraZeneca and Vero Cell;
- September–November 2021, the mass campaign for every adult: Vero Cell, AstraZeneca, then Moderna;
  children 12–17 with Pfizer from November (from their 12th birthday); the two remote border communes (Bù Gia Mập,
  Đắk Ơ) lag behind and are reached by the district's mobile team;
- second doses at each product's interval (AstraZeneca 8–12 weeks, some completed with Pfizer when
  AstraZeneca ran short; Vero Cell 3–4 weeks; Moderna 4 weeks; Pfizer 3 weeks), a few % never return;
- boosters from 20/11/2021 for health workers, the police and army and people over 65 whose primary
  series ended 6 months before.

Sites are the communes' health stations, the district medical centre and a mobile team; each lot
is received at a site before its first dose (whole vials), opened vials left over at the end of a
session are discarded, an expired remainder is discarded closed.  A few AEFI reports (one serious).
The next session of Đức Hạnh's health station is planned for tomorrow with its invitations.

Everything is drawn from the seed (pure Python first), then written with ``bulk_create`` in one
transaction (doses and enrolments by ``executemany``): a 70,000-person district gets its ~89,000 doses in
about 25 seconds of CPU.  Doses carry the snapshot
fields the table would have written (kind, number, completes_primary, age band, priority group,
high risk).
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.utils import timezone

from chongdich.core import audit
from chongdich.core.dbstats import analyze
from chongdich.people.models import Person
from chongdich.surveillance.models import Case, Outcome
from chongdich.territory.models import AdminUnit
from chongdich.vaccination.models import (
    AefiOutcome,
    AefiReport,
    Causality,
    Dose,
    DoseKind,
    DoseSource,
    Enrolment,
    Invitation,
    InvitationStatus,
    Lot,
    MovementKind,
    Session,
    SessionStatus,
    Severity,
    Shift,
    Site,
    SiteKind,
    StockMovement,
)

BATCH = 5000
DISTRICT = "691"
FIRST_DAY = date(2021, 3, 29)  # the province's first doses (health workers)
QD_3355 = date(2021, 7, 8)  # the 16 priority groups replace NQ 21's list
BOOSTER_FROM = date(2021, 11, 20)  # CV 9853/BYT-DP (19/11/2021): additional and booster doses
CHILDREN_FROM = date(2021, 11, 1)  # 12–17 with Pfizer
LOW_COVERAGE = {"25222": 0.4, "25225": 0.44}  # remote border communes: adults reached outside the groups
ELSEWHERE = 0.955

# product: (second dose after min..max days, doses per vial, lot number pattern)
PRODUCTS = {
    "AZ": ((56, 84), 10, "AZ{:04d}"),
    "VC": ((21, 28), 1, "2021{:04d}VC"),
    "PF": ((21, 28), 6, "FF{:04d}"),
    "MO": ((28, 35), 10, "30{:05d}"),
}
PRODUCT_NAMES = {"AZ": "AstraZeneca", "VC": "Vero Cell", "PF": "Pfizer-BioNTech", "MO": "Moderna"}

# Priority groups by meaning → the catalogue's code (QĐ 3355's numbering; NQ 21's before 8/7/2021).
GROUP_CODES = {
    "health": ("G01", False),
    "response": ("G02", False),
    "army": ("G03", False),
    "police": ("G04", False),
    "services": ("G06", False),
    "teachers": ("G07", False),
    "elderly": ("G08", True),
    "workers": ("G12", False),
    "freelance": ("G14", False),
}


def age_band(born: date, on: date) -> str:
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    if age < 18:
        return "0_17"
    if age < 50:
        return "18_49"
    if age < 65:
        return "50_64"
    return "65_plus"


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@dataclass
class PlannedDose:
    person: int
    product: str
    on: date
    kind: str
    number: int
    completes_primary: bool
    site: str  # a site key
    group: str  # a GROUP_CODES key or ""


@dataclass
class Plan:
    doses: list[PlannedDose] = field(default_factory=list)
    enrolments: list[tuple[int, str, date]] = field(default_factory=list)  # person, group key, since


def _between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _first_dose(rng: random.Random, group: str, commune: str) -> tuple[str, date, str]:
    """Product, day and site of a person's first dose, by the phase of the campaign that reached them."""
    station = f"station:{commune}"
    if group == "health":
        return "AZ", _between(rng, FIRST_DAY, date(2021, 4, 23)), "hospital"
    if group in ("army", "police"):
        return "AZ", _between(rng, date(2021, 5, 10), date(2021, 6, 18)), "hospital"
    if group == "teachers":
        return "AZ", _between(rng, date(2021, 7, 15), date(2021, 8, 12)), station
    if group in ("services", "freelance"):
        return "VC", _between(rng, date(2021, 8, 5), date(2021, 8, 31)), station
    if group == "workers":
        return "VC", _between(rng, date(2021, 8, 10), date(2021, 9, 8)), "hospital"
    if group == "elderly":
        return "AZ", _between(rng, date(2021, 8, 16), date(2021, 9, 17)), station
    if commune in LOW_COVERAGE:  # the mobile team reaches the remote villages late
        product = rng.choices(["VC", "AZ", "MO"], [45, 35, 20])[0]
        return product, _between(rng, date(2021, 10, 18), date(2021, 12, 6)), "mobile"
    product = rng.choices(["VC", "AZ", "MO"], [50, 30, 20])[0]
    window = {
        "VC": (date(2021, 9, 8), date(2021, 10, 8)),
        "AZ": (date(2021, 9, 20), date(2021, 10, 22)),
        "MO": (date(2021, 10, 15), date(2021, 11, 12)),
    }[product]
    return product, _between(rng, *window), station


def _group_of(rng: random.Random, occupation: str, age: int) -> str:
    if occupation == "health":
        return "health"
    if occupation == "security":
        return rng.choice(["army", "police"])
    if occupation in ("education", "office"):
        return "teachers"
    if occupation in ("driver", "delivery", "market", "services"):
        return "services"
    if occupation == "factory":
        return "workers"
    if age >= 65:
        return "elderly"
    if age >= 18 and rng.random() < 0.015:
        return "response"  # community COVID teams, volunteers
    return ""


def plan_history(people, today: date, seed: int, dead: dict[int, date]) -> Plan:
    """Who got which dose when (pure, seeded). ``people``: (pk, born, occupation, commune) tuples."""
    rng = random.Random(seed * 7 + 3)
    plan = Plan()
    for pk, born, occupation, commune in people:
        end = min(today, dead.get(pk, date.max))
        age = age_on(born, today)
        if age < 12:
            continue
        if age < 18:
            share = 0.45 if commune in LOW_COVERAGE else 0.88
            if rng.random() >= share:
                continue
            first = _between(rng, CHILDREN_FROM, date(2021, 12, 3))
            twelve = date(born.year + 12, born.month, 28 if (born.month, born.day) == (2, 29) else born.day)
            first = max(first, twelve + timedelta(days=rng.randint(0, 10)))  # from their 12th birthday
            site = "mobile" if commune in LOW_COVERAGE else f"station:{commune}"
            _series(rng, plan, pk, "PF", first, end, site, "")
            continue
        group = _group_of(rng, occupation, age)
        if group:
            since = FIRST_DAY - timedelta(days=7) if group == "health" else date(2021, 5, 1)
            if group not in ("health", "army", "police"):
                since = QD_3355
            plan.enrolments.append((pk, group, since))
        reach = (0.85 if group else LOW_COVERAGE[commune]) if commune in LOW_COVERAGE else ELSEWHERE
        if rng.random() >= reach:
            continue
        product, first, site = _first_dose(rng, group, commune)
        if age_on(born, first) < 18:  # turned 18 after the campaign reached them: vaccinated with the teenagers
            product, first = "PF", max(first, _between(rng, CHILDREN_FROM, date(2021, 12, 3)))
        _series(rng, plan, pk, product, first, end, site, group)
    return plan


def _series(rng: random.Random, plan: Plan, pk: int, product: str, first: date, end: date, site: str, group: str):
    if first > end:
        return
    plan.doses.append(PlannedDose(pk, product, first, DoseKind.PRIMARY, 1, False, site, group))
    if rng.random() < 0.03:  # never came back for the second dose
        return
    (low, high), _vial, _pattern = PRODUCTS[product]
    second_on = first + timedelta(days=rng.randint(low, high))
    second = product
    if product == "AZ" and second_on >= date(2021, 10, 1) and rng.random() < 0.2:
        second = "PF"  # AstraZeneca ran short: the series completed with Pfizer (allowed)
    if second_on > end:
        return
    second_site = "hospital" if group in ("health", "army", "police") else site
    plan.doses.append(PlannedDose(pk, second, second_on, DoseKind.PRIMARY, 2, True, second_site, group))
    if group not in ("health", "army", "police", "elderly"):
        return
    booster_on = max(second_on + timedelta(days=183 + rng.randint(0, 20)), BOOSTER_FROM + timedelta(rng.randint(0, 3)))
    if booster_on <= end and rng.random() < 0.75:
        booster = "MO" if product == "MO" else "PF"
        booster_site = "hospital" if group != "elderly" else site
        plan.doses.append(PlannedDose(pk, booster, booster_on, DoseKind.BOOSTER, 1, False, booster_site, group))


# -- writing ------------------------------------------------------------------------------------------------


def insert_rows(objects: list) -> None:
    """``bulk_create`` without Django's per-value preparation (most of its time for 100,000 doses): one
    ``executemany`` of plain values, converted once per field kind.  The rows get no primary key here."""
    if not objects:
        return
    model = type(objects[0])
    ops = connection.ops
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    converters = []
    for f in fields:
        kind = f.get_internal_type()
        if kind == "JSONField":
            converters.append(lambda value, field=f: field.get_db_prep_save(value, connection))  # jsonb on PostgreSQL
        elif kind == "DateTimeField":
            converters.append(ops.adapt_datetimefield_value)
        elif kind == "DateField":
            converters.append(ops.adapt_datefield_value)
        else:
            converters.append(None)
    attnames = [f.attname for f in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608 - fixed SQL
    rows = [
        [value if convert is None else convert(value) for value, convert in zip(values, converters, strict=True)]
        for values in ([getattr(obj, name) for name in attnames] for obj in objects)
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def _moment(rng: random.Random, day: date) -> datetime:
    """A time of the working day (Asia/Ho_Chi_Minh, no daylight saving: plain arithmetic is exact)."""
    start = datetime.combine(day, time(7, 30), tzinfo=timezone.get_default_timezone())
    return start + timedelta(minutes=rng.randint(0, 8 * 60))


def _sites(actor, district: AdminUnit, communes: dict[str, AdminUnit], hospital_commune: str) -> dict[str, Site]:
    sites = {
        "hospital": Site(
            name="Trung tâm Y tế huyện Bù Gia Mập",
            kind=SiteKind.HOSPITAL,
            address="Xã Phú Nghĩa, huyện Bù Gia Mập",
            phone="02713501234",
            tables=4,
        ),
        "mobile": Site(name="Đội tiêm lưu động huyện Bù Gia Mập", kind=SiteKind.MOBILE, tables=2),
    }
    sites["hospital"].place_in(communes[hospital_commune])
    sites["mobile"].place_in(district)
    for code, commune in communes.items():
        station = Site(
            name=f"Trạm Y tế {commune.name[:1].lower()}{commune.name[1:]}",
            kind=SiteKind.HEALTH_STATION,
            address=commune.name,
            tables=2,
        )
        station.place_in(commune)
        sites[f"station:{code}"] = station
    for site in sites.values():
        site.stamp(actor)
        site.created_at = _moment(random.Random(site.name), FIRST_DAY - timedelta(days=10))
    Site.objects.bulk_create(sites.values())
    return sites


def _lots(rng: random.Random, planned: list[PlannedDose], actor) -> dict[tuple[str, date], Lot]:
    """Lots of each product, one per three-week window of use; expiry some weeks after the window."""
    first_use: dict[str, date] = {}
    last_use: dict[str, date] = {}
    for dose in planned:
        first_use[dose.product] = min(first_use.get(dose.product, dose.on), dose.on)
        last_use[dose.product] = max(last_use.get(dose.product, dose.on), dose.on)
    lots: dict[tuple[str, date], Lot] = {}
    rows = []
    for product in sorted(first_use):
        _interval, per_vial, pattern = PRODUCTS[product]
        start = first_use[product]
        while start <= last_use[product]:
            number = pattern.format(rng.randrange(10 ** (4 if product != "MO" else 5)))
            while any(lot.number == number for lot in rows):
                number = pattern.format(rng.randrange(10 ** (4 if product != "MO" else 5)))
            lot = Lot(
                product=product,
                number=number,
                expires_on=start + timedelta(days=21 + rng.randint(20, 110)),
                doses_per_vial=per_vial,
                source={"AZ": "COVAX", "VC": "Viện trợ", "PF": "COVAX", "MO": "Viện trợ"}[product],
            )
            lot.stamp(actor)
            lot.created_at = _moment(rng, start - timedelta(days=4))
            rows.append(lot)
            lots[(product, start)] = lot
            start += timedelta(days=21)
    Lot.objects.bulk_create(rows)
    return lots


def _lot_for(lots: dict[tuple[str, date], Lot], product: str, day: date) -> Lot:
    best = None
    for (code, start), lot in lots.items():
        if code == product and start <= day and (best is None or start > best[0]):
            best = (start, lot)
    return best[1]


def generate_vaccination(actor, today: date, seed: int = 2021, say: Callable[[str], None] = print) -> dict:
    """Write the district's vaccination history up to ``today`` (call inside a transaction)."""
    district = AdminUnit.objects.get(code=DISTRICT)
    if Dose.objects.filter(unit_path__startswith=district.path).exists():
        say("the demo district already has vaccine doses: no vaccination history generated")
        return {"doses": 0}
    rng = random.Random(seed)
    communes = {unit.code: unit for unit in AdminUnit.objects.filter(parent=district).order_by("code")}
    rows = list(
        Person.objects.filter(unit_path__startswith=district.path)
        .order_by("pk")
        .values_list("pk", "date_of_birth", "occupation_group", "commune_code", "unit_id", "unit_path", "province_code")
    )
    where = {pk: (unit, path, province, commune) for pk, _b, _o, commune, unit, path, province in rows}
    born = {pk: dob for pk, dob, *_rest in rows}
    dead = dict(
        Case.objects.filter(outcome=Outcome.DIED, unit_path__startswith=district.path).values_list(
            "person_id", "outcome_on"
        )
    )
    plan = plan_history([(pk, dob, occ, commune) for pk, dob, occ, commune, *_r in rows], today, seed, dead)
    plan.doses.sort(key=lambda d: (d.on, d.person, d.kind, d.number))
    say(f"vaccination: {len(plan.doses):,} doses to write from {FIRST_DAY:%d/%m/%Y} to {today:%d/%m/%Y}")

    sites = _sites(actor, district, communes, "25267")
    lots = _lots(rng, plan.doses, actor)

    enrolled: dict[int, str] = {}
    enrolments = []
    for pk, group, since in plan.enrolments:
        code, high_risk = GROUP_CODES[group]
        unit, path, province, commune = where[pk]
        enrolment = Enrolment(
            person_id=pk,
            group=code,
            high_risk=high_risk,
            since=since,
            unit_id=unit,
            unit_path=path,
            province_code=province,
            commune_code=commune,
        )
        enrolment.stamp(actor)
        enrolment.created_at = _moment(rng, since)
        enrolments.append(enrolment)
        enrolled[pk] = group
    insert_rows(enrolments)
    enrolment_pks = dict(Enrolment.objects.filter(unit_path__startswith=district.path).values_list("person_id", "pk"))
    for enrolment in enrolments:
        enrolment.pk = enrolment_pks[enrolment.person_id]  # one enrolment per person in the demo
        enrolment._state.adding = False

    # Sessions: one per site and day with doses.
    by_session: dict[tuple[str, date], list[PlannedDose]] = defaultdict(list)
    for planned in plan.doses:
        by_session[(planned.site, planned.on)].append(planned)
    sessions: dict[tuple[str, date], Session] = {}
    for (site_key, day), planned in sorted(by_session.items(), key=lambda item: (item[0][1], item[0][0])):
        site = sites[site_key]
        session = Session(
            site=site,
            day=day,
            shift=Shift.ALL_DAY if len(planned) > 60 else Shift.MORNING,
            planned=int(math.ceil(len(planned) * (1 + rng.uniform(0.0, 0.15)) / 10) * 10),
            status=SessionStatus.CLOSED,
            staff_note="1 bác sĩ khám sàng lọc, 2 điều dưỡng tiêm, 1 cán bộ nhập liệu",
        )
        session.place_in(site.unit)
        session.stamp(actor)
        session.created_at = _moment(rng, day - timedelta(days=2))
        sessions[(site_key, day)] = session
    Session.objects.bulk_create(sessions.values(), batch_size=BATCH)

    # Doses.
    doses = []
    used: Counter = Counter()  # (site key, lot pk, day) → doses
    for planned in plan.doses:
        unit, path, province, commune = where[planned.person]
        lot = _lot_for(lots, planned.product, planned.on)
        at = _moment(rng, planned.on)
        group = planned.group or enrolled.get(planned.person, "")
        code, high_risk = GROUP_CODES[group] if group else ("", False)  # as the table's priority_of: enrolment
        dose = Dose(
            person_id=planned.person,
            product=planned.product,
            lot=lot,
            lot_number=lot.number,
            given_on=planned.on,
            given_at=at,
            site=sites[planned.site],
            site_name=sites[planned.site].name,
            session=sessions[(planned.site, planned.on)],
            source=DoseSource.DEMO,
            kind=planned.kind,
            number=planned.number,
            completes_primary=planned.completes_primary,
            age_band=age_band(born[planned.person], planned.on),
            priority_group=code,
            high_risk=high_risk,
            observed_until=at + timedelta(minutes=30),
            observation_done=True,
            unit_id=unit,
            unit_path=path,
            province_code=province,
            commune_code=commune,
        )
        dose.stamp(actor)
        dose.created_at = at
        doses.append(dose)
        used[(planned.site, lot.pk, planned.on)] += 1
    for start in range(0, len(doses), BATCH):
        insert_rows(doses[start : start + BATCH])
        say(f"  doses: {min(start + BATCH, len(doses)):,} / {len(doses):,}")
    pks = {
        (person, kind, number): pk
        for pk, person, kind, number in Dose.objects.filter(
            unit_path__startswith=district.path, source=DoseSource.DEMO
        ).values_list("pk", "person_id", "kind", "number")
    }
    for dose in doses:
        dose.pk = pks[(dose.person_id, dose.kind, dose.number)]
        dose._state.adding = False

    # Lots in use per session (the many-to-many rows, in bulk).
    through = Session.lots.through
    session_lots = {(sessions[(site_key, day)].pk, lot_pk) for site_key, lot_pk, day in used}
    through.objects.bulk_create(
        [through(session_id=s, lot_id=lot) for s, lot in sorted(session_lots)], batch_size=BATCH
    )
    health_staff = type(actor).objects.filter(username="yte.duchanh").first()
    if health_staff is not None:
        station = sites.get("station:25228")
        staff_through = Session.staff.through
        staff_through.objects.bulk_create(
            [staff_through(session_id=s.pk, user_id=health_staff.pk) for s in sessions.values() if s.site == station],
            batch_size=BATCH,
        )

    movements = _stock(rng, actor, sites, lots, used, today)
    invitations = _invitations(rng, actor, sites, sessions, doses, born, where, today)
    aefi = _aefi(rng, actor, doses)
    analyze(Dose, Enrolment, Session, StockMovement)
    audit.record(
        actor,
        audit.AuditAction.CREATE,
        district,
        detail={"demo_doses": len(doses), "seed": seed},
        label="demo vaccination history",
    )
    say(
        f"vaccination: {len(doses):,} doses, {len(sessions):,} sessions at {len(sites)} sites, {len(lots)} lots, "
        f"{movements:,} stock movements, {invitations} invitations, {aefi} AEFI reports"
    )
    return {"doses": doses, "enrolments": enrolments, "sites": sites}


def _stock(rng, actor, sites, lots, used: Counter, today: date) -> int:
    """Receipts before the first dose, opened vials discarded after each session, expired remainders."""
    by_site_lot: dict[tuple[str, int], list[tuple[date, int]]] = defaultdict(list)
    for (site_key, lot_pk, day), count in used.items():
        by_site_lot[(site_key, lot_pk)].append((day, count))
    lot_by_pk = {lot.pk: lot for lot in lots.values()}
    rows = []

    def movement(site_key, lot, kind, day, doses, note=""):
        row = StockMovement(site=sites[site_key], lot=lot, kind=kind, day=day, doses=doses, note=note)
        row.place_in(sites[site_key].unit)
        row.stamp(actor)
        row.created_at = _moment(rng, day)
        rows.append(row)

    for (site_key, lot_pk), days in sorted(by_site_lot.items()):
        lot = lot_by_pk[lot_pk]
        days.sort()
        per_vial = lot.doses_per_vial
        vials = sum(math.ceil(count / per_vial) for _day, count in days)
        spare = rng.randint(1, 4) * (10 if per_vial == 1 else 1)  # closed vials left after the last session
        received = days[0][0] - timedelta(days=rng.randint(1, 3))
        movement(site_key, lot, MovementKind.RECEIVED, received, (vials + spare) * per_vial, "Nhận từ kho CDC tỉnh")
        for day, count in days:
            waste = math.ceil(count / per_vial) * per_vial - count
            if waste:
                movement(site_key, lot, MovementKind.DISCARDED_OPENED, day, waste, "Lọ đã mở, hết buổi tiêm")
        expired_on = lot.expires_on + timedelta(days=1)
        if expired_on <= today:
            movement(site_key, lot, MovementKind.DISCARDED_CLOSED, expired_on, spare * per_vial, "Hết hạn sử dụng")
    StockMovement.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _invitations(rng, actor, sites, sessions, doses, born, where, today: date) -> int:
    """Đức Hạnh's health station: its sessions of the last two weeks had invitations (most came), and
    tomorrow's session is planned with the people due for a second dose and the unvaccinated 12–17."""
    station = sites.get("station:25228")
    if station is None:
        return 0
    invitations = []
    recent = [s for (key, day), s in sessions.items() if s.site == station and today - timedelta(days=14) <= day]
    recent_pks = {session.pk for session in recent}
    by_session = defaultdict(list)
    for dose in doses:
        if dose.session_id in recent_pks:
            by_session[dose.session_id].append(dose)
    for session in recent:
        for dose in by_session[session.pk]:
            invitations.append(
                _invitation(rng, actor, session, dose.person_id, where, dose.kind, dose.number, "vaccinated")
            )
    given = defaultdict(list)
    for dose in doses:
        given[dose.person_id].append(dose)
    due = []
    for pk, (_unit, _path, _province, commune) in where.items():
        if commune != "25228":
            continue
        history = given.get(pk, [])
        primaries = [d for d in history if d.kind == DoseKind.PRIMARY]
        if len(primaries) == 1:
            interval = PRODUCTS[primaries[0].product][0][0]
            if primaries[0].given_on + timedelta(days=interval) <= today + timedelta(days=1):
                due.append((pk, DoseKind.PRIMARY, 2))
        elif not history and 12 <= age_on(born[pk], today) < 18:
            due.append((pk, DoseKind.PRIMARY, 1))
    rng.shuffle(due)
    due = sorted(due[:80])
    if due:
        tomorrow = today + timedelta(days=1)
        session = Session(
            site=station,
            day=tomorrow,
            shift=Shift.MORNING,
            planned=len(due),
            status=SessionStatus.PLANNED,
            staff_note="1 bác sĩ khám sàng lọc, 2 điều dưỡng tiêm, 1 cán bộ nhập liệu",
            note="Tiêm mũi 2 và tiêm cho trẻ 12–17 tuổi",
        )
        session.place_in(station.unit)
        session.stamp(actor)
        session.created_at = _moment(rng, today)
        session.save()
        latest = {}  # the newest lot in date of each vaccine the invited may need
        for lot in Lot.objects.filter(expires_on__gt=tomorrow).order_by("created_at", "pk"):
            latest[lot.product] = lot
        session.lots.set(latest.values())
        for pk, kind, number in due:
            invitations.append(_invitation(rng, actor, session, pk, where, kind, number, "invited"))
    for invitation in invitations:
        if invitation.status == "vaccinated" and rng.random() < 0.04:
            invitation.status = InvitationStatus.ABSENT  # invited, came later to another session
    Invitation.objects.bulk_create(invitations, batch_size=BATCH)
    return len(invitations)


def _invitation(rng, actor, session, pk, where, kind, number, status) -> Invitation:
    unit, path, province, commune = where[pk]
    invitation = Invitation(
        session=session,
        person_id=pk,
        token=f"{rng.getrandbits(128):032x}",
        dose_kind=kind,
        dose_number=number,
        status=status,
        unit_id=unit,
        unit_path=path,
        province_code=province,
        commune_code=commune,
    )
    invitation.stamp(actor)
    invitation.created_at = _moment(rng, session.day - timedelta(days=3))
    return invitation


AEFI_MINOR = (
    ("Sốt 38,5 °C, đau nhức cơ", "Paracetamol 500 mg, theo dõi tại nhà"),
    ("Đau, sưng đỏ tại chỗ tiêm", "Chườm lạnh"),
    ("Đau đầu, mệt mỏi", "Nghỉ ngơi, uống nhiều nước"),
    ("Chóng mặt, buồn nôn sau tiêm 15 phút", "Nằm nghỉ tại khu theo dõi, đỡ sau 30 phút"),
    ("Sốt 39 °C, ớn lạnh", "Hạ sốt, bù nước; theo dõi tại trạm y tế"),
)


def _aefi(rng, actor, doses) -> int:
    """A handful of reports: common reactions, one anaphylaxis (serious, acknowledged by the district), one
    serious coincidental event still waiting for the district's acknowledgement."""
    if len(doses) < 20:
        return 0
    picked = rng.sample(doses, k=min(9, len(doses)))
    rows = []
    for index, dose in enumerate(picked):
        serious = index == 0
        coincidental = index == 1
        if serious:
            manifestation, treatment = (
                "Phản vệ độ II: khó thở, mạch nhanh, nổi mẩn toàn thân",
                ("Adrenalin tiêm bắp theo phác đồ phản vệ, chuyển Trung tâm Y tế huyện"),
            )
        elif coincidental:
            manifestation, treatment = "Đau ngực, tăng huyết áp (tiền sử tăng huyết áp)", "Nhập viện theo dõi"
        else:
            manifestation, treatment = rng.choice(AEFI_MINOR)
        onset = dose.given_at + timedelta(minutes=rng.randint(10, 25) if serious else rng.randint(60, 900))
        report = AefiReport(
            dose=dose,
            person_id=dose.person_id,
            onset_at=onset,
            manifestation=manifestation,
            severity=Severity.SERIOUS if serious or coincidental else Severity.MINOR,
            treatment=treatment,
            outcome=AefiOutcome.RECOVERED,
            reporter="Điều dưỡng điểm tiêm" if serious else "Cán bộ trạm y tế xã",
            causality=Causality.A1 if serious else (Causality.C if coincidental else Causality.PENDING),
            # The district acknowledged the anaphylaxis; the other serious report still waits in its inbox.
            alerted_at=onset + timedelta(hours=2) if serious else None,
            unit_id=dose.unit_id,
            unit_path=dose.unit_path,
            province_code=dose.province_code,
            commune_code=dose.commune_code,
        )
        report.stamp(actor)
        report.created_at = onset + timedelta(hours=1)
        rows.append(report)
    AefiReport.objects.bulk_create(rows)
    return len(rows)
