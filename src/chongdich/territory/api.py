"""Administrative units (reference data) in the JSON API: list, filter, read one with its neighbours."""

# No ``from __future__ import annotations``: django-ninja reads the query parameters' enum types at run time.
from datetime import date

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from chongdich.core.roles import Cap
from chongdich.core.scoping import has_capability
from chongdich.core.text import fold_words
from chongdich.core.webapi.pagination import CursorPagination
from chongdich.core.webapi.schemas import field_length
from chongdich.territory.models import AdminUnit, Level

# Every operation names its operation_id: the ids it had under chongdich/api/, which clients generate code from.
router = Router(tags=["units"])
CODE = field_length(AdminUnit, "code")


class UnitOut(Schema):
    code: str
    name: str
    level: str
    kind: str
    parent: str | None
    path: str
    lat: float | None
    lon: float | None
    area_km2: float | None
    is_border: bool
    population_total: int | None
    pop_0_17: int | None
    pop_18_49: int | None
    pop_50_64: int | None
    pop_65_plus: int | None
    population_as_of: date | None

    @staticmethod
    def resolve_parent(unit) -> str | None:
        return unit.parent.code if unit.parent_id else None


class UnitDetailOut(UnitOut):
    neighbours: list[str]
    children: list[str]

    @staticmethod
    def resolve_neighbours(unit) -> list[str]:
        return list(unit.adjacency.order_by("neighbour__code").values_list("neighbour__code", flat=True))

    @staticmethod
    def resolve_children(unit) -> list[str]:
        return list(unit.children.order_by("code").values_list("code", flat=True))


def _require_units(request):
    if not has_capability(request.user, Cap.UNITS_VIEW):
        raise HttpError(403, _("Your roles do not allow viewing administrative units."))


@router.get("/units", response=list[UnitOut], operation_id="chongdich_api_territory_list_units")
@paginate(CursorPagination)
def list_units(
    request,
    parent: str | None = Query(None, max_length=CODE),
    level: Level | None = None,
    q: str | None = Query(None, max_length=field_length(AdminUnit, "name")),
):
    """Administrative units (reference data), filtered by parent code, level or name."""
    _require_units(request)
    units = AdminUnit.objects.select_related("parent").order_by("path")
    if parent:
        units = units.filter(parent__code=parent)
    if level:
        units = units.filter(level=level)
    if q:
        units = units.filter(folded_name__contains=fold_words(q))
    return units


@router.get("/units/{code}", response=UnitDetailOut, operation_id="chongdich_api_territory_get_unit")
def get_unit(request, code: str = Path(..., max_length=CODE)):
    _require_units(request)
    unit = AdminUnit.objects.select_related("parent").filter(code=code).first()
    if unit is None:
        raise Http404
    return unit
