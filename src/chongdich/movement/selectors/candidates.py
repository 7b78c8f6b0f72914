"""Candidate contacts of a case from check-ins: everyone who checked in at a venue where the case checked
in during the case's infectious period, at an overlapping time.

1. The case's check-ins: by the case person's id and phone(s) (index ``movement_checkin_person_at``,
   ``movement_checkin_phone_at``), whose time lies in the infectious period (surveillance's rules:
   from onset − 2 days, or the first positive sample − 2 days, to the first negative test; open while
   the case is active).  A check-out of the same phone at the same venue ends the stay; otherwise the
   province's assumed stay does (``MovementSetting.checkin_stay_minutes``).
2. Each stay is a window (``movement.rules.checkin_window``: stay and margin from the province's
   settings); the other check-ins of that venue in a range around it (index
   ``movement_checkin_venue_at``), paired the same way, are kept when their window overlaps
   (``movement.rules.overlaps``).
3. Grouped by venue and phone (a check-in without a phone by its person); the case person, the people
   already traced as this case's contacts and those an officer reviewed (``CandidateReview``) are left out.

No write: the tracing page decides what the user may see of each candidate (``in_scope``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from chongdich.core import clock
from chongdich.core.roles import Cap
from chongdich.core.scoping import in_scope
from chongdich.core.text import fold
from chongdich.movement.models import VIEW, CandidateReview, CheckIn, Direction, Venue
from chongdich.movement.rules import MAX_STAY, checkin_at_bounds, checkin_window, overlaps
from chongdich.movement.selectors.settings import setting_for
from chongdich.people.identity import display_phone
from chongdich.people.models import Person
from chongdich.surveillance.contacts import period_of
from chongdich.surveillance.models import Case, Contact

FIELDS = ("pk", "at", "venue_id", "direction", "phone", "full_name", "person_id", "unit_path")


@dataclass(frozen=True)
class Stay:
    """One stay at a venue: a check-in and the check-out that ended it (None: the assumed stay)."""

    venue_id: int
    key: str  # the phone, or "#<person id>" for a check-in without a phone
    at: datetime
    out_at: datetime | None
    phone: str
    full_name: str
    person_id: int | None
    unit_path: str
    window: tuple[datetime, datetime]


@dataclass
class Candidate:
    """Someone who was at ``venue`` while the case was: their stays there, the case's, who they are."""

    venue: Venue
    phone: str
    full_name: str
    person_id: int | None
    unit_path: str  # of the venue (a check-in belongs to the venue's area)
    first_at: datetime
    last_at: datetime
    case_stay: Stay  # the case's first stay there that overlaps theirs
    stay_minutes: int
    stays: list[Stay] = field(default_factory=list)
    person: Person | None = None
    in_scope: bool = False  # may the user see who this is (the person's area, or the venue's)

    @property
    def key(self) -> str:
        return self.phone or f"#{self.person_id}"

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)

    @property
    def case_at(self) -> datetime:
        return self.case_stay.at

    def _end(self, stay: Stay) -> datetime:
        return stay.out_at or stay.at + timedelta(minutes=self.stay_minutes)

    @property
    def exposure_start(self) -> datetime:
        """When they were together: the later of the two arrivals."""
        return min(max(self.case_at, self.first_at), clock.now())

    @property
    def exposure_end(self) -> datetime | None:
        """The earlier of the two departures, when it comes after the start (else only the margin met)."""
        end = min(self._end(self.case_stay), max(self._end(s) for s in self.stays), clock.now())
        return end if end > self.exposure_start else None


def infectious_range(case: Case) -> tuple[datetime, datetime]:
    """The case's infectious period as times: from the start of its first day to the end of its last
    (now while it is open)."""
    period = period_of(case)
    start = clock.start_of(period.start)
    end = clock.start_of(period.last_day + timedelta(days=1)) if period.last_day else clock.now()
    return start, max(start, end)


def case_phones(case: Case) -> set[str]:
    person = case.person
    phones = {person.phone} if person.phone else set()
    return phones


