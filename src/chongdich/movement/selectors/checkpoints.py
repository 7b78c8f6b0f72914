"""Reads of checkpoints, shifts and passages: the lists, the checkpoint and shift pages, the printed
shift log, the passage screen's look-ups (commune picker, green-lane card, the person's colour, the
origin's level, the rules' advice) and the counts.

Counts are grouped queries over the same scoped passages as the list behind them (``passage_counts``
takes the queryset the list shows), so every figure equals its list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from chongdich.core import clock
from chongdich.core.access import get_for_user_or_404
from chongdich.core.roles import Cap
from chongdich.core.scoping import for_user, in_scope
from chongdich.core.text import fold_words
from chongdich.core.versioning import NoRuleInForce
from chongdich.movement import rules
from chongdich.movement.models import (
    EDIT,
    VIEW,
    Checkpoint,
    DeviceToken,
    Direction,
    GreenCard,
    Passage,
    PassageAction,
    Shift,
    Subject,
    Trip,
    TripState,
    VehicleType,
)
from chongdich.movement.selectors.greenlane import card_valid_at, valid_card
from chongdich.movement.selectors.watch import origin_status as watched_origin
from chongdich.people.identity import display_phone
from chongdich.people.models import Person
from chongdich.territory.models import AdminUnit, Level
from chongdich.vaccination.selectors.certs import colours_of

COMMUNE_LIMIT = 20  # suggestions of the commune picker
SELECT_LIMIT = 400  # communes offered as a select; more: the search field
RECENT = 30  # passages on the checkpoint page
DAYS = 14  # days of counts on the checkpoint page
_CODE = re.compile(r"\(([0-9A-Za-z-]{1,20})\)\s*$")


# -- checkpoints --------------------------------------------------------------------------------------
def _count_of(passages: QuerySet) -> Subquery:
    return Coalesce(
        Subquery(passages.order_by().values("checkpoint_id").annotate(n=Count("pk")).values("n")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def checkpoints_for(user, capability: str = VIEW) -> QuerySet[Checkpoint]:
    """The checkpoints of the user's area, with their passages (all, and today's)."""
    mine = Passage.objects.filter(checkpoint_id=OuterRef("pk"))
    return (
        Checkpoint.objects.for_user(user, capability)
        .select_related("unit")
        .annotate(passages=_count_of(mine), passages_today=_count_of(mine.filter(day=clock.today())))
        .order_by("unit__path", "name")
    )


def checkpoint_page(user, pk, capability: str = VIEW) -> Checkpoint:
    return get_for_user_or_404(Checkpoint.objects.select_related("unit", "unit__parent"), user, capability, pk=pk)


def may_edit(user, record) -> bool:
    return in_scope(user, EDIT, record)


def commune_units(user, capability: str = EDIT) -> QuerySet[AdminUnit]:
    """Communes of the user's area, where a checkpoint may stand."""
    units = AdminUnit.objects.filter(level=Level.COMMUNE)
    return for_user(units, user, capability, path_field="path").select_related("parent").order_by("path")


def checkpoint_device(user, pk) -> DeviceToken:
    """A checkpoint's device token the user may revoke (404 otherwise)."""
    return get_for_user_or_404(DeviceToken.objects.filter(checkpoint__isnull=False), user, EDIT, pk=pk)


def devices_of(checkpoint: Checkpoint) -> QuerySet[DeviceToken]:
    return DeviceToken.objects.filter(checkpoint=checkpoint).order_by("-expires_at")


# -- communes: the picker -----------------------------------------------------------------------------
def commune_label(unit: AdminUnit) -> str:
    """ "Xã Đức Hạnh, Huyện Bù Gia Mập, Tỉnh Bình Phước (25228)": what the picker shows and sends back."""
    names = [unit.name]
    parent = unit.parent
    while parent is not None and len(names) < 3:
        names.append(parent.name)
        parent = parent.parent
    return f"{', '.join(names)} ({unit.code})"


