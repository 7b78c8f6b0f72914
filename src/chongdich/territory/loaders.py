"""Load Vietnam's administrative units from the ``vietnamadminunits`` package data.

Two structures exist: ``legacy`` (63 provinces → 696 districts → ~10,035 communes, in force until
30/6/2025) and ``current`` (34 provinces → 3,321 communes, from 1/7/2025, no district level).
A deployment loads one of them; nothing else in the code assumes that a district level exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from vietnamadminunits.database import query

from chongdich.core.text import fold, normalize_text
from chongdich.territory.models import AdminUnit, Kind, Level

STRUCTURES = ("legacy", "current")
LEGACY_VALID_TO = date(2025, 6, 30)
CURRENT_VALID_FROM = date(2025, 7, 1)

_DISTRICT_KINDS = {"Huyện": Kind.HUYEN, "Quận": Kind.QUAN, "Thị xã": Kind.THI_XA, "Thành phố": Kind.THANH_PHO}
_WARD_KINDS = {"Xã": Kind.XA, "Phường": Kind.PHUONG, "Thị trấn": Kind.THI_TRAN, "Đặc khu": Kind.DAC_KHU}


@dataclass
class LoadResult:
    structure: str
    provinces: int = 0
    districts: int = 0
    communes: int = 0


def _province_kind(name: str) -> str:
    return Kind.THANH_PHO_TW if name.startswith("Thành phố") else Kind.TINH


def _unit(code, name, short, level, kind, parent, lat=None, lon=None, area=None, valid_from=None, valid_to=None):
    unit = AdminUnit(
        code=code,
        name=normalize_text(name),
        short_name=normalize_text(short) or normalize_text(name),
        level=level,
        kind=kind,
        parent=parent,
        lat=lat,
        lon=lon,
        area_km2=area,
        valid_from=valid_from,
        valid_to=valid_to,
        source="vietnamadminunits",
    )
    # bulk_create skips save(): fill the derived columns here.
    unit.folded_name = fold(unit.name)
    unit.path = f"{parent.path if parent else '/'}{code}/"
    unit.province_code = parent.province_code if parent else code
    unit.commune_code = code if level == Level.COMMUNE else ""
    return unit


def load_units(structure: str, progress: Callable[[str], None] | None = None) -> LoadResult:
    """Insert the units of ``structure`` that are not there yet (codes already present are kept)."""
    if structure not in STRUCTURES:
        raise ValueError(f"structure must be one of {STRUCTURES}, not {structure!r}")
    say = progress or (lambda message: None)
    result = LoadResult(structure)
    existing = set(AdminUnit.objects.values_list("code", flat=True))
    table = "admin_units_legacy" if structure == "legacy" else "admin_units"
    rows = query(f"SELECT * FROM [{table}] ORDER BY provinceCode")  # noqa: S608 - fixed table name
    valid_from, valid_to = (None, LEGACY_VALID_TO) if structure == "legacy" else (CURRENT_VALID_FROM, None)

    with transaction.atomic():
        provinces: dict[str, AdminUnit] = {}
        for row in rows:
            code = row["provinceCode"]
            if code not in provinces:
                provinces[code] = _unit(
                    code,
                    row["province"],
                    row["provinceShort"],
                    Level.PROVINCE,
                    _province_kind(row["province"]),
                    None,
                    row["provinceLat"],
                    row["provinceLon"],
                    valid_from=valid_from,
                    valid_to=valid_to,
                )
        result.provinces = _insert(provinces, existing)
        say(f"provinces: {len(provinces)}")

        parents_of_wards: dict[str, AdminUnit] = provinces
        if structure == "legacy":
            districts: dict[str, AdminUnit] = {}
            for row in rows:
                code = row["districtCode"]
                if code and code not in districts:
                    districts[code] = _unit(
                        code,
                        row["district"],
                        row["districtShort"],
                        Level.DISTRICT,
                        _DISTRICT_KINDS.get(row["districtType"], Kind.HUYEN),
                        provinces[row["provinceCode"]],
                        row["districtLat"],
                        row["districtLon"],
                        valid_from=valid_from,
                        valid_to=valid_to,
                    )
            result.districts = _insert(districts, existing)
            say(f"districts: {len(districts)}")
            parents_of_wards = districts

        wards: dict[str, AdminUnit] = {}
        for row in rows:
            code = row["wardCode"]
            if not code or code in wards:
                continue  # a few island districts have no communes
            parent_code = row["districtCode"] if structure == "legacy" else row["provinceCode"]
            wards[code] = _unit(
                code,
                row["ward"],
                row["wardShort"],
                Level.COMMUNE,
                _WARD_KINDS.get(row["wardType"], Kind.XA),
                parents_of_wards[parent_code],
                row["wardLat"],
                row["wardLon"],
                row.get("wardAreaKm2"),
                valid_from=valid_from,
                valid_to=valid_to,
            )
        result.communes = _insert(wards, existing)
        say(f"communes: {len(wards)}")
    return result


def _insert(units: dict[str, AdminUnit], existing: set[str]) -> int:
    """Insert new units and swap in the stored rows so that children get real parent ids."""
    new = [unit for code, unit in units.items() if code not in existing]
    for unit in new:
        if unit.parent is not None:
            unit.parent_id = unit.parent.pk
    AdminUnit.objects.bulk_create(new, batch_size=2000)
    stored = {unit.code: unit for unit in AdminUnit.objects.filter(code__in=list(units))}
    units.update(stored)
    existing.update(stored)
    return len(units)
