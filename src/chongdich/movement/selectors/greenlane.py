"""Green-lane cards and trips as pages, exports and the checkpoint screen read them."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from chongdich.core import clock
from chongdich.core.access import get_in_scope_or_404
from chongdich.core.scoping import for_user, in_scope
from chongdich.movement.models import EDIT, VIEW, GreenCard, Passage, Trip, TripState
from chongdich.movement.selectors.settings import setting_for
from chongdich.territory.models import AdminUnit, Level

try:  # the rules helper's plate rules; a tolerant key until they are merged
    from chongdich.movement.rules import normalise_plate as _rules_normalise_plate
    from chongdich.movement.rules import plate_display as _rules_plate_display
except ImportError:  # pragma: no cover - replaced by the rules helper's module
    _rules_normalise_plate = _rules_plate_display = None

QR_PREFIX = "GL1"  # the card's QR: "GL1|<number>|<plate>"


def plate_key(plate: str) -> str:
    """The stored form of a plate (upper case, letters and digits only) for a lookup: the rules'
    ``normalise_plate`` when it accepts the text, else the letters and digits typed."""
    if _rules_normalise_plate is not None:
        try:
            return _rules_normalise_plate(plate)
        except ValueError:
            pass
    return "".join(ch for ch in (plate or "").upper() if ch.isalnum())[:12]


def plate_display(plate: str) -> str:
    """How a stored plate reads: ``51C12345`` → ``51C-123.45``, ``29A123456`` → ``29A1-234.56``."""
    if _rules_plate_display is not None:
        try:
            return _rules_plate_display(plate)
        except ValueError:
            return plate
    if not plate or len(plate) < 7 or not plate[:2].isdigit():
        return plate
    end = 2
    while end < len(plate) and plate[end].isalpha():
        end += 1
    head, tail = plate[:end], plate[end:]
    if len(tail) == 6:  # a motorbike's series digit
        head, tail = head + tail[0], tail[1:]
    return f"{head}-{tail[:3]}.{tail[3:]}" if len(tail) == 5 else f"{head}-{tail}"


def card_is_valid(card: GreenCard, at: datetime) -> bool:
    day = timezone.localtime(at).date()
    return card.valid_from <= day <= card.valid_to and (card.revoked_at is None or card.revoked_at > at)


def card_valid_at(card: GreenCard, at: datetime) -> bool:
    """Whether ``card`` was valid at ``at`` (the rules' "valid card": an expired or revoked one is none)."""
    day = timezone.localtime(at).date()
    return card.valid_from <= day <= card.valid_to and (card.revoked_at is None or card.revoked_at > at)


def valid_card(plate: str, at: datetime | None = None) -> GreenCard | None:
    """The card valid for ``plate`` at ``at`` (not revoked then, ``at``'s local date within its validity),
    or None.  Used by the checkpoint screen: a carded vehicle is not inspected (CV 5187).  Not scoped: a
    checkpoint honours a card whichever unit issued it; the caller shows its number and operator."""
    key = plate_key(plate)
    if not key:
        return None
    at = at or clock.now()
    day = timezone.localtime(at).date()
    cards = (
        GreenCard.objects.filter(plate=key, valid_from__lte=day, valid_to__gte=day)
        .filter(Q(revoked_at__isnull=True) | Q(revoked_at__gt=at))
        .order_by("-valid_to", "-pk")
    )
    return cards.first()


def card_qr_payload(card: GreenCard) -> str:
    """The text of the card's QR: the number and the plate (a checkpoint's phone reads it)."""
    return f"{QR_PREFIX}|{card.number}|{card.plate}"


def parse_card_qr(text: str) -> tuple[str, str] | None:
    """(number, plate) of a card's QR text, or None for another text."""
    parts = (text or "").strip().split("|")
    if len(parts) != 3 or parts[0] != QR_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1][:24], parts[2][:12]


