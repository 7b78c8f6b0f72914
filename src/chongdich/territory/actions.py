"""Writes on the unit tree: villages, population, adjacency.  Every write is audited."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from chongdich.core import audit
from chongdich.core.roles import Cap
from chongdich.core.scoping import in_scope
from chongdich.core.text import fold
from chongdich.territory.geo import nearest_neighbour_pairs
from chongdich.territory.models import AGE_BANDS, LEVEL_KINDS, Adjacency, AdminUnit, Level

DERIVED_NEIGHBOURS = 4


def check_can_edit(actor, unit: AdminUnit) -> None:
    if not in_scope(actor, Cap.UNITS_EDIT, unit):
        raise PermissionDenied(_("You may not change units outside your area."))


@transaction.atomic
def do_create_village(actor, *, commune: AdminUnit, name: str, kind: str, code: str = "", **extra) -> AdminUnit:
    """Create a village / residential group under a commune (code made from the commune's)."""
    check_can_edit(actor, commune)
    if commune.level != Level.COMMUNE:
        raise ValidationError(_("Villages and residential groups can only be created under a commune."))
    if kind not in LEVEL_KINDS[Level.VILLAGE]:
        raise ValidationError(_("Choose a village kind (thôn, ấp, bản, tổ dân phố…)."))
    if AdminUnit.objects.filter(parent=commune, folded_name=fold(name)).exists():
        raise ValidationError(
            _("%(commune)s already has a unit named “%(name)s”.") % {"commune": commune, "name": name}
        )
    if not code:
        code = next_village_code(commune)
    elif AdminUnit.objects.filter(code=code).exists():
        raise ValidationError(_("The code %(code)s is already used.") % {"code": code})
    village = AdminUnit(
        code=code,
        name=name,
        level=Level.VILLAGE,
        kind=kind,
        parent=commune,
        source="ui",
        lat=extra.get("lat") or commune.lat,
        lon=extra.get("lon") or commune.lon,
    )
    for field in (*AGE_BANDS, "population_total", "population_as_of"):
        if extra.get(field) is not None:
            setattr(village, field, extra[field])
    village._history_user = actor
    village.save()
    audit.record(actor, audit.AuditAction.CREATE, village)
    return village


def next_village_code(commune: AdminUnit) -> str:
    taken = set(AdminUnit.objects.filter(parent=commune).values_list("code", flat=True))
    number = len(taken) + 1
    while f"{commune.code}-{number:02d}" in taken:
        number += 1
    return f"{commune.code}-{number:02d}"


@transaction.atomic
def do_update_unit(actor, unit: AdminUnit, **changes) -> AdminUnit:
    check_can_edit(actor, unit)
    before = {name: getattr(unit, name) for name in changes}
    for name, value in changes.items():
        setattr(unit, name, value)
    validate_population(unit)
    unit._history_user = actor
    unit.save()
    changed = {k: [str(before[k]), str(v)] for k, v in changes.items() if before[k] != v}
    if changed:
        audit.record(actor, audit.AuditAction.UPDATE, unit, detail={"changed": changed})
    return unit


def validate_population(unit: AdminUnit) -> None:
    bands = [getattr(unit, band) for band in AGE_BANDS]
    if unit.population_total is not None and all(b is not None for b in bands):
        if sum(bands) != unit.population_total:
            raise ValidationError(
                _("The age bands add up to %(sum)s but the total population is %(total)s.")
                % {
                    "sum": number_format(sum(bands), force_grouping=True),
                    "total": number_format(unit.population_total, force_grouping=True),
                }
            )


@transaction.atomic
def derive_adjacency(parents=None, k: int = DERIVED_NEIGHBOURS) -> int:
    """Derive neighbours from centroid distance inside each parent that has no imported adjacency.

    Returns the number of pairs stored.  Imported (non-derived) adjacency is never touched.
    """
    units = AdminUnit.objects.filter(lat__isnull=False, lon__isnull=False, level__in=[Level.COMMUNE, Level.DISTRICT])
    if parents is not None:
        units = units.filter(parent__in=parents)
    imported_parents = set(Adjacency.objects.filter(derived=False).values_list("unit__parent_id", flat=True).distinct())
    by_parent: dict[int, list[tuple[int, float, float]]] = defaultdict(list)
    for pk, parent_id, lat, lon in units.values_list("pk", "parent_id", "lat", "lon"):
        if parent_id not in imported_parents:
            by_parent[parent_id].append((pk, lat, lon))
    Adjacency.objects.filter(derived=True, unit__parent_id__in=list(by_parent)).delete()
    rows = []
    for points in by_parent.values():
        for (a, b), distance in nearest_neighbour_pairs(points, k=k).items():
            rows.append(Adjacency(unit_id=a, neighbour_id=b, derived=True, distance_km=distance))
            rows.append(Adjacency(unit_id=b, neighbour_id=a, derived=True, distance_km=distance))
    Adjacency.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    return len(rows) // 2
