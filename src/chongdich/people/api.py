"""People in the JSON API, scoped like the pages: list and search (audited page by page), read, register
(idempotent)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Header, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from chongdich.core import audit
from chongdich.core.roles import Cap
from chongdich.core.scoping import has_capability
from chongdich.core.webapi.pagination import CursorPagination
from chongdich.core.webapi.schemas import (
    CLIENT_ID_LENGTH,
    MAX_ID,
    BirthYear,
    ClientId,
    ErrorOut,
    Notes,
    Text,
    field_length,
    windowed,
)
from chongdich.people.actions import DuplicateCccd, PossibleDuplicate, do_create_person
from chongdich.people.models import OccupationGroup, Person, ResidenceStatus, Sex
from chongdich.people.selectors import people_for, search_people
from chongdich.territory.models import AdminUnit

# Every operation names its operation_id: the ids it had under chongdich/api/, which clients generate code from.
router = Router(tags=["persons"])
MAX_QUERY = 100
FullName = Text(field_length(Person, "full_name"), required=True)
Address = Text(field_length(Person, "address"))
BirthDate = windowed("person.date_of_birth")


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


@router.get("/persons", response=list[PersonOut], operation_id="chongdich_api_people_list_persons")
@paginate(CursorPagination, audited=True)
def list_persons(request, q: str = Query("", max_length=MAX_QUERY)):
    """People in your area, by name; with ``q``, a search by CCCD, phone or name (with or without
    diacritics), best matches first.  Every page sent is audited with the people on it."""
    if not has_capability(request.user, Cap.PEOPLE_VIEW):
        raise HttpError(403, _("Your roles do not allow viewing people."))
    people = people_for(request.user).select_related("unit", "household")
    if q.strip():
        return search_people(request.user, q, base=people)
    return people.order_by("folded_name", "pk")


@router.get("/persons/{person_id}", response=PersonOut, operation_id="chongdich_api_people_get_person")
def get_person(request, person_id: int = Path(..., ge=1, le=MAX_ID)):
    person = people_for(request.user).select_related("unit", "household").filter(pk=person_id).first()
    if person is None:
        raise Http404
    audit.record(request.user, audit.AuditAction.VIEW, person, detail={"api": True})
    return person


@router.post(
    "/persons",
    response={200: PersonOut, 201: PersonOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    operation_id="chongdich_api_people_create_person",
)
def create_person(
    request,
    payload: PersonIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=CLIENT_ID_LENGTH),
):
    """Register a person.  Send the same ``Idempotency-Key`` (or ``client_id``) again and you get the
    original record back (200) instead of a duplicate.

    409: the citizen ID is taken, or a person with the same name and year of birth has the same phone or
    lives in the same village or household.  People of your area are listed in ``errors.duplicates``
    ("id: name"); someone of another area only as "registered in another area", with a reference in
    ``errors.references`` (ask for a transfer on the People › Transfer requests page).  Send
    ``confirm_new: true`` when it is a different person (a taken citizen ID cannot be confirmed)."""
    if not has_capability(request.user, Cap.PEOPLE_EDIT):
        raise HttpError(403, _("Your roles do not allow recording people."))
    unit = AdminUnit.objects.filter(code=payload.unit).first()
    if unit is None:
        return Status(
            422,
            {
                "detail": _("There is no unit with code “%(code)s”.") % {"code": payload.unit},
                "errors": {"unit": ["unknown"]},
            },
        )
    data = payload.dict(exclude={"unit", "client_id", "confirm_new"})
    data["cccd"] = data.get("cccd") or None
    data["phone"] = data.get("phone") or ""
    try:
        person, created = do_create_person(
            request.user,
            unit=unit,
            data=data,
            client_id=idempotency_key or payload.client_id,
            confirm_new=payload.confirm_new,
            channel="api",
        )
    except PermissionDenied:
        raise Http404 from None
    except (DuplicateCccd, PossibleDuplicate) as exc:
        # The people the caller may see are named (id: name); the others only by the warning's reference.
        named = exc.matches if isinstance(exc, PossibleDuplicate) else [p for p in [exc.existing] if p]
        errors = {"duplicates": [f"{p.pk}: {p}" for p in named], "references": list(exc.references)}
        return Status(409, {"detail": exc.messages[0], "errors": errors})
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return Status(422, {"detail": " ".join(exc.messages), "errors": errors})
    return Status(201 if created else 200, person)
