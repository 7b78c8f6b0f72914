"""Benchmark ``chongdich risk assess`` on a nationwide file.

Generates ≈10,040 communes under ≈700 districts under 63 provinces with realistic, seeded random
inputs (every framework's inputs, clusters, borders), then for each framework runs the CLI as a
subprocess several times and prints wall times (target < 1 s) and their ratio to a baseline run
in the same process: ``python -c "import json; json.load(open(f))"`` on the same file, i.e. the
cost of starting Python and parsing the file.  Also times assess-and-roll-up in process.

    .venv/bin/python bench/bench_risk_cli.py [--communes 10040] [--repeats 5] [--seed 2021]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
sys.path.insert(0, str(SRC))

from chongdich.risk.rules import assess_units, parse_units  # noqa: E402

AS_OF = {"2686": "2021-08-20", "4800": "2021-11-15", "218": "2022-02-15"}
TARGET_S = 1.0
SETTINGS = ["industrial_park", "school", "market", "supermarket", "hospital", "household", "other"]


def generate(communes: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    units: list[dict] = []
    district_count = round(communes / 14.3)  # 2021: ~10,600 communes, ~705 districts
    per_province = [district_count // 63 + (1 if i < district_count % 63 else 0) for i in range(63)]
    commune_code = 0
    district_code = 0
    left = communes
    for p in range(63):
        province = f"{p + 1:02d}"
        units.append({"code": province, "name": f"Tỉnh {province}", "level": "province", "parent": None})
        for _ in range(per_province[p]):
            district_code += 1
            district = f"{district_code:03d}"
            units.append(
                {
                    "code": district,
                    "name": f"Huyện {district}",
                    "level": "district",
                    "parent": province,
                    "vacant_beds_per_100k": round(rng.uniform(2, 60), 1),
                    "previous_level": rng.randint(1, 3),
                }
            )
            remaining_districts = district_count - district_code + 1
            size = max(1, min(left - (remaining_districts - 1), round(rng.gauss(left / remaining_districts, 3))))
            if remaining_districts == 1:
                size = left  # the last district takes what is left, so the total is exact
            codes = [f"{commune_code + i + 1:05d}" for i in range(size)]
            commune_code += size
            left -= size
            for index, code in enumerate(codes):
                units.append(_commune(rng, code, district, codes, index))
    return units


def _commune(rng: random.Random, code: str, district: str, siblings: list[str], index: int) -> dict:
    population = int(rng.lognormvariate(9.1, 0.6)) + 500  # median ≈ 9,500
    adults = int(population * rng.uniform(0.6, 0.72))
    high_risk = int(population * rng.uniform(0.08, 0.16))
    outbreak = rng.random() < 0.15
    cases_7d = rng.randint(1, 60) if outbreak else (1 if rng.random() < 0.1 else 0)
    unknown = rng.randint(0, 2) if outbreak else 0
    ring = [siblings[(index + step) % len(siblings)] for step in (-1, 1, 3) if len(siblings) > 1]
    neighbours = sorted({n for n in ring if n != code})
    return {
        "code": code,
        "name": f"Xã {code}",
        "level": "commune",
        "parent": district,
        "population": population,
        "population_18plus": adults,
        "population_50plus": int(population * 0.22),
        "population_65plus": int(population * 0.07),
        "high_risk_population": high_risk,
        "new_community_cases_7d": cases_7d,
        "new_community_cases_14d": cases_7d + rng.randint(0, 5),
        "known_source_cases_14d": cases_7d,
        "unknown_source_cases_14d": unknown,
        "clusters": [
            {"source_known": rng.random() < 0.7, "setting": rng.choice(SETTINGS), "cases": rng.randint(2, 20)}
            for _ in range(rng.randint(0, 2) if outbreak else 0)
        ],
        "f1_present": outbreak or rng.random() < 0.2,
        "dose1_18plus": int(adults * rng.uniform(0.4, 1.0)),
        "full_50plus": int(population * 0.22 * rng.uniform(0.3, 1)),
        "full_all": int(population * rng.uniform(0.4, 0.9)),
        "full_high_risk": int(high_risk * rng.uniform(0.6, 1)),
        "deaths_7d": rng.randint(0, 2) if outbreak else 0,
        "hospital_cases_7d": rng.randint(0, 5) if outbreak else 0,
        "capacity_ready": rng.random() < 0.85,
        "neighbours": neighbours,
        "is_border": rng.random() < 0.03,
        "previous_level": rng.randint(1, 3),  # 1–3 is valid under 2686 (0–3) and 128 (1–4)
    }


def timed_runs(command: list[str], repeats: int) -> tuple[list[float], list[float]]:
    """Wall times and CPU times (user + system, the process and any child it forks)."""
    env = dict(os.environ, PYTHONPATH=str(SRC))
    walls, cpus = [], []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        completed = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=False)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if completed.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed: {completed.stderr.decode()}")
    return walls, cpus


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=10_040)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()

    units = generate(args.communes, args.seed)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "units.json"
        path.write_text(json.dumps(units, ensure_ascii=False), encoding="utf-8")
        counts = {tier: sum(1 for u in units if u["level"] == tier) for tier in ("province", "district", "commune")}
        print(
            f"file: {len(units):,} units ({counts['commune']:,} communes, {counts['district']:,} districts, "
            f"{counts['province']} provinces), {path.stat().st_size / 1e6:.1f} MB; {os.cpu_count()} CPUs; "
            f"Python {sys.version.split()[0]}; load average {os.getloadavg()[0]:.2f} (other work slows the runs)"
        )
        baseline, _ = timed_runs([sys.executable, "-c", f"import json; json.load(open({str(path)!r}))"], args.repeats)
        base = statistics.median(baseline)
        print(f"\nbaseline (start Python + json.load): median {base:.3f} s, min {min(baseline):.3f} s")
        print(f"\nchongdich risk assess, {args.repeats} runs each (wall seconds; CPU = user + system):")
        print(
            f"{'framework':<10}{'median':>8}{'min':>8}{'max':>8}{'CPU':>8}{'× baseline':>12}  target < {TARGET_S:.0f} s"
        )
        worst = 0.0
        for framework, on in AS_OF.items():
            runs, cpus = timed_runs(
                [
                    sys.executable,
                    "-m",
                    "chongdich.cli",
                    "risk",
                    "assess",
                    "--framework",
                    framework,
                    "--input",
                    str(path),
                    "--as-of",
                    on,
                ],
                args.repeats,
            )
            median = statistics.median(runs)
            worst = max(worst, max(runs))
            verdict = "ok" if max(runs) < TARGET_S else "SLOW"
            print(
                f"{framework:<10}{median:>8.3f}{min(runs):>8.3f}{max(runs):>8.3f}{statistics.median(cpus):>8.3f}"
                f"{median / base:>12.1f}  {verdict}"
            )
    print("\nin process (parse_units + assess_units incl. roll-up; no process start, JSON or output):")
    parsed = parse_units(units)
    for framework, on in AS_OF.items():
        runs = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            assess_units(parse_units(units), as_of=date.fromisoformat(on), framework=framework)
            runs.append(time.perf_counter() - start)
        print(f"{framework:<10}{statistics.median(runs):>10.3f} s median for {len(parsed):,} units")
    print(f"\nslowest CLI run {worst:.3f} s: {'meets' if worst < TARGET_S else 'MISSES'} the {TARGET_S:.0f} s target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
