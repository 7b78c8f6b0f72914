"""Candidate contacts of a case from 10,000,000 check-ins (issue 11 §7), on PostgreSQL.

A synthetic province of 20 communes with 5,000 venues and N check-ins (COPY, default 10,000,000) over
the 31 days of August 2021 in the monthly partitions of ``movement_checkin``: 2,000,000 phones, busy
venues busier (a market takes a hundred times a clinic's scans), one in ten a check-out.  A case (onset
16/8, so infectious from 14/8, still open on 20/8) checked in 20 times at the busiest venues during
its infectious period.  Times ``movement.selectors.candidates.candidates_for_case`` — the case's
check-ins by person and phone, the other check-ins of those venues in their windows (index
``movement_checkin_venue_at``), pairing, overlap, grouping, exclusions, matching people — against
baselines measured in the same run: a plain count of the case's check-ins (index on phone, at), and
the count of the rows the candidate query reads.  Target: < 1 s.

Run: ./run bench, or
  DATABASE_URL="postgres://postgres@/benchdb11?host=/tmp/chongdich-pg-dev" .venv/bin/python bench/bench_movement_candidates.py
  (a quick run: --rows 500000 --repeats 5)
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, date, datetime, timedelta

from common import percentile, require_postgres, say, setup_django, summary_ms

PROVINCE = "98"
DAY = date(2021, 8, 20)
MONTH_DAYS = 31
COMMUNES = 20
VENUES = 5_000
PHONES = 2_000_000
CASE_PHONE = "+84899999999"
CASE_VISITS = 20


def build_units():
    from chongdich.territory.models import AdminUnit

    province = AdminUnit.objects.filter(code=PROVINCE).first()
    if province is None:
        province = AdminUnit(code=PROVINCE, name="Tỉnh Thử Check-in", level="province", kind="tinh")
        province.save()
    district, _ = AdminUnit.objects.get_or_create(
        code="9801", defaults={"name": "Huyện Thử", "level": "district", "kind": "huyen", "parent": province}
    )
    for c in range(COMMUNES):
        AdminUnit.objects.get_or_create(
            code=f"9801{c + 1:02d}",
            defaults={"name": f"Xã Thử {c + 1}", "level": "commune", "kind": "xa", "parent": district},
        )
    return province, list(AdminUnit.objects.filter(path__startswith=district.path, level="commune").order_by("code"))


def build_venues(units) -> list:
    from chongdich.movement.models import Venue

    existing = list(Venue.objects.filter(province_code=PROVINCE).order_by("pk"))
    if len(existing) >= VENUES:
        return existing[:VENUES]
    rows = []
    for i in range(len(existing), VENUES):
        venue = Venue(code=f"B{i:07d}", name=f"Địa điểm {i}", kind="market" if i < 200 else "office")
        venue.place_in(units[i % len(units)])
        rows.append(venue)
    Venue.objects.bulk_create(rows, batch_size=2_000)
    return list(Venue.objects.filter(province_code=PROVINCE).order_by("pk"))[:VENUES]


def copy_checkins(venues, target: int) -> int:
    """Check-in rows by COPY (into the partitioned parent: PostgreSQL routes each to its month)."""
    from django.db import connection
    from django.utils import timezone

    from chongdich.movement.models import CheckIn

    existing = CheckIn.objects.filter(province_code=PROVINCE).count()
    missing = target - existing
    if missing <= 0:
        return 0
    rng = random.Random(11)
    start = timezone.make_aware(datetime(2021, 8, 1))
    epoch = int(start.timestamp())
    first_day = timezone.localtime(start).date()
    days = [(first_day + timedelta(days=n)).isoformat() for n in range(MONTH_DAYS + 2)]
    # Busy venues: weights ~ 1/rank^0.8 (the first venues are markets and supermarkets).
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(venues))]
    picks = rng.choices(range(len(venues)), weights=weights, k=min(missing, 1_000_000))
    fixed = [
        f"{v.pk}\tself\t{{}}\t{{}}\tKhách\t{v.unit_id}\t{v.unit_path}\t{PROVINCE}\t{v.commune_code}\n" for v in venues
    ]
    columns = (
        "at",
        "day",
        "received_at",
        "venue_id",
        "method",
        "direction",
        "phone",
        "full_name",
        "unit_id",
        "unit_path",
        "province_code",
        "commune_code",
    )
    chunk = 200_000
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY movement_checkin ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        # Rows written as text in chunks (the generator, not PostgreSQL, is the slow part otherwise).
        randrange = rng.randrange
        for first in range(0, missing, chunk):
            lines = []
            for i in range(first, min(missing, first + chunk)):
                seconds = randrange(MONTH_DAYS * 86_400 - 1)
                at = datetime.fromtimestamp(epoch + seconds, UTC).strftime("%Y-%m-%d %H:%M:%S+00")
                day = days[seconds // 86_400]  # ``start`` is local midnight: the local day
                lines.append(
                    f"{at}\t{day}\t{at}\t"
                    + fixed[picks[i % len(picks)]].format(
                        "out" if i % 10 == 9 else "in", f"+8491{randrange(PHONES):07d}"
                    )
                )
            copy.write("".join(lines))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE movement_checkin")
    return missing


def make_case(units, venues):
    """The case person, their case and 20 check-ins at the busiest venues in the infectious period."""
    from django.utils import timezone

    from chongdich.movement.ingest import save_events
    from chongdich.movement.models import CheckIn
    from chongdich.people.models import Person
    from chongdich.surveillance.models import Case

    case = Case.objects.filter(province_code=PROVINCE).select_related("person").first()
    if case is not None:
        return case
    person = Person(full_name="Ca Bệnh Thử", sex="M", birth_year=1980, phone=CASE_PHONE)
    person.place_in(units[0])
    person.save()
    case = Case(
        person=person,
        case_number="BN-CHECKIN-1",
        confirmed_on=DAY - timedelta(days=2),
        symptomatic=True,
        onset_date=DAY - timedelta(days=4),
    )
    case.place_in(units[0])
    case.save()
    rng = random.Random(5)
    rows = []
    for n in range(CASE_VISITS):
        venue = venues[rng.randrange(50)]
        at = timezone.make_aware(datetime(2021, 8, 14 + n % 6, 7 + rng.randrange(12), rng.randrange(60)))
        row = CheckIn(
            at=at,
            day=at.date(),
            received_at=at,
            venue=venue,
            phone=CASE_PHONE,
            full_name="Ca Bệnh Thử",
            client_id=f"bench-case-{n}",
        )
        row.place_in(venue.unit)
        rows.append(row)
    save_events(CheckIn, rows)
    return Case.objects.select_related("person").get(pk=case.pk)


def officer(province):
    from chongdich.accounts.models import Grant, User

    user, created = User.objects.get_or_create(username="bench-checkin", defaults={"full_name": "Bench"})
    if created:
        Grant.objects.create(user=user, role="health_staff", unit=province)
    return user


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    setup_django()
    require_postgres()
    from django.conf import settings
    from django.core.management import call_command

    from chongdich.movement.models import CheckIn
    from chongdich.movement.selectors import candidates as selectors
    from chongdich.movement.selectors.settings import setting_for

    settings.CHONGDICH_TODAY = f"{DAY.isoformat()}T18:00:00+07:00"
    call_command("migrate", verbosity=0)
    province, units = build_units()
    venues = build_venues(units)
    started = time.perf_counter()
    added = copy_checkins(venues, args.rows)
    loaded = time.perf_counter() - started
    case = make_case(units, venues)
    user = officer(province)
    total = CheckIn.objects.filter(province_code=PROVINCE).count()
    say(
        f"data: {total:,} check-ins in the province (+{added:,} by COPY in {loaded:.0f} s, "
        f"{added / loaded if added else 0:,.0f} rows/s), {len(venues):,} venues, case {case.case_number} "
        f"with {CheckIn.objects.filter(phone=CASE_PHONE).count()} check-ins"
    )

    # Baseline 1: a plain count of the case's check-ins (what any look-up by phone costs).
    def count_case():
        return CheckIn.objects.filter(phone=CASE_PHONE).count()

    # Baseline 2: the rows the candidate query reads (the venue × window ranges, counted in the database).
    setting = setting_for(case.province_code)
    stays = selectors.case_stays(case, setting.checkin_stay_minutes, setting.checkin_margin_minutes)
    ranges = selectors.checkins_around(stays, setting.checkin_stay_minutes, setting.checkin_margin_minutes)

    def count_window():
        return CheckIn.objects.filter(ranges).count()

    def candidates():
        return selectors.candidates_for_case(user, case)

    timings = {}
    for label, run in (("count of the case's check-ins", count_case), ("count of the rows read", count_window)):
        run()
        samples = []
        for _ in range(args.repeats):
            t = time.perf_counter()
            run()
            samples.append(time.perf_counter() - t)
        timings[label] = samples
    found = candidates()  # warm-up
    samples = []
    for _ in range(args.repeats):
        t = time.perf_counter()
        found = candidates()
        samples.append(time.perf_counter() - t)
    timings["candidates_for_case"] = samples
    read = count_window()
    say(
        f"case: {len(stays)} stays in the infectious period; candidate query reads {read:,} rows; {len(found):,} candidates"
    )
    say(f"timing ({args.repeats} runs each after a warm-up):")
    for label, values in timings.items():
        say(f"    {label:<32} {summary_ms(values)}")
    p50 = percentile(timings["candidates_for_case"], 50)
    p95 = percentile(timings["candidates_for_case"], 95)
    base = percentile(timings["count of the case's check-ins"], 50)
    rows = percentile(timings["count of the rows read"], 50)
    say(
        f"candidates_for_case p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms (target < 1000 ms: "
        f"{'met' if p95 < 1 else 'NOT met'}); {p50 / base:.1f}× the plain count of the case's check-ins, "
        f"{p50 / rows:.1f}× counting the rows it reads"
    )


if __name__ == "__main__":
    main()