def _stays(rows, stay_minutes: int, margin_minutes: int) -> list[Stay]:
    """Pair each check-in with the check-out of the same key at the same venue that follows it within
    ``MAX_STAY``; a check-out without its check-in stands for a stay that ended then."""
    by_key: dict[tuple[int, str], list] = defaultdict(list)
    for row in rows:
        key = row["phone"] or (f"#{row['person_id']}" if row["person_id"] else f"!{row['pk']}")
        by_key[(row["venue_id"], key)].append(row)
    stays = []
    assumed = timedelta(minutes=stay_minutes)
    for (venue_id, key), visits in by_key.items():
        visits.sort(key=lambda r: (r["at"], r["pk"]))
        pending = None
        for row in visits:
            if row["direction"] == Direction.OUT:
                if pending is not None and row["at"] - pending["at"] <= MAX_STAY:
                    stays.append(_stay(venue_id, key, pending, row["at"], stay_minutes, margin_minutes))
                    pending = None
                elif pending is None:
                    start = row["at"] - assumed
                    stays.append(_stay(venue_id, key, row | {"at": start}, row["at"], stay_minutes, margin_minutes))
                continue
            if pending is not None:
                stays.append(_stay(venue_id, key, pending, None, stay_minutes, margin_minutes))
            pending = row
        if pending is not None:
            stays.append(_stay(venue_id, key, pending, None, stay_minutes, margin_minutes))
    return stays


def _stay(venue_id, key, row, out_at, stay_minutes, margin_minutes) -> Stay:
    return Stay(
        venue_id=venue_id,
        key=key,
        at=row["at"],
        out_at=out_at,
        phone=row["phone"],
        full_name=row["full_name"],
        person_id=row["person_id"],
        unit_path=row["unit_path"],
        window=checkin_window(row["at"], out_at, stay_minutes, margin_minutes),
    )


def case_stays(case: Case, stay_minutes: int, margin_minutes: int) -> list[Stay]:
    """The case's stays at venues whose check-in lies in the infectious period."""
    start, end = infectious_range(case)
    who = Q(person_id=case.person_id)
    phones = case_phones(case)
    if phones:
        who |= Q(phone__in=phones)
    rows = list(CheckIn.objects.filter(who, at__gte=start, at__lt=end + MAX_STAY).values(*FIELDS))
    for row in rows:  # one person: their stays pair across the phone and the id
        row["phone"], row["person_id"] = "", case.person_id
    return [stay for stay in _stays(rows, stay_minutes, margin_minutes) if start <= stay.at < end]


def checkins_around(own: list[Stay], stay_minutes: int, margin_minutes: int) -> Q:
    """The other check-ins near the case's stays, per stay (index on venue, at): every row from
    ``start − stay − margin`` (a check-in there overlaps on its assumed stay; its check-out, if any, is
    in the range too and may shorten it) to ``end + margin`` (``checkin_at_bounds``)."""
    margin = timedelta(minutes=margin_minutes)
    near = timedelta(minutes=stay_minutes) + margin
    condition = Q()
    for stay in own:
        start, end = stay.window
        _low, high = checkin_at_bounds(start, end, margin)
        condition |= Q(venue_id=stay.venue_id, at__gte=start - near, at__lte=high)
    return condition


def late_checkouts(own: list[Stay], margin_minutes: int) -> Q:
    """The check-outs at the case's venues after the range ``checkins_around`` reads, up to ``MAX_STAY``
    after the case's check-in: someone who came before and left after the case (a stay spanning the
    whole of it) has neither row in that range.  Read through the partial index on (venue, at) of the
    check-outs only, so a busy venue's day of check-ins is not read."""
    margin = timedelta(minutes=margin_minutes)
    condition = Q()
    for stay in own:
        start, end = stay.window
        _low, high = checkin_at_bounds(start, end, margin)
        condition |= Q(venue_id=stay.venue_id, direction=Direction.OUT, at__gt=high, at__lte=start + MAX_STAY)
    return condition


def long_stays(own: list[Stay], rows: list[dict], stay_minutes: int, margin_minutes: int) -> Q | None:
    """The earlier check-ins of the phones that checked out during or after a case's stay (a long stay
    closed by a check-out), back to ``checkin_at_bounds`` (a stay is capped at ``MAX_STAY``): found
    through the index on (phone, at), so the database never reads a venue's whole day."""
    margin = timedelta(minutes=margin_minutes)
    near = timedelta(minutes=stay_minutes) + margin
    condition = None
    for stay in own:
        start, end = stay.window
        low, high = checkin_at_bounds(start, end, margin)
        phones = {
            r["phone"]
            for r in rows
            if r["venue_id"] == stay.venue_id
            and r["direction"] == Direction.OUT
            and r["phone"]
            and start - margin <= r["at"] <= start + MAX_STAY
        }
        if phones:
            arm = Q(phone__in=sorted(phones), venue_id=stay.venue_id, at__gte=low, at__lt=start - near)
            condition = arm if condition is None else condition | arm
    return condition


