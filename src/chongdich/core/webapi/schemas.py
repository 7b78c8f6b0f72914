"""The API's shared shapes: every input bounded like the column it fills (lengths, choices, plausible
numbers and dates), so that a wrong value is a 422 that names the field — never a database error.

The apps' own schemas live in their ``api.py`` (``people.api.PersonIn``, ``territory.api.UnitOut``) and
are built from these helpers."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints
from pydantic_core import PydanticCustomError

from chongdich.core import dates

MAX_ID = 2**63 - 1  # ids are 64-bit
MAX_NOTES = 2000  # free text stored in an unbounded column
CLIENT_ID_LENGTH = 64  # the client_id columns


def field_length(model, name: str) -> int:
    """The maximum length of a model's text column: the schema can never accept more."""
    return model._meta.get_field(name).max_length


def Text(max_length: int, *, required: bool = False):  # noqa: N802 - used as a type
    """Text of at most ``max_length`` characters, spaces at the ends removed; ``required``: not blank."""
    return Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=max_length, min_length=1 if required else 0)
    ]


def _refuse(message: str) -> PydanticCustomError:
    return PydanticCustomError("chongdich_invalid", "{message}", {"message": message})


def windowed(key: str):
    """A date inside the plausible window of ``key`` (``core.dates``), refused in the user's language."""

    def check(value: date) -> date:
        message = dates.problem(key, value)
        if message is not None:
            raise _refuse(message)
        return value

    return Annotated[date, AfterValidator(check)]


def _plausible_birth_year(value: int) -> int:
    first, last = dates.year_bounds()
    if not first <= value <= last:
        raise _refuse(_("The year of birth must be between %(first)s and %(last)s.") % {"first": first, "last": last})
    return value


BirthYear = Annotated[int, Field(ge=1800, le=2100), AfterValidator(_plausible_birth_year)]
ClientId = Annotated[str, StringConstraints(min_length=1, max_length=CLIENT_ID_LENGTH)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Notes = Text(MAX_NOTES)


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None
