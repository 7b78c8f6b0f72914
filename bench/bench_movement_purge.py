"""Retention purge of a month of 10,000,000 check-ins on PostgreSQL: the month is dropped as a partition.

    python bench/bench_movement_purge.py [--rows 10000000] [--partial 200000]

Starts a throw-away PostgreSQL unless DATABASE_URL is set, migrates, fills June 2021 of
``movement_checkin`` with ``--rows`` check-ins (server-side ``INSERT … SELECT generate_series``, with the
table's indexes) and the month the cutoff falls in (August 2021) with ``--partial`` rows, half of them
before the cutoff; then runs ``movement.retention.purge`` as of 10/09/2021 (retention 30 days: the first
day kept is 11/08/2021) and reports the time of the whole purge, of the drop of the full month alone,
and of the batched DELETE of the partly expired month.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_movement_ingest import VENV, django_env, say, start_postgres  # noqa: E402

CHILD = r"""
import time, json, sys
from datetime import date
import django; django.setup()
from django.db import connection
from chongdich.movement import retention
from chongdich.movement.models import Venue
from chongdich.territory.models import AdminUnit

rows, partial = int(sys.argv[1]), int(sys.argv[2])
province = AdminUnit.objects.create(code="P1", name="Tỉnh thử", level="province", kind="tinh")
district = AdminUnit.objects.create(code="D1", name="Huyện thử", level="district", kind="huyen", parent=province)
commune = AdminUnit.objects.create(code="C1", name="Xã thử", level="commune", kind="xa", parent=district)
venue = Venue(code="V1", name="Chợ", kind="market")
venue.place_in(commune)
venue.save()
COLUMNS = ("at, day, received_at, client_id, venue_id, method, direction, phone, full_name, unit_id, unit_path, "
           "province_code, commune_code")

def fill(first, seconds, count):
    with connection.cursor() as c:
        c.execute(
            f"INSERT INTO movement_checkin ({COLUMNS}) SELECT t, (t AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, t, "
            "'b-' || %s || '-' || g, %s, 'self', 'in', '+8491' || lpad((g %% 10000000)::text, 7, '0'), '', %s, %s, %s, %s "
            "FROM generate_series(1, %s) AS g, LATERAL (SELECT %s::timestamptz + (g::bigint * %s / %s) * interval '1 second' AS t) x",
            [str(first), venue.pk, commune.pk, venue.unit_path, venue.province_code, venue.commune_code, count,
             first, seconds, count],
        )

start = time.perf_counter()
fill("2021-06-01T00:00:00+07:00", 30 * 86400 - 1, rows)
fill("2021-08-01T00:00:00+07:00", 20 * 86400 - 1, partial)  # 1/8 to 20/8: half before 11/8
with connection.cursor() as c:
    c.execute("ANALYZE movement_checkin")
    c.execute("SELECT count(*) FROM movement_checkin_p202106")
    june = c.fetchone()[0]
    c.execute("SELECT pg_total_relation_size('movement_checkin_p202106')")
    size = c.fetchone()[0]
    c.execute("SELECT count(*) FROM movement_checkin_p202108 WHERE at < '2021-08-11T00:00:00+07:00'")
    expired = c.fetchone()[0]
loaded = time.perf_counter() - start

# The drop of the full month alone (what the purge does for it), in its own run:
from chongdich.core import partitioning
from django.db import transaction
t = time.perf_counter()
with transaction.atomic():
    dropped = partitioning.drop_months_before("movement_checkin", date(2021, 7, 1))
    statement_seconds = time.perf_counter() - t
drop_seconds = time.perf_counter() - t
# Then the whole purge as of 10/09/2021 (the other empty months before the cutoff, and the DELETE).
t = time.perf_counter()
purged = retention.purge(date(2021, 9, 10))
purge_seconds = time.perf_counter() - t
with connection.cursor() as c:
    c.execute("SELECT count(*) FROM movement_checkin")
    left = c.fetchone()[0]
checkin = next(p for p in purged if p.table == "movement_checkin")
print(json.dumps({"june": june, "size": size, "expired": expired, "loaded": loaded, "dropped": dropped,
                  "drop_seconds": drop_seconds, "statement_seconds": statement_seconds, "purge_seconds": purge_seconds, "purge_dropped": len(checkin.dropped),
                  "deleted": checkin.deleted, "left": left, "partial": partial}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--partial", type=int, default=200_000)
    args = parser.parse_args()
    stop_pg = None
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        database_url, stop_pg = start_postgres()
    env = django_env(database_url)
    env["CHONGDICH_MOVEMENT_RETENTION_DAYS"] = "30"
    try:
        subprocess.run([VENV / "bin" / "python", "-m", "django", "migrate", "-v", "0"], env=env, check=True)
        say(f"loading {args.rows:,} check-ins into June 2021 and {args.partial:,} into August 2021 …")
        out = subprocess.run(
            [VENV / "bin" / "python", "-c", CHILD, str(args.rows), str(args.partial)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        import json

        r = json.loads(out.stdout.strip().splitlines()[-1])
        say("| figure | value |\n|---|---|")
        say(f"| check-ins in the month (June 2021) | {r['june']:,} ({r['size'] / 2**30:.2f} GiB with indexes) |")
        say(f"| load time (INSERT … SELECT, indexes on) | {r['loaded']:.0f} s |")
        say(
            f"| drop of the month (DROP TABLE of its partition, committed) | {r['drop_seconds'] * 1000:.0f} ms "
            f"(the statements {r['statement_seconds'] * 1000:.0f} ms, the commit the rest) |"
        )
        say(
            f"| whole purge as of 10/09/2021 | {r['purge_seconds']:.2f} s: {r['purge_dropped']} empty months dropped, "
            f"{r['deleted']:,} rows of August deleted in batches (of {r['expired']:,} before 11/08) |"
        )
        say(f"| check-ins left | {r['left']:,} (expected {r['partial'] - r['expired']:,}) |")
    finally:
        if stop_pg:
            stop_pg()


if __name__ == "__main__":
    main()
