"""Writes of the dashboard: loading unit boundaries from GeoJSON (``load_boundaries``, run by the
``load_boundaries`` command); ``boundaries`` packs them small for the map.

Each feature is matched to an administrative unit by one of its properties (``--property``; by
default the first of ``CODE_PROPERTIES`` that the features carry).  Geometries are repaired when
invalid, simplified with shapely (``tolerance`` in degrees; 0.0005° ≈ 55 m) and snapped to a 0.0001°
grid (≈ 11 m), so that a province's 300 communes weigh tens of kilobytes, not megabytes.  A file with
features that match no unit is refused as a whole, with the list of what did not match.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import MultiPolygon, Polygon, mapping, shape

from chongdich.dashboard.models import UnitBoundary
from chongdich.territory.models import AdminUnit

CODE_PROPERTIES = (
    "code",
    "ma",
    "ma_dvhc",
    "ma_xa",
    "MA_XA",
    "MaXa",
    "maxa",
    "ADM3_PCODE",
    "ADM2_PCODE",
    "ADM1_PCODE",
    "unit_code",
)
GRID = 1e-4  # degrees: coordinates are kept to 4 decimals
DEFAULT_TOLERANCE = 0.0005


class BoundaryError(Exception):
    """The file cannot be loaded; ``problems`` says what to fix, one line each."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or []


@dataclass
class LoadResult:
    loaded: int = 0
    vertices_before: int = 0
    vertices_after: int = 0
    skipped: list[str] = field(default_factory=list)
    bytes: int = 0


def read_features(path: Path) -> list[dict]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise BoundaryError(_("File not found: %(path)s") % {"path": path}) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundaryError(_("%(path)s is not a GeoJSON file: %(error)s") % {"path": path, "error": exc}) from None
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        return list(data.get("features") or [])
    if isinstance(data, dict) and data.get("type") == "Feature":
        return [data]
    raise BoundaryError(_("%(path)s is not a GeoJSON FeatureCollection.") % {"path": path})


def guess_property(features: list[dict]) -> str:
    for name in CODE_PROPERTIES:
        if any(name in (feature.get("properties") or {}) for feature in features):
            return name
    names = sorted({key for feature in features[:50] for key in (feature.get("properties") or {})})
    raise BoundaryError(
        _("No unit code property found in the features; name it with --property (properties seen: %(names)s).")
        % {"names": ", ".join(names) or "—"}
    )


def _candidates(value) -> list[str]:
    """Codes to try for a property value: as written, then zero-padded (25228 → "25228", 4 → "00004")."""
    if value is None:
        return []
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    candidates = [text]
    if text.isdigit():
        candidates += [text.zfill(width) for width in (2, 3, 5) if len(text) < width]
    return candidates


def count_vertices(geometry) -> int:
    return int(shapely.get_num_coordinates(geometry))


