"""Device tokens of a checkpoint or a venue: a tablet at the gate, a checkpoint's phone, a fixed scanner
that sends passages or check-ins through the API (``Authorization: Device <token>``).  The token is
made by ``movement.devices.issue`` (only its digest is stored) and shown once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chongdich.core import audit, clock
from chongdich.core.recorded import replay
from chongdich.core.scoping import in_scope
from chongdich.movement import devices
from chongdich.movement.models import EDIT, Checkpoint, DeviceToken

DEVICE_TOKEN_DAYS = 365


@dataclass(frozen=True)
class MadeToken:
    device: DeviceToken
    token: str  # shown once; empty when the form was sent again (the token cannot be read back)

    @property
    def replayed(self) -> bool:
        return not self.token


def _outside() -> str:
    return _("This device is outside your area.")


@transaction.atomic
def do_make_device(
    actor, place, *, label: str, days: int = DEVICE_TOKEN_DAYS, client_id: str | None = None
) -> MadeToken:
    """A token for a device of ``place`` (a Checkpoint or a Venue).  The same form sent again (its
    ``client_id``) makes no second token: it returns the first device without its token, which only its
    first answer showed."""
    if not in_scope(actor, EDIT, place):
        raise PermissionDenied(_outside())
    earlier = replay(actor, DeviceToken, client_id, capability=EDIT, refusal=_outside())
    if earlier is not None:
        return MadeToken(earlier, "")
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": _("Name the device, e.g. “Gate 1 tablet”.")})
    if not 1 <= days <= DEVICE_TOKEN_DAYS:
        raise ValidationError({"days": _("A device token is valid for 1 to 365 days.")})
    device, token = devices.issue(
        place, label[:80], actor=actor, expires_at=clock.now() + timedelta(days=days), client_id=client_id
    )
    kind = "checkpoint" if isinstance(place, Checkpoint) else "venue"
    audit.record(actor, audit.AuditAction.CREATE, device, detail={kind: place.pk})
    return MadeToken(device, token)


@transaction.atomic
def do_revoke_device(actor, device: DeviceToken) -> DeviceToken:
    if not in_scope(actor, EDIT, device):
        raise PermissionDenied(_outside())
    if device.revoked_at is None:
        device.revoked_at = timezone.now()
        device.stamp(actor)
        device.save(update_fields=["revoked_at"])
        audit.record(actor, audit.AuditAction.UPDATE, device, detail={"revoked": True})
    return device