def candidates_for_case(user, case: Case) -> list[Candidate]:
    """The candidate contacts of ``case`` (see the module), by venue then time.  ``user`` decides only
    ``in_scope`` of each: who the tracing page may name."""
    setting = setting_for(case.province_code)
    stay_minutes, margin_minutes = setting.checkin_stay_minutes, setting.checkin_margin_minutes
    own = case_stays(case, stay_minutes, margin_minutes)
    if not own:
        return []
    phones = case_phones(case)

    def others_where(condition: Q) -> list[dict]:
        rows = CheckIn.objects.filter(condition).exclude(person_id=case.person_id)
        return list((rows.exclude(phone__in=phones) if phones else rows).values(*FIELDS))

    rows = others_where(checkins_around(own, stay_minutes, margin_minutes))
    rows += others_where(late_checkouts(own, margin_minutes))
    earlier = long_stays(own, rows, stay_minutes, margin_minutes)
    if earlier is not None:
        known = {r["pk"] for r in rows}  # two stays at one venue: their ranges may meet
        rows += [r for r in others_where(earlier) if r["pk"] not in known]
    others = _stays(rows, stay_minutes, margin_minutes)
    by_venue: dict[int, list[Stay]] = defaultdict(list)
    for stay in own:
        by_venue[stay.venue_id].append(stay)
    found: dict[tuple[int, str], tuple[Stay, list[Stay]]] = {}
    for stay in others:
        met = [mine for mine in by_venue[stay.venue_id] if overlaps(mine.window, stay.window)]
        if not met:
            continue
        key = (stay.venue_id, stay.key)
        case_stay, theirs = found.get(key, (met[0], []))
        theirs.append(stay)
        found[key] = (min(case_stay, met[0], key=lambda s: s.at), theirs)
    if not found:
        return []
    return _candidates(user, case, found, stay_minutes)


def _candidates(user, case: Case, found, stay_minutes: int) -> list[Candidate]:
    traced = set(Contact.objects.filter(index_case=case).values_list("person_id", flat=True))
    traced_phones = set(Person.objects.filter(pk__in=traced).exclude(phone="").values_list("phone", flat=True))
    reviewed = set(CandidateReview.objects.filter(case=case).values_list("venue_id", "phone"))
    venues = Venue.objects.select_related("unit").in_bulk({venue_id for venue_id, _key in found})
    # Who a phone is: the person a staff scan named, else the one person registered with that phone
    # (several with the same name as typed: the one whose name matches).
    phones = {stays[0].phone for stays in (theirs for _c, theirs in found.values()) if stays[0].phone}
    by_phone: dict[str, list[Person]] = defaultdict(list)
    for person in Person.objects.filter(phone__in=phones, merged_into__isnull=True).select_related("unit"):
        by_phone[person.phone].append(person)
    named = {s.person_id for _c, theirs in found.values() for s in theirs if s.person_id}
    people = Person.objects.select_related("unit").in_bulk(named)
    result = []
    seen: dict[tuple[str, str], bool] = {}  # (capability, path) → in scope: few areas, many candidates
    for (venue_id, _key), (case_stay, theirs) in found.items():
        theirs.sort(key=lambda s: s.at)
        latest = theirs[-1]
        phone = next((s.phone for s in theirs if s.phone), "")
        person_id = next((s.person_id for s in reversed(theirs) if s.person_id), None)
        person = people.get(person_id) if person_id else _by_phone(by_phone.get(phone, []), latest.full_name)
        if (venue_id, phone) in reviewed or (person and person.pk in traced) or (phone and phone in traced_phones):
            continue
        if person is not None and person.pk == case.person_id:
            continue
        candidate = Candidate(
            venue=venues[venue_id],
            phone=phone,
            full_name=next((s.full_name for s in reversed(theirs) if s.full_name), "")
            or getattr(person, "full_name", ""),
            person_id=person.pk if person else None,
            unit_path=latest.unit_path,
            first_at=theirs[0].at,
            last_at=theirs[-1].out_at or theirs[-1].at,
            case_stay=case_stay,
            stay_minutes=stay_minutes,
            stays=theirs,
            person=person,
        )
        where = (Cap.PEOPLE_VIEW, person.unit_path) if person is not None else (VIEW, latest.unit_path)
        if where not in seen:
            seen[where] = in_scope(user, *where)
        candidate.in_scope = seen[where]
        result.append(candidate)
    result.sort(key=lambda c: (c.venue.name, c.first_at, c.key))
    return result


def _by_phone(people: list[Person], typed_name: str) -> Person | None:
    if len(people) == 1:
        return people[0]
    folded = fold(typed_name)
    same = [p for p in people if fold(p.full_name) == folded]
    return same[0] if len(same) == 1 else None


def find_candidate(user, case: Case, venue_id: int, key: str) -> Candidate | None:
    """The candidate of the tracing page an officer acts on (recomputed: an action never trusts the page)."""
    return next(
        (c for c in candidates_for_case(user, case) if c.venue.pk == venue_id and c.key == key),
        None,
    )


def shown_local(at: datetime) -> datetime:
    return timezone.localtime(at)
