from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Header, Path, Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from chongdich.api.pagination import CursorPagination
from chongdich.api.schemas import CLIENT_ID_LENGTH, MAX_ID, ErrorOut, PersonIn, PersonOut
from chongdich.core import audit
from chongdich.core.roles import Cap
from chongdich.core.scoping import has_capability
from chongdich.people.actions import DuplicateCccd, PossibleDuplicate, do_create_person
from chongdich.people.selectors import people_for, search_people
from chongdich.territory.models import AdminUnit

router = Router(tags=["persons"])
MAX_QUERY = 100


@router.get("/persons", response=list[PersonOut])
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


@router.get("/persons/{person_id}", response=PersonOut)
def get_person(request, person_id: int = Path(..., ge=1, le=MAX_ID)):
    person = people_for(request.user).select_related("unit", "household").filter(pk=person_id).first()
    if person is None:
        raise Http404
    audit.record(request.user, audit.AuditAction.VIEW, person, detail={"api": True})
    return person


@router.post("/persons", response={200: PersonOut, 201: PersonOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut})
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
