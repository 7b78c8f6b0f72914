"""The event tables in the JSON API: the public health declaration (no sign-in, rate-limited per client
address), check-ins and passages from a venue's or a checkpoint's device (``Authorization: Device …``).

The checks, the rows and the answers are ``movement.intake``'s; the same operations are answered by
the fast ingest front (``movement.front``) when the server runs it, with the same results.
"""

# No ``from __future__ import annotations``: django-ninja reads the annotations at run time.
from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError
from ninja.responses import Response
from ninja.security import HttpBearer

from chongdich.core.context import client_ip
from chongdich.core.webapi.schemas import ErrorOut
from chongdich.movement import devices, intake

router = Router(tags=["movement"])


class DeviceAuth(HttpBearer):
    """A venue's or a checkpoint's device token."""

    openapi_scheme = "device"
    openapi_description = "A venue's or a checkpoint's device token: `Authorization: Device dv_…`"

    def authenticate(self, request: HttpRequest, token: str):
        return devices.authenticate(token)


DEVICE = DeviceAuth()


def _respond(request, answer: intake.Answer):
    if answer.status == 401:
        raise HttpError(401, answer.body["detail"])
    response = Response(answer.body, status=answer.status)
    for name, value in answer.headers.items():
        response[name] = value
    return response


@router.post(
    "/declarations",
    auth=None,
    response={200: intake.DeclarationReceipt, 201: intake.DeclarationReceipt, 422: ErrorOut, 429: ErrorOut},
    operation_id="chongdich_api_movement_declare",
)
def declare(request, payload: intake.DeclarationIn):
    """Send a health declaration (no sign-in).  Answers 201 with a receipt; the same ``client_id`` sent
    again answers 200 with the first receipt.  At most ``CHONGDICH_DECLARATION_RATE_LIMIT`` (20) in
    ``CHONGDICH_DECLARATION_RATE_WINDOW`` seconds (600) from one address, the form's included: then 429
    with ``Retry-After``."""
    return _respond(request, intake.accept_declaration(payload, address=client_ip(request)))


@router.post(
    "/checkins",
    auth=DEVICE,
    response={200: intake.CheckInOut, 201: intake.CheckInOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    operation_id="chongdich_api_movement_check_in",
)
def check_in(request, payload: intake.CheckInIn):
    """A check-in at the device's venue (``phone`` or ``person_id``).  The same ``client_id`` sent again
    answers 200 with the first check-in.  A device of another venue is refused (403)."""
    return _respond(request, intake.accept_checkin(payload, device=request.auth))


@router.post(
    "/passages",
    auth=DEVICE,
    response={200: intake.PassageOut, 201: intake.PassageOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    operation_id="chongdich_api_movement_record_passage",
)
def record_passage(request, payload: intake.PassageIn):
    """A person or a vehicle passing the device's checkpoint, as the passage screen records it; the
    rule's advice is stored with the officer's action.  The same ``client_id`` answers 200 with the
    first passage."""
    return _respond(request, intake.accept_passage(payload, device=request.auth))