def _communes() -> QuerySet[AdminUnit]:
    return AdminUnit.objects.current().filter(level=Level.COMMUNE).select_related("parent", "parent__parent")


def search_communes(query: str, limit: int = COMMUNE_LIMIT) -> list[AdminUnit]:
    """Communes of the whole country whose name matches ``query`` without diacritics ("duc hanh",
    "Đức Hạnh", "bu gia map"), word by word; a code matches itself.  Units are reference data."""
    query = (query or "").strip()[:120]
    code = _CODE.search(query)
    if code or query.replace("-", "").isdigit():
        found = _communes().filter(code=code.group(1) if code else query).first()
        if found is not None:
            return [found]
    words = fold_words(_CODE.sub("", query))
    # "xa", "phuong", "thi tran" begin almost every name: dropped unless they are the whole query
    meaningful = " ".join(w for w in words.split() if w not in {"xa", "phuong", "thi", "tran"}) or words
    if not meaningful:
        return []
    return list(_communes().filter(folded_name__word_prefixes=meaningful).order_by("folded_name", "path")[:limit])


@dataclass(frozen=True)
class Found:
    unit: AdminUnit | None
    message: str = ""


def find_commune(text: str) -> Found:
    """The commune a picker's text names: its code in brackets (what the suggestions send), a code, or
    a name matching one commune only.  Otherwise a message saying what to do."""
    text = (text or "").strip()
    if not text:
        return Found(None)
    matches = search_communes(text, limit=6)
    if len(matches) == 1:
        return Found(matches[0])
    if not matches:
        return Found(
            None,
            _("No commune matches “%(text)s”: type the first letters of its name and pick it from the list.")
            % {"text": text},
        )
    names = "; ".join(commune_label(unit) for unit in matches[:5])
    return Found(
        None,
        _("Several communes match “%(text)s”: %(names)s. Pick one from the list.") % {"text": text, "names": names},
    )


def commune_names(codes) -> dict[str, str]:
    """code → name of communes (for lists: a passage stores codes)."""
    codes = {c for c in codes if c}
    return dict(AdminUnit.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}


# -- the passage screen's look-ups --------------------------------------------------------------------
def plate_message(raw: str, error: Exception) -> str:
    """Why ``raw`` is not a plate, in the page's language, with the formats to use."""
    message = _(
        "“%(value)s” is not a Vietnamese plate. Write it as on the plate, e.g. 51C-123.45, 29A-123.45 or 59-X1 123.45."
    ) % {"value": raw}
    reason = error.text(language()) if isinstance(error, rules.InputError) else ""
    return f"{message} {reason}" if reason and getattr(error, "code", "") != "plate_format" else message


def plate_display(plate: str, vehicle_type: str = "") -> str:
    """ "51C12345" → "51C-123.45" (a motorbike's reading when ``vehicle_type`` says so)."""
    if not plate:
        return ""
    try:
        return rules.plate_display(plate, vehicle_type)
    except (rules.InputError, ValueError, TypeError):
        return plate


def card_for(plate: str, at: datetime) -> GreenCard | None:
    """The green-lane card valid for ``plate`` at ``at`` (whichever province issued it: a checkpoint
    honours every card; pages show only its number, operator, goods and validity)."""
    return valid_card(plate, at) if plate else None


def trip_for(card: GreenCard | None, plate: str, at: datetime) -> Trip | None:
    """The green-lane trip under way of the vehicle (its card's, else its plate's) at ``at``."""
    trips = Trip.objects.filter(state=TripState.UNDER_WAY, departed_at__lte=at)
    trips = trips.filter(card=card) if card is not None else trips.filter(plate=plate)
    return trips.order_by("-departed_at").first()


def person_for(user, *, cccd: str = "", phone: str = "") -> Person | None:
    """The one person of the user's area with this CCCD (else this phone); None when there is none, or
    several with the phone, or the user may not see people."""
    if not (cccd or phone):
        return None
    people = Person.objects.for_user(user, Cap.PEOPLE_VIEW).active()
    if cccd:
        found = list(people.filter(cccd=cccd)[:2])
        if len(found) == 1:
            return found[0]
    if phone:
        found = list(people.filter(phone=phone)[:2])
        if len(found) == 1:
            return found[0]
    return None


