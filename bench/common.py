"""Shared helpers for benchmarks: Django setup, timing, percentiles, a figure table."""

from __future__ import annotations

import os
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def setup_django(settings: str = "chongdich.settings.bench") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    import django

    django.setup()


@contextmanager
def timed(label: str, results: dict):
    start = time.perf_counter()
    yield
    results[label] = time.perf_counter() - start


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(samples: list[float]) -> str:
    ms = [s * 1000 for s in samples]
    return f"p50 {percentile(ms, 50):7.2f} ms  p95 {percentile(ms, 95):7.2f} ms  max {max(ms):7.2f} ms  (n={len(ms)}, mean {statistics.mean(ms):.2f})"


def say(message: str) -> None:
    print(message, flush=True)


def require_postgres() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        say("this benchmark needs PostgreSQL: run it through ./run bench (or set DATABASE_URL)")
        sys.exit(2)


def tally_disagreements(prefixes: tuple[str, ...]) -> str:
    """Stored tallies against a rebuild from the records, for the fields a benchmark writes.

    Other benchmarks of ``./run bench`` share the database and load some tables raw (COPY of
    cases, tallies written directly), so only the fields of this benchmark are compared.
    """
    from chongdich.tallies.rebuild import differences

    wrong = {key: value for key, value in differences().items() if key[2].startswith(prefixes)}
    if not wrong:
        return "yes"
    shown = ", ".join(
        f"{field} of unit {unit} on {day}: stored {a}, rebuilt {b}"
        for (unit, day, field), (a, b) in list(wrong.items())[:3]
    )
    return f"NO, {len(wrong):,} differences (e.g. {shown})"


# The people_person columns the benchmarks fill with COPY (a synthetic registry at scale).
PERSON_COPY_COLUMNS = (
    "unit_id",
    "unit_path",
    "province_code",
    "commune_code",
    "full_name",
    "folded_name",
    "sex",
    "date_of_birth",
    "birth_year",
    "cccd",
    "phone",
    "relation",
    "address",
    "residence_status",
    "occupation_group",
    "notes",
    "created_at",
    "updated_at",
)


# -- a synthetic province (shared by the benchmarks that need one) ---------------------------------------
def synthetic_province(
    code: str,
    name: str,
    *,
    district_name: str,
    commune_name: str,
    districts: int = 10,
    communes_per_district: int = 30,
    lat: float = 11.5,
    lon: float = 106.9,
    per_commune: int | None = None,
):
    """The province ``code`` with ``districts`` × ``communes_per_district`` communes (codes ``<code><dd>``
    and ``<code><dd><cc>``: 4 and 6 digits never collide with real districts and communes), created
    when missing; with ``per_commune`` every commune gets that population, split by age band like a
    Vietnamese commune (25% under 18, 50% 18–49, 15% 50–64, the rest 65+)."""
    from chongdich.territory.models import AdminUnit

    bands = {}
    if per_commune is not None:
        bands = {
            "pop_0_17": per_commune * 25 // 100,
            "pop_18_49": per_commune * 50 // 100,
            "pop_50_64": per_commune * 15 // 100,
        }
        bands["pop_65_plus"] = per_commune - sum(bands.values())
    province = AdminUnit.objects.filter(code=code).first()
    if province is None:
        province = AdminUnit(code=code, name=name, level="province", kind="tinh", lat=lat, lon=lon)
        province.save()
    for d in range(districts):
        district, _ = AdminUnit.objects.get_or_create(
            code=f"{code}{d + 1:02d}",
            defaults={
                "name": f"{district_name} {d + 1}",
                "level": "district",
                "kind": "huyen",
                "parent": province,
                "lat": round(lat - 0.5 + d * 0.1, 6),
                "lon": round(lon - 0.4 + d * 0.08, 6),
            },
        )
        for c in range(communes_per_district):
            commune_code = f"{code}{d + 1:02d}{c + 1:02d}"
            unit = AdminUnit.objects.filter(code=commune_code).first()
            if unit is None:
                unit = AdminUnit(
                    code=commune_code,
                    name=f"{commune_name} {d + 1}-{c + 1}",
                    level="commune",
                    kind="xa",
                    parent=district,
                    lat=round(district.lat + (c % 6) * 0.02, 6),
                    lon=round(district.lon + (c // 6) * 0.02, 6),
                    population_total=per_commune or 6_600,
                )
            elif per_commune is None:
                continue
            if per_commune is not None:
                unit.population_total = per_commune
                for field, value in bands.items():
                    setattr(unit, field, value)
            unit.save()
    return province


def province_communes(code: str) -> list:
    from chongdich.territory.models import AdminUnit

    return list(AdminUnit.objects.filter(path__startswith=f"/{code}/", level="commune").order_by("path"))


def copy_persons(province: str, target: int, *, birth_year=None, name=None) -> int:
    """Minimal person rows (COPY) up to ``target`` in the province, spread over its communes; returns
    how many were added.  ``birth_year(i)`` and ``name(i)`` shape row ``i`` (defaults: 1940–2019, a few
    common names)."""
    from django.db import connection
    from django.utils import timezone

    from chongdich.people.models import Person

    existing = Person.objects.filter(province_code=province).count()
    if existing >= target:
        return 0
    units = province_communes(province)
    now = timezone.now()
    surnames = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng")
    given = ("An", "Bình", "Chi", "Dũng", "Hà", "Lan", "Minh", "Sơn")
    year_of = birth_year or (lambda i: 1940 + i % 80)
    name_of = name or (lambda i: f"{surnames[i % 8]} Văn {given[(i // 8) % 8]}")
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY people_person ({', '.join(PERSON_COPY_COLUMNS)}) FROM STDIN") as copy,
    ):
        for i in range(existing, target):
            unit = units[i % len(units)]
            year = year_of(i)
            full_name = name_of(i)
            copy.write_row(
                (
                    unit.pk,
                    unit.path,
                    province,
                    unit.code,
                    full_name,
                    full_name.lower(),
                    "M" if i % 2 else "F",
                    date(year, 1 + i % 12, 1 + i % 28),
                    year,
                    None,
                    "",
                    "",
                    "",
                    "permanent",
                    "other",
                    "",
                    now,
                    now,
                )
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE people_person")
    return target - existing


def committee_users(prefix: str, province: str, district_code: str) -> tuple[dict, object, object]:
    """Province, district and commune committee users ({name: user}), the district and its first commune."""
    from chongdich.accounts.models import Grant, User
    from chongdich.territory.models import AdminUnit

    district = AdminUnit.objects.get(code=district_code)
    commune = AdminUnit.objects.filter(parent=district).order_by("code").first()
    result = {}
    for name, role, unit in (
        ("province", "province_committee", AdminUnit.objects.get(code=province)),
        ("district", "district_committee", district),
        ("commune", "commune_committee", commune),
    ):
        user, _ = User.objects.get_or_create(username=f"{prefix}.{name}")
        Grant.objects.get_or_create(user=user, role=role, unit=unit)
        result[name] = user
    return result, district, commune


def time_get(client, url: str, repeats: int) -> list[float]:
    """Seconds of ``repeats`` GETs of ``url`` (each must answer 200)."""
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return samples
