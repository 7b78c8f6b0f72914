"""Vaccination in the JSON API, scoped like the pages: the doses of an area (paged, audited), recording a
dose from a device at the table (idempotent), a person's vaccination status (doses, next dose, colour)
and the verification of a certificate's QR payload."""

# No ``from __future__ import annotations``: django-ninja reads the parameters' types at run time.
from datetime import date, datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from chongdich.core import audit, clock
from chongdich.core.scoping import has_capability
from chongdich.core.versioning import NoRuleInForce
from chongdich.core.webapi.pagination import CursorPagination
from chongdich.core.webapi.schemas import CLIENT_ID_LENGTH, ClientId, ErrorOut, Id, Text, field_length
from chongdich.territory.models import AdminUnit
from chongdich.vaccination import rules
from chongdich.vaccination.actions.table import do_record_dose
from chongdich.vaccination.certificates import MAX_PAYLOAD, Verdict
from chongdich.vaccination.models import EDIT, VIEW, Dose, DoseKind, DoseSource, Lot
from chongdich.vaccination.selectors import certs
from chongdich.vaccination.selectors.table import people_at_table, session_page

# Every operation names its operation_id: clients generate code from them.
router = Router(tags=["vaccination"])
UNIT_CODE = field_length(AdminUnit, "code")
LOT_NUMBER = field_length(Lot, "number")
OVERRIDE = field_length(Dose, "override_reason")
LAST_DAY_AHEAD = 366  # a colour may be asked for a day ahead (a trip, a checkpoint tomorrow)


def _plausible_day(value: date) -> date:
    first = rules.VACCINATION_START
    last = date.fromordinal(clock.today().toordinal() + LAST_DAY_AHEAD)
    if not first <= value <= last:
        raise PydanticCustomError(
            "chongdich_invalid",
            "{message}",
            {
                "message": _("The date must be between %(first)s and %(last)s.")
                % {"first": first.strftime("%d/%m/%Y"), "last": last.strftime("%d/%m/%Y")}
            },
        )
    return value


def _plausible_moment(value: datetime) -> datetime:
    _plausible_day(_day_of(value))
    return value


def _day_of(moment: datetime) -> date:
    """The day of a moment in Vietnam time (a moment without a zone is Vietnam time already)."""
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


VaccinationDay = Annotated[date, AfterValidator(_plausible_day)]
VaccinationMoment = Annotated[datetime, AfterValidator(_plausible_moment)]


class DoseOut(Schema):
    id: int
    person_id: int
    product: str
    kind: DoseKind
    number: int
    given_on: date
    lot: str
    site: str
    unit: str
    session_id: int | None
    completes_primary: bool
    source: DoseSource

    @staticmethod
    def resolve_lot(dose) -> str:
        return certs.lot_of(dose)

    @staticmethod
    def resolve_site(dose) -> str:
        return dose.site.name if dose.site_id else dose.site_name

    @staticmethod
    def resolve_unit(dose) -> str:
        return dose.unit.code


class DoseIn(Schema):
    person_id: Id
    session_id: Id
    lot: Text(LOT_NUMBER, required=True) = Field(..., description="Lot number on the vial (one of the session's lots)")
    override_reason: Text(OVERRIDE) = Field("", description="Why the dose is given despite the rules' problems")
    client_id: ClientId | None = None


class ColourOut(Schema):
    colour: str = Field(..., description="green | yellow | red")
    reason: str = Field(..., description="full_primary | recovered | one_dose | negative_pcr | under_treatment | none")
    since: date | None
    until: date | None


class StatusOut(Schema):
    person_id: int
    on: date
    complete: bool
    completed_on: date | None
    doses_counted: int
    next_kind: str | None
    next_number: int | None
    next_due: date | None
    earliest_next: date | None
    problems: list[str]
    colour: ColourOut
    doses: list[DoseOut]


class VerifyIn(Schema):
    payload: str = Field(..., max_length=MAX_PAYLOAD + 300, description="The QR code's text (CD1:…), or its address")


class VerifiedDoseOut(Schema):
    product: str
    product_name: str
    given_on: date
    lot: str


class VerifiedOut(Schema):
    name: str
    date_of_birth: str = Field(..., description="YYYY-MM-DD, or YYYY when only the year is known")
    issued_on: date
    doses: list[VerifiedDoseOut]


class VerifyOut(Schema):
    verdict: Verdict
    kid: str = Field("", description="Key id of the signature")
    certificate: VerifiedOut | None = Field(None, description="What the payload holds (not for an altered one)")


def _require(request, capability: str, message: str) -> None:
    if not has_capability(request.user, capability):
        raise HttpError(403, message)


def _invalid(exc: ValidationError) -> Status:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return Status(422, {"detail": " ".join(exc.messages), "errors": errors})


