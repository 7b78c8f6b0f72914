"""Ingest of check-ins and declarations over HTTP on loopback: gunicorn (gthread) with the fast ingest
front and the group-committing writer, PostgreSQL, load from ``wrk``.

    python bench/bench_movement_ingest.py [--seconds 120] [--workers 2] [--threads 32]
                                          [--connections 64] [--wrk-threads 2] [--declarations 0.5]

Starts a throw-away PostgreSQL (durable settings: fsync and synchronous_commit on) unless DATABASE_URL
is set, migrates, makes a venue with a device token, starts gunicorn, and loads it with ``wrk`` and a
Lua script that posts distinct JSON bodies (unique client ids): check-ins at the venue and public
declarations, mixed (``--declarations`` = their share).  Reports sustained requests/s, p50/p99,
errors, rows written vs requests accepted (201 answers counted by the Lua script), and the ratio to
a raw ``COPY`` of the same rows into copies of the tables in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(os.environ.get("CHONGDICH_VENV", "/work/main/.venv" if not (ROOT / ".venv").exists() else ROOT / ".venv"))
PORT = int(os.environ.get("BENCH_PORT", "18765"))

LUA = r"""
local counter = 0
local tid = 0
local share = SHARE
local threads = {}
local token = "TOKEN"
local stamp = "STAMP"
setup = function(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
init = function(args)
  accepted = 0
  other = 0
  tid = wrk.thread:get("tid")
end
request = function()
  counter = counter + 1
  local id = string.format("bench-%s-%d-%d", stamp, tid, counter)
  if (counter % 100) < share * 100 then
    local body = string.format('{"client_id":"%s","full_name":"Nguyễn Văn %d","birth_year":1980,"sex":"male",'
      .. '"phone":"0912%06d","commune_code":"C%d","symptoms":[],"exposures":[]}', id, counter, counter % 1000000,
      counter % 10)
    return wrk.format("POST", "/api/v1/declarations", {["Content-Type"] = "application/json"}, body)
  end
  local body = string.format('{"client_id":"%s","venue":"V1","phone":"0912%06d","at":"NOW"}', id,
    counter % 1000000)
  return wrk.format("POST", "/api/v1/checkins",
    {["Content-Type"] = "application/json", ["Authorization"] = "Device " .. token}, body)
end
response = function(status, headers, body)
  if status == 201 then accepted = accepted + 1 else other = other + 1 end
end
done = function(summary, latency, requests)
  local a, o = 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("accepted")
    o = o + t:get("other")
  end
  io.write(string.format("ACCEPTED %d OTHER %d\n", a, o))
  io.write(string.format("P50 %.3f P99 %.3f P999 %.3f\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000))
end
"""


def say(message: str) -> None:
    print(message, flush=True)


def start_postgres() -> tuple[str, callable]:
    binary = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    base = Path(tempfile.mkdtemp(prefix="bench-ingest-pg."))
    os.chmod(base, 0o755)
    shutil.chown(base, "postgres")
    as_pg = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        [
            *as_pg,
            binary / "initdb",
            "-D",
            base / "data",
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ],
        check=True,
        capture_output=True,
    )
    options = f"-k {base} -c listen_addresses='' -c max_connections=100 -c shared_buffers=256MB"
    subprocess.run(
        [
            *as_pg,
            binary / "pg_ctl",
            "-D",
            base / "data",
            "-l",
            base / "server.log",
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start",
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run([*as_pg, binary / "createdb", "-h", str(base), "bench"], check=True)

    def stop():
        subprocess.run([*as_pg, binary / "pg_ctl", "-D", base / "data", "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)

    return f"postgres://postgres@/bench?host={base}", stop


def django_env(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="chongdich.settings.bench",
        PYTHONPATH=str(ROOT / "src"),
        CHONGDICH_DECLARATION_RATE_LIMIT="0",  # one client address sends everything
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    return env


def prepare(env: dict) -> str:
    """Migrate, then ten communes, a venue and its device token (printed by a child process)."""
    subprocess.run([VENV / "bin" / "python", "-m", "django", "migrate", "-v", "0"], env=env, check=True)
    script = """
from chongdich.territory.models import AdminUnit
from chongdich.movement.models import Venue
from chongdich.movement import devices
province = AdminUnit.objects.create(code="P1", name="Tỉnh thử", level="province", kind="tinh")
district = AdminUnit.objects.create(code="D1", name="Huyện thử", level="district", kind="huyen", parent=province)
communes = [AdminUnit.objects.create(code=f"C{i}", name=f"Xã {i}", level="commune", kind="xa", parent=district)
            for i in range(10)]
venue = Venue(code="V1", name="Chợ", kind="market")
venue.place_in(communes[0])
venue.save()
print(devices.issue(venue, "bench")[1])
"""
    out = subprocess.run(
        [VENV / "bin" / "python", "-c", "import django; django.setup()\n" + script],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


def sql(env: dict, query: str) -> list:
    code = (
        "import django, json; django.setup()\nfrom django.db import connection\n"
        f"c = connection.cursor(); c.execute({query!r}); print(json.dumps(c.fetchall(), default=str))"
    )
    out = subprocess.run([VENV / "bin" / "python", "-c", code], env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def raw_copy_seconds(env: dict, stamp: str) -> tuple[int, float]:
    """COPY the rows the run wrote (both tables) into fresh copies of the tables: rows and seconds."""
    code = f"""
import django, io, time, json; django.setup()
from django.db import connection
total, seconds = 0, 0.0
with connection.cursor() as c:
    for table in ("movement_checkin", "movement_declaration"):
        c.execute(f"CREATE TABLE bench_copy_{{table}} (LIKE {{table}} INCLUDING DEFAULTS INCLUDING INDEXES)")
        buffer = io.BytesIO()
        with c.cursor.copy(f"COPY (SELECT * FROM {{table}} WHERE client_id LIKE 'bench-{stamp}-%') TO STDOUT") as copy:
            for block in copy:
                buffer.write(block)
        data = buffer.getvalue()
        start = time.perf_counter()
        with connection.cursor() as c2:
            with c2.cursor.copy(f"COPY bench_copy_{{table}} FROM STDIN") as copy:
                copy.write(data)
        seconds += time.perf_counter() - start
        c.execute(f"SELECT count(*) FROM bench_copy_{{table}}")
        total += c.fetchone()[0]
        c.execute(f"DROP TABLE bench_copy_{{table}}")
print(json.dumps([total, seconds]))
"""
    out = subprocess.run([VENV / "bin" / "python", "-c", code], env=env, check=True, capture_output=True, text=True)
    rows, seconds = json.loads(out.stdout.strip().splitlines()[-1])
    return rows, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--declarations", type=float, default=0.5, help="share of declarations (0–1)")
    parser.add_argument("--batch-max", type=int, default=500)
    parser.add_argument("--no-front", action="store_true", help="let Django answer (for comparison)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")

    stop_pg = None
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        database_url, stop_pg = start_postgres()
    env = django_env(database_url)
    env["CHONGDICH_INGEST_BATCH_MAX"] = str(args.batch_max)
    if args.no_front:
        env["CHONGDICH_INGEST_FRONT"] = "0"
    server = None
    try:
        token = prepare(env)
        stamp = str(int(time.time()))
        server = subprocess.Popen(
            [
                VENV / "bin" / "gunicorn",
                "chongdich.wsgi:application",
                "-k",
                "gthread",
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--bind",
                f"127.0.0.1:{PORT}",
                "--backlog",
                "2048",
                "--keep-alive",
                "30",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )
        for _ in range(100):
            try:
                import urllib.request

                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
                break
            except Exception:  # noqa: BLE001
                time.sleep(0.2)
        now = time.strftime("%Y-%m-%dT%H:%M:%S")
        lua = LUA.replace("SHARE", str(args.declarations)).replace("TOKEN", token).replace("STAMP", stamp)
        lua = lua.replace("NOW", now)
        script = Path(tempfile.mkstemp(suffix=".lua")[1])
        script.write_text(lua)
        say(
            f"gunicorn gthread workers={args.workers} threads={args.threads}; wrk -t{args.wrk_threads} "
            f"-c{args.connections} -d{args.seconds}s; declarations {args.declarations:.0%}; "
            f"batch max {args.batch_max}; front {'off' if args.no_front else 'on'}"
        )
        load = subprocess.run(
            [
                "wrk",
                f"-t{args.wrk_threads}",
                f"-c{args.connections}",
                f"-d{args.seconds}s",
                "--timeout",
                "10s",
                "--latency",
                "-s",
                str(script),
                f"http://127.0.0.1:{PORT}",
            ],
            capture_output=True,
            text=True,
        )
        out = load.stdout
        say(out)
        requests = int(re.search(r"(\d+) requests in", out).group(1))
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        accepted, other = map(int, re.search(r"ACCEPTED (\d+) OTHER (\d+)", out).groups())
        p50, p99, p999 = map(float, re.search(r"P50 ([\d.]+) P99 ([\d.]+) P999 ([\d.]+)", out).groups())
        socket_errors = re.search(r"Socket errors: (.*)", out)
        time.sleep(1)
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
        server = None
        written = sql(
            env,
            f"SELECT (SELECT count(*) FROM movement_checkin WHERE client_id LIKE 'bench-{stamp}-%'),"
            f" (SELECT count(*) FROM movement_declaration WHERE client_id LIKE 'bench-{stamp}-%'),"
            " (SELECT coalesce(sum(checkins), 0) + coalesce(sum(declarations), 0) FROM tallies_dailytally)",
        )[0]
        rows, copy_seconds = raw_copy_seconds(env, stamp)
        copy_rate = rows / copy_seconds if copy_seconds else float("nan")
        say("| figure | value |\n|---|---|")
        say(f"| requests (wrk) | {requests:,} in {args.seconds} s |")
        say(f"| sustained requests/s | {rate:,.0f} |")
        say(f"| latency p50 / p99 / p99.9 | {p50:.1f} / {p99:.1f} / {p999:.1f} ms |")
        say(f"| accepted (201) / other answers | {accepted:,} / {other:,} |")
        say(f"| socket errors | {socket_errors.group(1) if socket_errors else 'none'} |")
        say(
            f"| rows written (check-ins + declarations) | {written[0]:,} + {written[1]:,} = {written[0] + written[1]:,} |"
        )
        # wrk stops with up to one request per connection in flight: saved, but not counted as answered.
        extra = written[0] + written[1] - accepted
        verdict = "yes" if 0 <= extra <= args.connections else "NO"
        say(f"| rows written == accepted | {verdict} ({extra} more rows: requests in flight when wrk stopped) |")
        say(f"| tallies (checkins + declarations) | {int(written[2]):,} |")
        say(f"| raw COPY of the same rows | {rows:,} rows in {copy_seconds:.2f} s = {copy_rate:,.0f} rows/s |")
        say(f"| HTTP ingest vs COPY | {copy_rate / rate:,.1f}× slower than COPY |")
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
        if stop_pg:
            stop_pg()


if __name__ == "__main__":
    main()