def colour_of(person: Person, at: datetime) -> str:
    """The person's colour at ``at`` (green | yellow | red), from their doses, recovery and RT-PCR."""
    found = colours_of([person], timezone.localtime(at).date(), at=at).get(person.pk)
    return found.colour if found is not None else ""


def origin_status(code: str, on: date, province_code: str = "") -> tuple[str | None, bool]:
    """(the origin's published level in force, whether the destination province ``province_code``
    watches arrivals from there) for a commune code."""
    if not code:
        return None, False
    status = watched_origin(code, on, province_code=province_code)
    return status.level_colour, status.watched


def shift_at(checkpoint: Checkpoint, at: datetime) -> Shift | None:
    """The shift of the checkpoint on duty at ``at`` (the latest to start, when two overlap)."""
    return Shift.objects.filter(checkpoint=checkpoint, starts_at__lte=at, ends_at__gt=at).order_by("-starts_at").first()


def advice_for(passage: Passage):
    """What the rules advise for the passage (``movement.rules.advise``, R-61), None when no rule is in
    force on its day.  ``InputError`` for what the form should have refused.  A card that was expired or
    revoked at the passage counts as no card."""
    carded = passage.green_card_id is not None and card_valid_at(passage.green_card, passage.at)
    facts = rules.PassageIn(
        at=passage.at,
        subject=passage.subject,
        vehicle_type=passage.vehicle_type,
        has_valid_card=carded,
        card_essential=carded and passage.green_card.essential,
        declaration_shown=passage.declaration_shown,
        test_result=passage.test_result,
        test_kind=passage.test_kind,
        test_at=passage.test_at,
        people_on_board=passage.people_on_board,
        temperature=passage.temperature,
        colour=passage.colour,
        from_watched_area=passage.from_watched_area,
    )
    try:
        return rules.advise(facts, province=passage.province_code or None, on=passage.day)
    except NoRuleInForce:
        return None


def language() -> str:
    return "en" if (translation.get_language() or "vi").startswith("en") else "vi"


def reasons_text(reasons) -> list[str]:
    """The rules' reasons in the page's language."""
    lang = language()
    return [rules.reason_text(code, lang) for code in reasons or ()]


# -- shifts -------------------------------------------------------------------------------------------
def shift_page(user, pk, capability: str = VIEW) -> Shift:
    return get_for_user_or_404(
        Shift.objects.select_related("checkpoint", "checkpoint__unit", "unit"), user, capability, pk=pk
    )


