"""Every API list is read page by page: at most ``MAX_LIMIT`` rows per request, the next page named by
an opaque cursor — so that no single request pulls a whole province.

Keyset ("cursor") pagination on the list's own ordering (``queryset.order_by(...)``, made unique with
the primary key): the cursor holds the ordering values of the last row sent, signed so that it cannot
be forged or crafted to reach the database with odd values.  Unlike an offset, it costs the same on
page 1,000 as on page 1 and does not skip or repeat rows when records are added meanwhile.

A list of personal data is audited page by page (``audited=True``): one event per request with the ids
of the people sent, like the pages (``core.audit.record_read``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import ValidationError
from ninja.pagination import PaginationBase

from chongdich.core import audit

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
SALT = "chongdich.api.cursor"  # kept when the module moved to core.webapi: cursors already sent stay valid


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime, Decimal)):
        return value.isoformat() if not isinstance(value, Decimal) else str(value)
    return value


def _value(row, name: str) -> Any:
    for part in name.split("__"):
        row = getattr(row, part)
    return row


def _ordering(queryset: QuerySet) -> list[str]:
    """The list's ordering made unique: its ``order_by`` fields, then the primary key."""
    fields = [field for field in queryset.query.order_by if isinstance(field, str)] or ["pk"]
    if fields[-1].lstrip("-") not in ("pk", "id"):
        fields.append("-pk" if fields[-1].startswith("-") else "pk")
    return fields


def _after(fields: list[str], values: list[Any]) -> Q:
    """Rows strictly after ``values`` in the order of ``fields``: (a > x) or (a = x and b > y) or …"""
    condition = Q()
    for i, field in enumerate(fields):
        name = field.lstrip("-")
        step = Q(**{f"{name}__{'lt' if field.startswith('-') else 'gt'}": values[i]})
        for earlier, value in zip(fields[:i], values[:i], strict=True):
            step &= Q(**{earlier.lstrip("-"): value})
        condition |= step
    return condition


def _invalid_cursor() -> ValidationError:
    return ValidationError(
        [
            {
                "type": "chongdich_cursor",
                "loc": ("query", "cursor"),
                "msg": _("This cursor is not valid for this list: start again from the first page."),
            }
        ]
    )


class CursorPagination(PaginationBase):
    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Rows per page (at most {MAX_LIMIT})")
        cursor: str | None = Field(None, max_length=1000, description="The `next` of the previous page")

    class Output(Schema):
        items: list[Any]
        next: str | None = Field(None, description="Cursor of the next page; null on the last page")

    items_attribute = "items"

    def __init__(self, *, audited: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.audited = audited  # rows are people, or records with a person_id

    def paginate_queryset(self, queryset: QuerySet, pagination: Input, request, **params) -> dict[str, Any]:
        fields = _ordering(queryset)
        queryset = queryset.order_by(*fields)
        if pagination.cursor:
            try:
                position = signing.loads(pagination.cursor, salt=SALT)
            except signing.BadSignature:
                raise _invalid_cursor() from None
            if (
                not isinstance(position, dict)
                or position.get("o") != fields
                or len(position.get("v", ())) != len(fields)
            ):
                raise _invalid_cursor()
            queryset = queryset.filter(_after(fields, position["v"]))
        rows = list(queryset[: pagination.limit + 1])
        items, more = rows[: pagination.limit], len(rows) > pagination.limit
        following = None
        if more:
            last = items[-1]
            values = [_plain(_value(last, field.lstrip("-"))) for field in fields]
            following = signing.dumps({"o": fields, "v": values}, salt=SALT, compress=True)
        if self.audited:
            audit.record_read(
                request, f"API {request.path}", items, detail={"api": True, "first_page": not pagination.cursor}
            )
        return {"items": items, "next": following}
