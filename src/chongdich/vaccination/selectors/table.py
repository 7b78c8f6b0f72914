"""Reads of sessions and of the vaccination table: scoped first (``for_user``), then narrowed.

The session page's counts and the lists behind them come from the same querysets
(``session_lists``), so a figure always equals its list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import parse_qs, urlparse

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from chongdich.core import clock
from chongdich.core.access import get_for_user_or_404, get_in_scope_or_404
from chongdich.core.scoping import for_user
from chongdich.people.models import Person
from chongdich.people.selectors import search_people
from chongdich.vaccination.models import (
    EDIT,
    VIEW,
    Dose,
    DoseKind,
    Enrolment,
    Invitation,
    Lot,
    ProvinceVaccinationSetting,
    Screening,
    ScreeningOutcome,
    Session,
    SessionStatus,
    Site,
)
from chongdich.vaccination.rules import DoseIn, PersonIn, assess, check_new_dose, default_config, problem_text
from chongdich.vaccination.rules import questions as rules_questions
from chongdich.vaccination.rules import vitals as rules_vitals

OBSERVATION_MINUTES = 30
SEARCH_LIMIT = 20
# What an invitation slip's QR carries: the token alone, or an address ending in it (…/i/<token>/ or ?t=<token>).
TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,32}$")
STOPPING = (ScreeningOutcome.POSTPONE, ScreeningOutcome.CONTRAINDICATED)


# -- the rules' configuration ------------------------------------------------------------------------
_CONFIGS: dict[tuple, object] = {}


def config_for(province_code: str | None):
    """The catalogue with the province's overrides (``ProvinceVaccinationSetting``), cached per content."""
    versions = None
    if province_code:
        versions = (
            ProvinceVaccinationSetting.objects.filter(province__code=province_code)
            .values_list("versions", flat=True)
            .first()
        )
    key = (province_code or "", repr(versions))
    if key not in _CONFIGS:
        cfg = default_config()
        _CONFIGS[key] = cfg.with_versions(versions) if versions else cfg
    return _CONFIGS[key]


def products_on(day: date, province_code: str | None) -> dict:
    """{code: Product} in force on ``day`` in the province."""
    return config_for(province_code).products(day, province=province_code or None)


def product_name(code: str, day: date | None = None, province_code: str | None = None) -> str:
    product = products_on(day or clock.today(), province_code).get(code)
    return getattr(product, "name", None) or code


def short_product_name(code: str, day: date | None = None) -> str:
    """The vaccine's common name ("AstraZeneca", "Pfizer-BioNTech") for lists; the code when unknown."""
    return product_name(code, day).split(" (", 1)[0]


def group_name(code: str, day: date | None = None) -> str:
    """A priority group by its number and name in the user's language ("9. Người từ 65 tuổi…")."""
    for group in config_for(None).groups(day or clock.today()):
        if group.code == code:
            return f"{group.number}. {group.name_en if language() == 'en' else group.name_vi}"
    return code


def group_numbers(day: date, province_code: str | None, cfg=None) -> dict[str, int]:
    """{group code: number} of the priority groups in force (1 = highest priority)."""
    groups = (cfg or config_for(province_code)).groups(day, province=province_code or None)
    return {group.code: group.number for group in groups}


# -- problem names -------------------------------------------------------------------------------------
def language() -> str:
    return "en" if (get_language() or "vi").startswith("en") else "vi"


def problem_label(code: str) -> str:
    """A rules problem code in the user's language (the rules' own text)."""
    return problem_text(code, language())


def problem_labels(codes) -> list[str]:
    return [problem_label(code) for code in codes]


def checklist(day: date, province_code: str | None) -> tuple:
    """The screening questions in force on ``day`` in the province."""
    return rules_questions(config_for(province_code), day, province_code or None)


def measurements(day: date, province_code: str | None) -> tuple:
    return rules_vitals(config_for(province_code), day, province_code or None)


def reason_texts(screening: Screening) -> list[str]:
    """The reasons of a screening (question and measurement codes) as the checklist words them."""
    day = timezone.localtime(screening.screened_at).date() if screening.screened_at else clock.today()
    province = screening.province_code or None
    known = {item.code: item for item in (*checklist(day, province), *measurements(day, province))}
    lang = language()
    return [getattr(known[code], lang) if code in known else str(code) for code in screening.reasons or []]


# -- sessions ------------------------------------------------------------------------------------------
def sessions_for(user, capability: str = VIEW) -> QuerySet[Session]:
    return (
        Session.objects.for_user(user, capability)
        .select_related("site", "unit")
        .annotate(doses_given=Count("doses", filter=Q(doses__voided_at__isnull=True), distinct=True))
        .order_by("-day", "site__name", "pk")
    )


def session_page(user, pk, capability: str = VIEW) -> Session:
    """The session of a page (with its site, lots and staff), or 404."""
    sessions = Session.objects.select_related("site", "unit", "created_by").prefetch_related(
        Prefetch("lots", queryset=Lot.objects.order_by("product", "number")), "staff"
    )
    return get_for_user_or_404(sessions, user, capability, pk=pk)