def shifts_of(checkpoint: Checkpoint) -> QuerySet[Shift]:
    mine = Passage.objects.filter(shift_id=OuterRef("pk"))
    return (
        Shift.objects.filter(checkpoint=checkpoint)
        .annotate(
            passages=Coalesce(
                Subquery(mine.order_by().values("shift_id").annotate(n=Count("pk")).values("n")[:1]),
                Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-starts_at")
    )


def current_shift(checkpoint: Checkpoint) -> Shift | None:
    return shift_at(checkpoint, clock.now())


def members_of(shift: Shift):
    """The people on duty, their phones written the usual way (0912 345 678)."""
    members = list(shift.members.all())
    for member in members:
        member.phone_text = display_phone(member.phone)
    return members


def passages_of_shift(shift: Shift) -> QuerySet[Passage]:
    return Passage.objects.filter(shift_id=shift.pk).order_by("at", "pk")


# -- passages -----------------------------------------------------------------------------------------
def passages_for(user, capability: str = VIEW) -> QuerySet[Passage]:
    return Passage.objects.for_user(user, capability).order_by("-at", "-pk")


def recent_passages(checkpoint: Checkpoint, limit: int = RECENT) -> list[Passage]:
    return list(Passage.objects.filter(checkpoint_id=checkpoint.pk).order_by("-at", "-pk")[:limit])


def latest_passages(checkpoint: Checkpoint, limit: int = 3) -> list[Passage]:
    """The last passages of the checkpoint, for the screen's "just logged" (plates and actions, no names)."""
    rows = recent_passages(checkpoint, limit)
    for p in rows:
        p.plate_text = plate_display(p.plate, p.vehicle_type)
    return rows


@dataclass
class Counts:
    """Counts of a set of passages, each equal to the rows of that set with that value."""

    total: int = 0
    people: int = 0
    by_direction: dict[str, int] = field(default_factory=dict)
    by_subject: dict[str, int] = field(default_factory=dict)
    by_vehicle: dict[str, int] = field(default_factory=dict)
    by_action: dict[str, int] = field(default_factory=dict)
    advice_differs: int = 0
    carded: int = 0
    watched: int = 0

    @property
    def turned_back(self) -> int:
        return self.by_action.get(PassageAction.TURNED_BACK, 0)

    @property
    def quarantine(self) -> int:
        return self.by_action.get(PassageAction.QUARANTINE, 0)

    def rows(self, values, counts: dict[str, int]) -> list[tuple[str, str, int]]:
        return [(value, label, counts.get(value, 0)) for value, label in values]

    @property
    def direction_rows(self):
        return self.rows(Direction.choices, self.by_direction)

    @property
    def subject_rows(self):
        return self.rows(Subject.choices, self.by_subject)

    @property
    def vehicle_rows(self):
        return [row for row in self.rows(VehicleType.choices, self.by_vehicle) if row[2]]

    @property
    def action_rows(self):
        return self.rows(PassageAction.choices, self.by_action)


def passage_counts(passages: QuerySet[Passage]) -> Counts:
    """The counts of ``passages`` (the queryset a list shows): four grouped queries."""
    base = passages.order_by()
    totals = base.aggregate(
        total=Count("pk"),
        people=Coalesce(Sum("people_on_board"), 0),
        carded=Count("pk", filter=Q(green_card__isnull=False)),
        watched=Count("pk", filter=Q(from_watched_area=True)),
        differs=Count("pk", filter=~Q(advice="") & ~Q(advice=F("action"))),
    )

    def grouped(name: str) -> dict[str, int]:
        return {row[name]: row["n"] for row in base.values(name).annotate(n=Count("pk"))}

    return Counts(
        total=totals["total"],
        people=totals["people"],
        by_direction=grouped("direction"),
        by_subject=grouped("subject"),
        by_vehicle=grouped("vehicle_type"),
        by_action=grouped("action"),
        advice_differs=totals["differs"],
        carded=totals["carded"],
        watched=totals["watched"],
    )


def daily_counts(checkpoint: Checkpoint, days: int = DAYS) -> list[dict]:
    """Per day of the last ``days`` days (newest first): passages, people, in, out, turned back, quarantine."""
    today = clock.today()
    start = today - timedelta(days=days - 1)
    rows = (
        Passage.objects.filter(checkpoint_id=checkpoint.pk, day__gte=start, day__lte=today)
        .order_by()
        .values("day")
        .annotate(
            total=Count("pk"),
            people=Coalesce(Sum("people_on_board"), 0),
            inbound=Count("pk", filter=Q(direction=Direction.IN)),
            outbound=Count("pk", filter=Q(direction=Direction.OUT)),
            turned_back=Count("pk", filter=Q(action=PassageAction.TURNED_BACK)),
            quarantine=Count("pk", filter=Q(action=PassageAction.QUARANTINE)),
        )
    )
    found = {row["day"]: row for row in rows}
    empty = {"total": 0, "people": 0, "inbound": 0, "outbound": 0, "turned_back": 0, "quarantine": 0}
    return [{"day": d} | found.get(d, empty) for d in (today - timedelta(days=i) for i in range(days))]


def today_total(checkpoint: Checkpoint) -> int:
    return Passage.objects.filter(checkpoint_id=checkpoint.pk, day=clock.today()).count()


def checkpoint_names(ids) -> dict[int, str]:
    ids = {i for i in ids if i}
    return dict(Checkpoint.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def checkpoint_names_for(user) -> dict[int, str]:
    return dict(Checkpoint.objects.for_user(user, VIEW).values_list("pk", "name"))


def commune_names_of(passages: QuerySet[Passage]) -> dict[str, str]:
    """code → name of every origin and destination commune of ``passages`` (two grouped queries)."""
    codes = set(passages.order_by().values_list("origin_commune_code", flat=True).distinct())
    codes |= set(passages.order_by().values_list("destination_commune_code", flat=True).distinct())
    return commune_names(codes)


def people_of(passages: QuerySet[Passage]) -> list[int]:
    """Ids of the registered people among ``passages`` (what an export's audit lists)."""
    return list(passages.filter(person__isnull=False).order_by().values_list("person_id", flat=True).distinct())


def commune_centres(units: QuerySet[AdminUnit]) -> dict[str, list[float]]:
    """code → [lat, lon] of the communes offered (the map of the checkpoint form centres on one)."""
    rows = units.filter(lat__isnull=False, lon__isnull=False).values_list("code", "lat", "lon")[:SELECT_LIMIT]
    return {code: [lat, lon] for code, lat, lon in rows}


# -- the printed shift log ----------------------------------------------------------------------------
@dataclass
class ShiftLog:
    shift: Shift
    checkpoint: Checkpoint
    members: list
    passages: list
    counts: Counts
    names: dict[str, str]
    truncated: bool
    printed_at: datetime


def shift_log(shift: Shift, limit: int) -> ShiftLog:
    """The shift's log as printed: its people on duty, its passages in time order (at most ``limit``)
    and their counts (of every passage of the shift)."""
    passages = passages_of_shift(shift).select_related("green_card")
    rows = list(passages[: limit + 1])
    truncated = len(rows) > limit
    rows = rows[:limit]
    names = commune_names([p.origin_commune_code for p in rows] + [p.destination_commune_code for p in rows])
    for p in rows:
        p.plate_text = plate_display(p.plate, p.vehicle_type)
        p.origin_name = names.get(p.origin_commune_code, p.origin_commune_code)
        p.destination_name = names.get(p.destination_commune_code, p.destination_commune_code)
        kind = {"pcr": "RT-PCR", "rat": pgettext("test kind", "Rapid test")}.get(p.test_kind, "")
        when = timezone.localtime(p.test_at).strftime("%H:%M %d/%m") if p.test_at else ""
        p.test_text = ", ".join(
            part for part in (p.get_test_result_display() if p.test_result else "", kind, when) if part
        )
    return ShiftLog(
        shift=shift,
        checkpoint=shift.checkpoint,
        members=members_of(shift),
        passages=rows,
        counts=passage_counts(passages),
        names=names,
        truncated=truncated,
        printed_at=clock.now(),
    )


# -- the passage screen's preview ---------------------------------------------------------------------
def preview_json(passage: Passage) -> dict:
    """What the screen shows before the officer taps (no personal data but the colour of the person
    whose CCCD or phone the officer typed)."""
    card = passage.green_card
    advice = passage.advice
    return {
        "plate": plate_display(passage.plate, passage.vehicle_type),
        "card": (
            {
                "number": card.number,
                "operator": card.operator,
                "goods": card.goods,
                "essential": card.essential,
                "valid_to": card.valid_to.strftime("%d/%m/%Y"),
            }
            if card is not None
            else None
        ),
        "trip": passage.trip_id is not None,
        "person_found": passage.person_id is not None,
        "colour": passage.colour,
        "origin_level": passage.origin_level,
        "watched": passage.from_watched_area,
        "advice": advice,
        "advice_label": str(PassageAction(advice).label) if advice else "",
        "reasons": reasons_text(getattr(passage, "advice_reasons", ())),
        "shift": passage.shift_id,
    }
