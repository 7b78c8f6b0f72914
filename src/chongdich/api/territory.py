# No ``from __future__ import annotations``: django-ninja reads the query parameters' enum types at run time.
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from chongdich.api.pagination import CursorPagination
from chongdich.api.schemas import UnitDetailOut, UnitOut, field_length
from chongdich.core.roles import Cap
from chongdich.core.scoping import has_capability
from chongdich.core.text import fold_words
from chongdich.territory.models import AdminUnit, Level

router = Router(tags=["units"])
CODE = field_length(AdminUnit, "code")


def _require_units(request):
    if not has_capability(request.user, Cap.UNITS_VIEW):
        raise HttpError(403, _("Your roles do not allow viewing administrative units."))


@router.get("/units", response=list[UnitOut])
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


@router.get("/units/{code}", response=UnitDetailOut)
def get_unit(request, code: str = Path(..., max_length=CODE)):
    _require_units(request)
    unit = AdminUnit.objects.select_related("parent").filter(code=code).first()
    if unit is None:
        raise Http404
    return unit