def table_session(user, pk, capability: str = EDIT) -> Session:
    """The session a table's form posts to (its site only: no lots or staff prefetched), or 404."""
    return get_for_user_or_404(Session.objects.select_related("site"), user, capability, pk=pk)


def sites_to_choose(user, capability: str = EDIT) -> QuerySet[Site]:
    return Site.objects.for_user(user, capability).filter(active=True).select_related("unit").order_by("name", "pk")


def sites_for(user, capability: str = VIEW) -> QuerySet[Site]:
    return Site.objects.for_user(user, capability).order_by("name", "pk")


def lots_to_choose(day: date | None = None, province_code: str | None = None) -> QuerySet[Lot]:
    """Lots not expired on ``day`` (of every product: the action checks the product is in force)."""
    lots = Lot.objects.order_by("product", "expires_on", "number")
    return lots.filter(expires_on__gte=day) if day else lots


def staff_to_choose(user, capability: str = EDIT):
    """Users holding a role in the user's area (the session's team is picked from them)."""
    users = get_user_model().objects.filter(is_active=True)
    return for_user(users, user, capability, path_field="grants__unit__path").distinct().order_by("username")


def staff_in_area(user, candidates, capability: str = EDIT) -> set[int]:
    """The ids among ``candidates`` that hold a role in ``user``'s area."""
    ids = [getattr(c, "pk", c) for c in candidates]
    return set(staff_to_choose(user, capability).filter(pk__in=ids).values_list("pk", flat=True))


def session_doses(session: Session) -> QuerySet[Dose]:
    return Dose.objects.valid().filter(session=session)


def under_observation(session: Session, now: datetime | None = None) -> QuerySet[Dose]:
    """Doses of the session whose 30-minute observation is not marked finished."""
    return (
        session_doses(session)
        .filter(observation_done=False, observed_until__isnull=False)
        .select_related("person", "lot")
        .order_by("observed_until", "pk")
    )


def _latest_screenings(session: Session) -> QuerySet[Screening]:
    """Each person's last screening in the session (an earlier one may have been redone)."""
    return Screening.objects.filter(session=session).order_by("person_id", "-screened_at", "-pk")


@dataclass
class SessionLists:
    screened: list = field(default_factory=list)  # people screened (their last screening)
    vaccinated: list = field(default_factory=list)  # valid doses
    postponed: list = field(default_factory=list)  # last screening postpone/contraindicated, no dose
    observing: list = field(default_factory=list)  # doses still under observation
    by_lot: list = field(default_factory=list)  # (lot, doses)


def session_lists(session: Session) -> SessionLists:
    """The lists of the session page, from which its counts are taken (len of each list)."""
    last: dict[int, Screening] = {}
    for screening in _latest_screenings(session).select_related("person"):
        last.setdefault(screening.person_id, screening)
    doses = list(session_doses(session).select_related("person", "lot").order_by("given_at", "pk"))
    dosed = {dose.person_id for dose in doses}
    lots: dict[int | None, list] = {}
    for dose in doses:
        lots.setdefault(dose.lot_id, []).append(dose)
    lot_rows = {lot.pk: lot for lot in Lot.objects.filter(pk__in=[k for k in lots if k])}
    return SessionLists(
        screened=sorted(last.values(), key=lambda s: (s.screened_at, s.pk)),
        vaccinated=doses,
        postponed=[s for s in last.values() if s.outcome in STOPPING and s.person_id not in dosed],
        observing=list(under_observation(session)),
        by_lot=[(lot_rows.get(pk), rows) for pk, rows in sorted(lots.items(), key=lambda kv: str(lot_rows.get(kv[0])))],
    )


# -- the table ---------------------------------------------------------------------------------------
def people_at_table(user) -> QuerySet[Person]:
    """People the user may vaccinate (vaccination.edit where they live)."""
    return Person.objects.for_user(user, EDIT).active().select_related("unit")


def token_of(text: str) -> str | None:
    """The invitation token in what a scanner typed: the token itself, or an address ending in it."""
    text = (text or "").strip()
    if not text:
        return None
    if "/" in text or "?" in text:
        parsed = urlparse(text)
        for name in ("t", "token"):
            values = parse_qs(parsed.query).get(name)
            if values:
                text = values[0]
                break
        else:
            parts = [part for part in parsed.path.split("/") if part]
            text = parts[-1] if parts else ""
    return text if TOKEN.match(text) and not text.isdigit() else None


def invitation_by_token(user, token: str) -> Invitation | None:
    return (
        Invitation.objects.for_user(user, EDIT)
        .filter(token=token)
        .select_related("person", "person__unit", "session")
        .first()
    )


def find_at_table(user, query: str) -> tuple[list[Person], Invitation | None]:
    """People matching a CCCD, a phone, a name (without diacritics) or an invitation's QR token."""
    token = token_of(query)
    if token:
        invitation = invitation_by_token(user, token)
        if invitation is not None and invitation.person.merged_into_id is None:
            return [invitation.person], invitation
    return list(search_people(user, query, base=people_at_table(user))[:SEARCH_LIMIT]), None