# -- cards ------------------------------------------------------------------------------------------
def cards_for(user, capability: str = VIEW) -> QuerySet[GreenCard]:
    return GreenCard.objects.for_user(user, capability).select_related("unit").order_by("-created_at", "-pk")


def card_page(user, pk, capability: str = VIEW) -> GreenCard:
    return get_in_scope_or_404(cards_for(user, capability), pk=pk)


def may_edit(user, record) -> bool:
    return in_scope(user, EDIT, record)


def issuing_units(user) -> QuerySet[AdminUnit]:
    """Units where the user may issue a card: their area's province, districts and communes."""
    units = AdminUnit.objects.filter(level__in=[Level.PROVINCE, Level.DISTRICT, Level.COMMUNE])
    return for_user(units, user, EDIT, path_field="path").select_related("parent").order_by("path")


def card_status(card: GreenCard, on: date | None = None) -> str:
    """revoked | expired | not_yet | valid, on ``on`` (today)."""
    on = on or clock.today()
    if card.revoked_at is not None:
        return "revoked"
    if card.valid_to < on:
        return "expired"
    if card.valid_from > on:
        return "not_yet"
    return "valid"


# -- trips ------------------------------------------------------------------------------------------
def trips_for(user, capability: str = VIEW) -> QuerySet[Trip]:
    """Trips to the user's area, and the trips of the cards their area issued."""
    to_area = Trip.objects.for_user(user, capability)
    of_cards = for_user(Trip.objects.all(), user, capability, path_field="card__unit_path")
    return (to_area | of_cards).select_related("card", "origin", "unit").order_by("-departed_at", "-pk")


def trip_page(user, pk, capability: str = VIEW) -> Trip:
    return get_in_scope_or_404(trips_for(user, capability), pk=pk)


def trips_of_card(user, card: GreenCard, limit: int = 20) -> list[Trip]:
    return list(trips_for(user).filter(card=card)[:limit])


def trip_source_ref(trip: Trip) -> str:
    return f"trip:{trip.pk}"


def grace_of(trip: Trip) -> timedelta:
    return timedelta(minutes=setting_for(trip.province_code).trip_grace_minutes)


def trip_status(trip: Trip, now: datetime | None = None) -> str:
    """under_way | late (past its expected arrival, within the grace) | overdue | arrived | cancelled."""
    if trip.state != TripState.UNDER_WAY:
        return trip.state
    now = now or clock.now()
    if trip.overdue_alerted or now > trip.expected_at + grace_of(trip):
        return "overdue"
    if now > trip.expected_at:
        return "late"
    return "under_way"


def overdue_q(now: datetime, provinces) -> Q:
    """Trips under way whose expected arrival plus their province's grace has passed at ``now``."""
    condition = Q(overdue_alerted=True)
    for code in provinces:
        grace = timedelta(minutes=setting_for(code).trip_grace_minutes)
        condition |= Q(province_code=code, expected_at__lt=now - grace)
    return Q(state=TripState.UNDER_WAY) & condition


def overdue_trips(queryset: QuerySet[Trip], now: datetime | None = None) -> QuerySet[Trip]:
    now = now or clock.now()
    provinces = (
        queryset.filter(state=TripState.UNDER_WAY, expected_at__lt=now)
        .values_list("province_code", flat=True)
        .distinct()
        .order_by()
    )
    return queryset.filter(overdue_q(now, set(provinces)))


def passages_of(user, trip: Trip) -> list[Passage]:
    """The checkpoint passages of the trip's plate from its departure to its arrival (or now, for a
    trip under way), at checkpoints of the user's area: index ``movement_passage_plate``."""
    end = trip.arrived_at or max(clock.now(), trip.expected_at)
    rows = (
        Passage.objects.for_user(user)
        .select_related("checkpoint")
        .filter(plate=trip.plate, at__gte=trip.departed_at, at__lte=end)
    )
    return list(rows.order_by("at")[:200])