@router.get("/vaccination/doses", response=list[DoseOut], operation_id="chongdich_api_vaccination_list_doses")
@paginate(CursorPagination, audited=True)
def list_doses(
    request,
    unit: str | None = Query(None, max_length=UNIT_CODE, description="Code of a unit: its subtree only"),
    since: VaccinationDay | None = Query(None, description="Doses given on or after this day"),  # noqa: B008
):
    """Valid doses of your area (counted where the person lived when vaccinated), newest first.  Every
    page sent is audited with the people on it."""
    _require(request, VIEW, _("Your roles do not allow viewing vaccinations."))
    doses, _unit = certs.doses_in_list(request.user, unit=unit, since=since)
    return doses


@router.post(
    "/vaccination/doses",
    response={200: DoseOut, 201: DoseOut, 404: ErrorOut, 422: ErrorOut},
    operation_id="chongdich_api_vaccination_record_dose",
)
def record_dose(
    request,
    payload: DoseIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=CLIENT_ID_LENGTH),
):
    """Record a dose given at a session's table, from a device: the rules number it and check the
    interval, age and mixing (problems need ``override_reason``); the person must have been screened in
    the session.  Send the same ``Idempotency-Key`` (or ``client_id``) again and you get the original
    dose back (200) instead of a second one."""
    _require(request, EDIT, _("Your roles do not allow recording vaccinations."))
    person = people_at_table(request.user).filter(pk=payload.person_id).first()
    if person is None:
        raise Http404
    session = session_page(request.user, payload.session_id, EDIT)
    lot = session.lots.filter(number__iexact=payload.lot).first()
    if lot is None:
        return Status(
            422,
            {
                "detail": _("The lot “%(lot)s” is not in use at this session.") % {"lot": payload.lot},
                "errors": {"lot": [_("Choose one of the session's lots.")]},
            },
        )
    try:
        dose, created = do_record_dose(
            request.user,
            person=person,
            session=session,
            lot=lot,
            override_reason=payload.override_reason,
            client_id=idempotency_key or payload.client_id,
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        return _invalid(exc)
    return Status(201 if created else 200, certs.doses_for(request.user).get(pk=dose.pk))


@router.get(
    "/vaccination/persons/{person_id}/status",
    response={200: StatusOut, 404: ErrorOut, 422: ErrorOut},
    operation_id="chongdich_api_vaccination_person_status",
)
def person_status(
    request,
    person_id: int = Path(..., ge=1, le=2**63 - 1),
    on: VaccinationDay | None = Query(None, description="The day (default today)"),  # noqa: B008
    at: VaccinationMoment | None = Query(None, description="A moment of that day for the colour (default: its end)"),  # noqa: B008
):
    """A person's vaccination status on a day: every valid dose, the primary series, the next dose due,
    and the PC-Covid colour with what it rests on.  Audited."""
    _require(request, VIEW, _("Your roles do not allow viewing vaccinations."))
    person = certs.person_in_scope(request.user, person_id)
    day = on or (_day_of(at) if at else clock.today())
    try:
        colour = certs.colour_of(person, day, at=at)
    except (rules.InputError, rules.ConfigError, NoRuleInForce) as error:
        return Status(422, {"detail": str(error), "errors": {"at" if at else "on": [str(error)]}})
    doses = list(certs.doses_of(person))
    audit.record_read(request, "API vaccination status", [person], obj=person, detail={"api": True})
    status = colour.status
    return {
        "person_id": person.pk,
        "on": day,
        "complete": status.complete,
        "completed_on": status.completed_on,
        "doses_counted": status.doses_counted,
        "next_kind": status.next_kind,
        "next_number": status.next_number,
        "next_due": status.next_due,
        "earliest_next": status.earliest_next,
        "problems": list(status.problems),
        "colour": {"colour": colour.colour, "reason": colour.reason, "since": colour.since, "until": colour.until},
        "doses": doses,
    }


@router.post("/vaccination/verify", response=VerifyOut, operation_id="chongdich_api_vaccination_verify")
def verify(request, payload: VerifyIn):
    """Check a certificate's QR payload: whether this system signed it (``valid``, ``invalid_signature``,
    ``unknown_key``, ``malformed``) and what it holds.  Reads nothing but the payload and the keys."""
    checked = certs.check_payload(payload.payload)
    result = checked.verification
    certificate = None
    if result.certificate is not None and result.verdict != Verdict.INVALID_SIGNATURE:
        cert = result.certificate
        certificate = {
            "name": cert.name,
            "date_of_birth": cert.date_of_birth,
            "issued_on": cert.issued_on,
            "doses": [
                {"product": dose.product, "product_name": name, "given_on": dose.given_on, "lot": dose.lot}
                for _number, name, dose in checked.doses
            ],
        }
    return {"verdict": result.verdict, "kid": result.kid, "certificate": certificate}