def simplify(geometry_json: dict, tolerance: float):
    """A valid, simplified (Multi)Polygon snapped to the 4-decimal grid, or None if nothing is left."""
    geometry = shape(geometry_json)
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    if geometry.geom_type == "GeometryCollection":
        polygons = [g for g in geometry.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        geometry = shapely.union_all(polygons) if polygons else Polygon()
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise ValueError(geometry.geom_type)
    before = count_vertices(geometry)
    if tolerance > 0:
        geometry = geometry.simplify(tolerance, preserve_topology=True)
    geometry = shapely.set_precision(geometry, GRID)
    if geometry.is_empty:
        return None, before
    if geometry.geom_type == "GeometryCollection":  # snapping can split off slivers
        parts = [g for g in geometry.geoms if g.geom_type == "Polygon"]
        geometry = MultiPolygon(parts) if len(parts) > 1 else (parts[0] if parts else Polygon())
    return geometry, before


def _rounded(geometry) -> dict:
    def walk(value):
        if isinstance(value, (list, tuple)):
            if value and isinstance(value[0], (int, float)):
                return [round(value[0], 4), round(value[1], 4)]
            return [walk(v) for v in value]
        return value

    data = mapping(geometry)
    return {"type": data["type"], "coordinates": walk(data["coordinates"])}


def load_boundaries(
    path: Path,
    *,
    prop: str | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    skip_unmatched: bool = False,
    dry_run: bool = False,
    source: str = "",
    within: str = "",
) -> LoadResult:
    """Match, simplify and store every feature of ``path``; all or nothing unless ``skip_unmatched``.

    ``source`` is stored on each boundary (the map shows it as its attribution: name the data and its
    licence); by default the file's name.  ``within`` (a unit code) keeps only the features of units
    inside that unit (a province's districts out of the whole country's file): the others are left
    out without being reported."""
    features = read_features(path)
    if not features:
        raise BoundaryError(_("%(path)s has no features.") % {"path": path})
    prop = prop or guess_property(features)
    values = [(feature.get("properties") or {}).get(prop) for feature in features]
    wanted = {candidate for value in values for candidate in _candidates(value)}
    units = {
        code: (pk, unit_path)
        for pk, code, unit_path in AdminUnit.objects.filter(code__in=wanted).values_list("pk", "code", "path")
    }
    if within:
        root = AdminUnit.objects.filter(code=within).values_list("path", flat=True).first()
        if root is None:
            raise BoundaryError(_("No unit has the code %(code)s (--within).") % {"code": within})
        inside = [
            (feature, value)
            for feature, value in zip(features, values, strict=True)
            if any(units.get(c, (0, ""))[1].startswith(root) for c in _candidates(value))
        ]
        features, values = [f for f, _v in inside], [v for _f, v in inside]
        if not features:
            raise BoundaryError(_("%(path)s has no feature inside the unit %(code)s.") % {"path": path, "code": within})
    problems: list[str] = []
    matched: dict[str, tuple[int, str, dict]] = {}
    for index, (feature, value) in enumerate(zip(features, values, strict=True), start=1):
        code = next((c for c in _candidates(value) if c in units), None)
        if value is None:
            names = ", ".join(sorted((feature.get("properties") or {}).keys())) or "—"
            problems.append(
                _("feature %(n)s has no property %(prop)s (its properties: %(names)s)")
                % {"n": index, "prop": prop, "names": names}
            )
        elif code is None:
            problems.append(
                _("feature %(n)s: %(prop)s = %(value)s matches no unit code")
                % {"n": index, "prop": prop, "value": value}
            )
        elif not feature.get("geometry"):
            problems.append(_("feature %(n)s (%(code)s) has no geometry") % {"n": index, "code": code})
        elif code in matched:
            problems.append(_("feature %(n)s: unit %(code)s appears twice") % {"n": index, "code": code})
        else:
            matched[code] = (units[code][0], units[code][1], feature["geometry"])
    result = LoadResult()
    rows = []
    for code, (unit_id, unit_path, geometry_json) in matched.items():
        try:
            geometry, before = simplify(geometry_json, tolerance)
        except (ValueError, TypeError, AttributeError, KeyError) as exc:
            problems.append(
                _("unit %(code)s: the geometry is not a polygon (%(error)s)") % {"code": code, "error": exc}
            )
            continue
        if geometry is None:
            problems.append(
                _("unit %(code)s: nothing is left of the polygon after simplifying; use a smaller --tolerance")
                % {"code": code}
            )
            continue
        after = count_vertices(geometry)
        result.vertices_before += before
        result.vertices_after += after
        rows.append(
            UnitBoundary(
                unit_id=unit_id,
                code=code,
                unit_path=unit_path,
                geometry=_rounded(geometry),
                vertices=after,
                source=(source or Path(path).name)[:200],
                loaded_at=timezone.now(),
            )
        )
    if problems and not skip_unmatched:
        raise BoundaryError(
            _(
                "%(count)s of %(total)s features cannot be loaded; nothing was saved. Fix the file, choose the code property with --property, or load the others with --skip-unmatched."
            )
            % {"count": len(problems), "total": len(features)},
            problems,
        )
    result.skipped = problems
    result.loaded = len(rows)
    result.bytes = sum(len(json.dumps(row.geometry, separators=(",", ":"))) for row in rows)
    if not dry_run:
        with transaction.atomic():
            UnitBoundary.objects.filter(unit_id__in=[row.unit_id for row in rows]).delete()
            UnitBoundary.objects.bulk_create(rows, batch_size=500)
    return result
