from __future__ import annotations

from datetime import date

from ninja import Schema


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
    full_name: str
    sex: str
    date_of_birth: date | None = None
    birth_year: int | None = None
    cccd: str | None = None
    phone: str | None = None
    unit: str
    address: str = ""
    residence_status: str = "permanent"
    occupation_group: str = ""
    notes: str = ""
    client_id: str | None = None
    confirm_new: bool = False