def table_person(user, pk) -> Person:
    """The person at the table, or 404 (outside the user's vaccination area alike)."""
    return get_for_user_or_404(Person.objects.active().select_related("unit"), user, EDIT, pk=pk)


def person_doses(person: Person) -> list[Dose]:
    return list(
        Dose.objects.valid().filter(person=person).select_related("lot", "site").order_by("given_on", "given_at", "pk")
    )


def person_in(person: Person, doses: list[Dose] | None = None) -> PersonIn:
    """The person as the rules read them (their valid doses in order)."""
    doses = person_doses(person) if doses is None else doses
    return PersonIn(
        id=str(person.pk),
        date_of_birth=person.date_of_birth,
        doses=tuple(DoseIn(product=d.product, date=d.given_on) for d in doses),
        recovered_on=None,
        negative_pcr_at=None,
    )


def enrolments_of(person: Person) -> list[Enrolment]:
    return list(Enrolment.objects.filter(person=person).order_by("group"))


def last_screening(person: Person, session: Session) -> Screening | None:
    return Screening.objects.filter(person=person, session=session).order_by("-screened_at", "-pk").first()


def invitation_for(person: Person, session: Session) -> Invitation | None:
    return Invitation.objects.filter(person=person, session=session).first()


@dataclass
class NextDose:
    product: str
    name: str
    verdict: object  # rules.DoseVerdict

    @property
    def kind_label(self) -> str:
        kind = str(self.verdict.kind)
        return str(DoseKind(kind).label) if kind in DoseKind.values else kind

    @property
    def problems(self) -> list[str]:
        return problem_labels(self.verdict.problems)


@dataclass
class PersonCard:
    """What the table shows of a person: doses, the rules' status, the next dose per product in use."""

    person: Person
    doses: list
    status: object  # rules.Status
    next_doses: list
    enrolments: list
    screening: Screening | None
    invitation: Invitation | None
    dose_today: Dose | None

    @property
    def screening_reasons(self) -> list[str]:
        return reason_texts(self.screening) if self.screening else []


def person_card(person: Person, session: Session) -> PersonCard:
    doses = person_doses(person)
    subject = person_in(person, doses)
    province = session.province_code or None
    cfg = config_for(province)
    status = assess(subject, session.day, cfg, province=province)
    products = products_on(session.day, province)
    codes = sorted({lot.product for lot in session.lots.all()})
    next_doses = [
        NextDose(
            code,
            getattr(products.get(code), "name", code),
            check_new_dose(subject, code, session.day, cfg, province=province),
        )
        for code in codes
    ]
    return PersonCard(
        person=person,
        doses=doses,
        status=status,
        next_doses=next_doses,
        enrolments=enrolments_of(person),
        screening=last_screening(person, session),
        invitation=invitation_for(person, session),
        dose_today=next((d for d in doses if d.session_id == session.pk), None),
    )


def session_lots(session: Session) -> QuerySet[Lot]:
    """The lots of the session usable on its day (not expired)."""
    return session.lots.filter(expires_on__gte=session.day).order_by("product", "number")


# -- doses ---------------------------------------------------------------------------------------------
def dose_page(user, pk, capability: str = VIEW) -> Dose:
    doses = Dose.objects.select_related("person", "person__unit", "lot", "site", "session", "screening", "created_by")
    # ``Dose.objects`` is a DoseQuerySet without ``for_user`` (models.py): the scope function itself.
    return get_in_scope_or_404(for_user(doses, user, capability), pk=pk)


def minutes_left(dose: Dose, now: datetime | None = None) -> int:
    """Whole minutes of observation left (0 when the time is up)."""
    if dose.observed_until is None:
        return 0
    left = dose.observed_until - (now or clock.now())
    return max(0, -(-int(left.total_seconds()) // 60))


def observation_end(given_at: datetime) -> datetime:
    return given_at + timedelta(minutes=OBSERVATION_MINUTES)


# -- the overview ----------------------------------------------------------------------------------------
@dataclass
class Overview:
    today: date
    sessions: list
    doses_today: int
    sessions_open: int
    observing: int


def overview(user, today: date) -> Overview:
    """Today's sessions of the area; the figures are sums over them (each links to its list)."""
    sessions = list(
        sessions_for(user)
        .filter(day=today)
        .annotate(
            observing=Count(
                "doses",
                filter=Q(
                    doses__voided_at__isnull=True, doses__observation_done=False, doses__observed_until__isnull=False
                ),
                distinct=True,
            )
        )
    )
    return Overview(
        today=today,
        sessions=sessions,
        doses_today=sum(s.doses_given for s in sessions),
        sessions_open=sum(1 for s in sessions if s.status == SessionStatus.OPEN),
        observing=sum(s.observing for s in sessions),
    )


def now_aware() -> datetime:
    return timezone.localtime(clock.now())
