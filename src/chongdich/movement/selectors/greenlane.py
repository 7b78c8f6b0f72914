"""Green-lane cards and trips as pages and the checkpoint screen read them."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from chongdich.movement.models import GreenCard


def _plate_key(plate: str) -> str:
    """The stored form of a plate (upper case, letters and digits only); the rules' ``normalise_plate``
    validates it, this only makes a lookup tolerant of what a checkpoint typed."""
    try:
        from chongdich.movement.rules import normalise_plate  # noqa: PLC0415 - lands with the rules helper
    except ImportError:  # pragma: no cover - until the rules helper's commit is merged
        normalise_plate = None
    if normalise_plate is not None:
        try:
            return normalise_plate(plate)
        except ValueError:
            pass
    return "".join(ch for ch in (plate or "").upper() if ch.isalnum())


def valid_card(plate: str, at: datetime | None = None) -> GreenCard | None:
    """The card valid for ``plate`` at ``at`` (not revoked then, ``at``'s local date within its validity),
    or None.  Used by the checkpoint screen: a carded vehicle is not inspected (CV 5187).  Not scoped: a
    checkpoint honours a card whichever province issued it; the caller shows only its number."""
    key = _plate_key(plate)
    if not key:
        return None
    at = at or timezone.now()
    day = timezone.localtime(at).date()
    cards = (
        GreenCard.objects.filter(plate=key, valid_from__lte=day, valid_to__gte=day)
        .exclude(revoked_at__lte=at)
        .order_by("-valid_to", "-pk")
    )
    return cards.first()
