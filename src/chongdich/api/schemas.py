"""Shapes of the API: every input bounded like the column it fills (lengths, choices, plausible numbers
and dates), so that a wrong value is a 422 that names the field — never a database error."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints
from pydantic_core import PydanticCustomError

from chongdich.core import dates
from chongdich.people.models import OccupationGroup, Person, ResidenceStatus, Sex
from chongdich.territory.models import AdminUnit

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
FullName = Text(field_length(Person, "full_name"), required=True)
Address = Text(field_length(Person, "address"))
Notes = Text(MAX_NOTES)
BirthDate = windowed("person.date_of_birth")


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


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


class PersonOut(Schema):
    id: int
    full_name: str
    sex: str
    date_of_birth: date | None
    birth_year: int
    cccd: str | None
    phone: str
    unit: str
    household: str | None
    address: str
    residence_status: str
    occupation_group: str

    @staticmethod
    def resolve_unit(person) -> str:
        return person.unit.code

    @staticmethod
    def resolve_household(person) -> str | None:
        return person.household.code if person.household_id else None


class PersonIn(Schema):
    full_name: FullName
    sex: Sex
    date_of_birth: BirthDate | None = None
    birth_year: BirthYear | None = None
    cccd: str | None = Field(None, max_length=20, description="12 digits")
    phone: str | None = Field(None, max_length=20)
    unit: str = Field(..., max_length=field_length(AdminUnit, "code"), description="Code of the village or commune")
    address: Address = ""
    residence_status: ResidenceStatus = ResidenceStatus.PERMANENT
    occupation_group: Literal[("", *OccupationGroup.values)] = ""  # type: ignore[valid-type]
    notes: Notes = ""
    client_id: ClientId | None = None
    confirm_new: bool = False
