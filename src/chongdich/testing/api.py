"""Samples and results in the JSON API, scoped like the pages: list, register (idempotent), enter a result."""

# No ``from __future__ import annotations``: django-ninja reads the query parameters' enum types at run time.
from datetime import date
from decimal import Decimal

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
from chongdich.core.webapi.schemas import CLIENT_ID_LENGTH, ClientId, ErrorOut, Id, field_length, windowed
from chongdich.people.selectors import people_for
from chongdich.testing.actions import do_record_result, do_register_sample
from chongdich.testing.models import Lab, Sample, SampleKind, SampleReason, SampleStatus
from chongdich.testing.results import CT_MAX, CT_MIN, normalize_code
from chongdich.testing.selectors import campaigns_to_choose, samples_for

# Every operation names its operation_id: the ids it had under chongdich/api/, which clients generate code from.
router = Router(tags=["samples"])
CODE = field_length(Sample, "code")
LAB_CODE = field_length(Lab, "code")


class SampleOut(Schema):
    code: str
    kind: SampleKind
    reason: SampleReason
    person_id: int | None
    unit: str
    taken_on: date
    lab: str | None
    campaign_id: int | None
    pool: str | None
    status: SampleStatus
    result_on: date | None
    ct_value: Decimal | None

    @staticmethod
    def resolve_unit(sample) -> str:
        return sample.unit.code

    @staticmethod
    def resolve_lab(sample) -> str | None:
        return sample.lab.code if sample.lab_id else None

    @staticmethod
    def resolve_pool(sample) -> str | None:
        return sample.pool.code if sample.pool_id else None


class SampleIn(Schema):
    person_id: Id
    kind: SampleKind = SampleKind.RT_PCR
    reason: SampleReason
    taken_on: windowed("sample.taken_on")
    lab: str | None = Field(None, max_length=LAB_CODE, description="Laboratory code")
    campaign_id: Id | None = None
    code: str = Field("", max_length=CODE, description="Code on the tube; empty to number it automatically")
    result: SampleStatus | None = Field(None, description="Rapid antigen tests only: the result read on the spot")
    client_id: ClientId | None = None


class ResultIn(Schema):
    status: SampleStatus
    ct_value: Decimal | None = Field(None, ge=CT_MIN, le=CT_MAX, max_digits=4, decimal_places=1)
    result_on: windowed("sample.result_on")
    correction: bool = Field(False, description="Required to change a positive or negative result")


def _require(request, capability: str, message: str) -> None:
    if not has_capability(request.user, capability):
        raise HttpError(403, message)


def _invalid(exc: ValidationError) -> Status:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return Status(422, {"detail": " ".join(exc.messages), "errors": errors})


def _samples(request, capability: str = Cap.TESTS_VIEW):
    return samples_for(request.user, capability).select_related("unit", "lab", "pool")


@router.get("/samples", response=list[SampleOut], operation_id="chongdich_api_testing_list_samples")
@paginate(CursorPagination, audited=True)
def list_samples(
    request,
    status: SampleStatus | None = None,
    lab: str | None = Query(None, max_length=LAB_CODE),
    taken_from: date | None = None,
    taken_to: date | None = None,
):
    """Samples of your area, newest first; filter by result, laboratory code and sampling dates.
    Every page sent is audited with the people on it."""
    _require(request, Cap.TESTS_VIEW, _("Your roles do not allow viewing tests."))
    samples = _samples(request)
    if status:
        samples = samples.filter(status=status)
    if lab:
        samples = samples.filter(lab__code=normalize_code(lab))
    if taken_from:
        samples = samples.filter(taken_on__gte=taken_from)
    if taken_to:
        samples = samples.filter(taken_on__lte=taken_to)
    return samples.order_by("-taken_on", "-pk")


@router.get("/samples/{code}", response=SampleOut, operation_id="chongdich_api_testing_get_sample")
def get_sample(request, code: str = Path(..., max_length=CODE)):
    _require(request, Cap.TESTS_VIEW, _("Your roles do not allow viewing tests."))
    sample = _samples(request).filter(code=normalize_code(code)).first()
    if sample is None:
        raise Http404
    audit.record(request.user, audit.AuditAction.VIEW, sample, detail={"api": True})
    return sample


@router.post(
    "/samples",
    response={200: SampleOut, 201: SampleOut, 404: ErrorOut, 422: ErrorOut},
    operation_id="chongdich_api_testing_create_sample",
)
def create_sample(
    request,
    payload: SampleIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=CLIENT_ID_LENGTH),
):
    """Register a person's sample.  Send the same ``Idempotency-Key`` (or ``client_id``) again and you
    get the original sample back (200) instead of a second one."""
    _require(request, Cap.TESTS_EDIT, _("Your roles do not allow recording tests."))
    person = people_for(request.user).filter(pk=payload.person_id).select_related("unit").first()
    if person is None:
        raise Http404
    lab = None
    if payload.lab:
        lab = Lab.objects.filter(code=normalize_code(payload.lab)).first()
        if lab is None:
            return Status(
                422,
                {
                    "detail": _("There is no laboratory with code “%(code)s”.") % {"code": payload.lab},
                    "errors": {"lab": ["unknown"]},
                },
            )
    campaign = None
    if payload.campaign_id:
        campaign = campaigns_to_choose(request.user).filter(pk=payload.campaign_id).first()
        if campaign is None:
            raise Http404
    try:
        sample, created = do_register_sample(
            request.user,
            person=person,
            kind=payload.kind,
            reason=payload.reason,
            taken_on=payload.taken_on,
            lab=lab,
            campaign=campaign,
            code=payload.code,
            result=payload.result or "",
            client_id=idempotency_key or payload.client_id,
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        return _invalid(exc)
    return Status(201 if created else 200, _samples(request).get(pk=sample.pk))


@router.post(
    "/samples/{code}/result",
    response={200: SampleOut, 404: ErrorOut, 422: ErrorOut},
    operation_id="chongdich_api_testing_record_result",
)
def record_result(request, payload: ResultIn, code: str = Path(..., max_length=CODE)):
    """Enter a sample's result; the same result sent again changes nothing.  A positive pool opens
    its members' individual re-tests."""
    _require(request, Cap.TESTS_EDIT, _("Your roles do not allow recording tests."))
    sample = samples_for(request.user, Cap.TESTS_EDIT).filter(code=normalize_code(code)).first()
    if sample is None:
        raise Http404
    try:
        do_record_result(
            request.user,
            sample,
            status=payload.status,
            ct=payload.ct_value,
            result_on=payload.result_on,
            correction=payload.correction,
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        return _invalid(exc)
    return _samples(request).get(pk=sample.pk)
