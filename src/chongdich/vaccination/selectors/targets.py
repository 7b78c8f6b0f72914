"""Reads of the target lists: people of an area by priority group, age band and doses received; who is
due or overdue for their next dose; sessions to invite to and their invitations; the person page's panel.

Every list starts from ``for_user`` (people of the user's area for ``vaccination.view``), a unit the user
picked narrows it with ``.within(unit)``, and the figures shown next to a list are computed from the very
queryset the list pages through, so a count always equals its list.

Due and overdue: the rules (``assess``) decide a person's next dose from their doses.  The candidates are
selected in the database (people with at least one valid dose and no booster yet), then *one* query reads
the doses of all of them, ordered by person, and the rules run once per person over that stream — never one
query per person (a district of 50,000 people is one pass).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby

import segno
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.core.access import get_for_user_or_404
from chongdich.core.versioning import NoRuleInForce
from chongdich.people.models import Person
from chongdich.people.selectors import search_people
from chongdich.vaccination.models import (
    EDIT,
    VIEW,
    Dose,
    DoseKind,
    Enrolment,
    Invitation,
    InvitationStatus,
    ProvinceVaccinationSetting,
    Session,
    SessionStatus,
)
from chongdich.vaccination.rules import (
    ConfigError,
    DoseIn,
    InputError,
    PersonIn,
    PriorityGroup,
    VaccinationConfig,
    assess,
    default_config,
    version_from_dict,
)

# -- the catalogue, as the province configures it ---------------------------------------------------


def config_for(province_code: str | None) -> VaccinationConfig:
    """The catalogue with the province's overrides (its own priority groups, intervals, target)."""
    cfg = default_config()
    if province_code:
        setting = ProvinceVaccinationSetting.objects.filter(province__code=province_code).first()
        if setting is not None and setting.versions:
            try:
                cfg = cfg.with_versions([version_from_dict(raw) for raw in setting.versions])
            except (ConfigError, InputError, ValueError, TypeError, KeyError):
                cfg = default_config()  # a broken override is the settings page's to refuse; lists go on
    return cfg


def groups_on(day: date, province_code: str | None = None) -> tuple[PriorityGroup, ...]:
    """The priority groups in force on ``day`` (none before the first list)."""
    try:
        return tuple(config_for(province_code).groups(day, province_code))
    except NoRuleInForce:
        return ()


def product_names(day: date, province_code: str | None = None) -> dict[str, str]:
    """Catalogue code → the vaccine's name (a code the catalogue does not know stays as it is)."""
    try:
        return {code: product.name for code, product in config_for(province_code).products(day, province_code).items()}
    except NoRuleInForce:
        return {}


def group_name(group: PriorityGroup) -> str:
    vietnamese = (translation.get_language() or "vi").startswith("vi")
    return f"{group.number}. {group.name_vi if vietnamese else group.name_en}"


def group_choices(day: date, province_code: str | None = None) -> list[tuple[str, str]]:
    return [(group.code, group_name(group)) for group in groups_on(day, province_code)]


def user_province(user) -> str | None:
    """The province of the user's first grant (the catalogue they work with), None for the nation."""
    grant = user.grants.select_related("unit").order_by("pk").first() if hasattr(user, "grants") else None
    return grant.unit.province_code if grant is not None and grant.unit.province_code else None


# -- the target list ---------------------------------------------------------------------------------
# Age bands of the target list: (code, label, youngest, oldest) in whole years on the list's day.
AGE_BANDS = (
    ("0_11", _("Under 12"), 0, 11),
    ("12_17", _("12–17 years"), 12, 17),
    ("18_49", _("18–49 years"), 18, 49),
    ("50_64", _("50–64 years"), 50, 64),
    ("65_plus", _("65 and over"), 65, 150),
    ("18_plus", _("18 and over"), 18, 150),
    ("50_plus", _("50 and over"), 50, 150),
)
AGE_BAND_CHOICES = [(code, label) for code, label, _low, _high in AGE_BANDS]


class DoseState:
    NONE, PARTIAL, COMPLETE, BOOSTED = "none", "partial", "complete", "boosted"
    CHOICES = (
        (NONE, _("No dose")),
        (PARTIAL, _("Started, primary series not complete")),
        (COMPLETE, _("Primary series complete")),
        (BOOSTED, _("Booster received")),
    )
    LABELS = dict(CHOICES)


def _doses_of_person(day: date):
    return Dose.objects.valid().filter(person=OuterRef("pk"), given_on__lte=day)


def people_in_scope(user, capability: str = VIEW) -> QuerySet[Person]:
    return Person.objects.for_user(user, capability).active()


def with_dose_state(people: QuerySet[Person], day: date) -> QuerySet[Person]:
    """Annotate what each person received by ``day`` as one ``dose_state`` (from three EXISTS: any dose,
    a dose completing the primary series, a booster), so that a list and its counts read the same value."""
    doses = _doses_of_person(day)
    return people.annotate(
        dose_state=Case(
            When(Exists(doses.filter(kind=DoseKind.BOOSTER)), then=Value(DoseState.BOOSTED)),
            When(Exists(doses.filter(completes_primary=True)), then=Value(DoseState.COMPLETE)),
            When(Exists(doses), then=Value(DoseState.PARTIAL)),
            default=Value(DoseState.NONE),
            output_field=CharField(),
        )
    )


def state_q(state: str) -> Q:
    """The condition of a dose state over ``with_dose_state``'s annotation."""
    return Q(dose_state=state)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_q(band: str, day: date) -> Q:
    """People aged within the band on ``day``: from the date of birth, else from the year of birth."""
    low, high = next((lo, hi) for code, _label, lo, hi in AGE_BANDS if code == band)
    latest_birth = _years_before(day, low)  # born on or before: at least ``low`` years old
    earliest_birth = _years_before(day, high + 1) + timedelta(days=1)  # born after: at most ``high``
    by_date = Q(date_of_birth__isnull=False, date_of_birth__lte=latest_birth, date_of_birth__gte=earliest_birth)
    by_year = Q(date_of_birth__isnull=True, birth_year__lte=day.year - low, birth_year__gte=day.year - high)
    return by_date | by_year


def in_group(people: QuerySet[Person], group: str) -> QuerySet[Person]:
    """Enrolled in ``group``; ``"none"``: in no priority group."""
    if group == "none":
        return people.exclude(Exists(Enrolment.objects.filter(person=OuterRef("pk"))))
    return people.filter(Exists(Enrolment.objects.filter(person=OuterRef("pk"), group=group)))


def search(user, people: QuerySet[Person], query: str) -> QuerySet[Person]:
    return search_people(user, query, base=people)


def target_rows(people: QuerySet[Person], day: date) -> QuerySet[Person]:
    """The list's rows: the number of doses and the last dose's date, the groups (prefetched), the unit."""
    doses = _doses_of_person(day).order_by().values("person")
    return people.annotate(
        doses_received=Coalesce(
            Subquery(doses.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), Value(0)
        ),
        last_dose_on=Subquery(doses.annotate(last=Max("given_on")).values("last")[:1]),
    ).prefetch_related(Prefetch("vaccination_groups", queryset=Enrolment.objects.order_by("group")))


def state_counts(people: QuerySet[Person]) -> dict[str, int]:
    """How many people of the (annotated) list are in each dose state, and in all: one grouped query."""
    counts = dict.fromkeys(DoseState.LABELS, 0)
    for row in people.order_by().values("dose_state").annotate(n=Count("pk")):
        counts[row["dose_state"]] = row["n"]
    counts["total"] = sum(counts.values())
    return counts


def state_of(person) -> str:
    return getattr(person, "dose_state", DoseState.NONE)


# -- due and overdue ----------------------------------------------------------------------------------
@dataclass
class DueRow:
    """One person due for a dose (fields of the person read in the same query as their doses)."""

    pk: int
    full_name: str
    date_of_birth: date | None
    birth_year: int
    sex: str
    cccd: str | None
    phone: str
    address: str
    unit_name: str
    unit_path: str
    doses_counted: int
    last_product: str
    last_dose_on: date
    last_product_name: str
    complete: bool
    next_due: date | None
    earliest_next: date | None
    days_late: int  # days past the recommended date (0 when not yet past)
    next_kind: str  # primary / booster
    next_number: int

    @property
    def person_id(self) -> int:  # the audit reads the people of a page from it
        return self.pk

    def get_absolute_url(self) -> str:
        return reverse("people:detail", args=[self.pk])


PERSON_COLUMNS = (
    "person_id",
    "person__full_name",
    "person__date_of_birth",
    "person__birth_year",
    "person__sex",
    "person__cccd",
    "person__phone",
    "person__address",
    "person__unit__name",
    "person__unit_path",
    "person__province_code",
)


def due_candidates(people: QuerySet[Person], day: date) -> QuerySet[Person]:
    """People who may have a next dose: at least one valid dose by ``day`` and no booster yet."""
    return with_dose_state(people, day).filter(dose_state__in=(DoseState.PARTIAL, DoseState.COMPLETE))


def doses_of(person_ids_or_query, day: date):
    """The valid doses by ``day`` of many people, ordered by person and date: one query."""
    return (
        Dose.objects.valid()
        .filter(person__in=person_ids_or_query, given_on__lte=day)
        .order_by("person_id", "given_on", "pk")
    )


def _next_dose(status) -> tuple[str, int]:
    """The kind and number of the dose the person would receive next."""
    if getattr(status, "next_kind", None):
        return status.next_kind, status.next_number or 1
    if not status.complete:
        primary = sum(1 for verdict in status.doses if verdict.kind == DoseKind.PRIMARY)
        return DoseKind.PRIMARY, primary + 1
    boosters = sum(1 for verdict in status.doses if verdict.kind == DoseKind.BOOSTER)
    return DoseKind.BOOSTER, boosters + 1


def status_of(person_id, date_of_birth, doses, day: date, cfg: VaccinationConfig, province: str | None = None):
    """The rules' status of one person from (product, date) pairs; None when the rules cannot judge it
    (no catalogue in force that day, a dose the catalogue cannot read)."""
    try:
        return assess(
            PersonIn(id=person_id, date_of_birth=date_of_birth, doses=tuple(DoseIn(p, d) for p, d in doses)),
            day,
            cfg,
            province=province or None,
        )
    except (InputError, NoRuleInForce):
        return None


def due_rows(
    people: QuerySet[Person], day: date, cfg: VaccinationConfig, *, late_by: int | None = None
) -> list[DueRow]:
    """People of ``people`` due for their next dose on ``day`` (the rules' earliest day has come), most
    overdue first; with ``late_by`` only those past the recommended day by at least that many days."""
    candidates = due_candidates(people, day).values("pk")
    stream = doses_of(candidates, day).values_list("product", "given_on", *PERSON_COLUMNS).iterator(chunk_size=5000)
    rows = []
    names = product_names(day)
    for person_id, doses in groupby(stream, key=lambda row: row[2]):
        doses = list(doses)
        first = doses[0]
        status = status_of(person_id, first[4], [(row[0], row[1]) for row in doses], day, cfg, first[12])
        if status is None:
            continue
        earliest = status.earliest_next or status.next_due
        if status.next_due is None or earliest is None or earliest > day:
            continue
        days_late = max((day - status.next_due).days, 0)
        if late_by is not None and (status.next_due >= day or days_late < late_by):
            continue
        kind, number = _next_dose(status)
        rows.append(
            DueRow(
                pk=person_id,
                full_name=first[3],
                date_of_birth=first[4],
                birth_year=first[5],
                sex=first[6],
                cccd=first[7],
                phone=first[8],
                address=first[9],
                unit_name=first[10],
                unit_path=first[11],
                doses_counted=len(doses),
                last_product=doses[-1][0],
                last_dose_on=doses[-1][1],
                last_product_name=names.get(doses[-1][0], doses[-1][0]),
                complete=status.complete,
                next_due=status.next_due,
                earliest_next=status.earliest_next,
                days_late=days_late,
                next_kind=kind,
                next_number=number,
            )
        )
    rows.sort(key=lambda row: (row.next_due, row.full_name, row.pk))
    return rows


def next_doses(person_ids: Iterable[int], day: date, cfg: VaccinationConfig) -> dict[int, tuple[str, int]]:
    """The next dose (kind, number) of each person, from one query of their doses (people without a
    dose: the first primary dose)."""
    ids = list(person_ids)
    found: dict[int, tuple[str, int]] = dict.fromkeys(ids, (DoseKind.PRIMARY, 1))
    stream = doses_of(ids, day).values_list(
        "person_id", "product", "given_on", "person__date_of_birth", "person__province_code"
    )
    for person_id, doses in groupby(stream.iterator(chunk_size=5000), key=lambda row: row[0]):
        doses = list(doses)
        status = status_of(person_id, doses[0][3], [(r[1], r[2]) for r in doses], day, cfg, doses[0][4])
        if status is not None:
            found[person_id] = _next_dose(status)
    return found


# -- sessions and invitations ---------------------------------------------------------------------------
OPEN_STATUSES = (SessionStatus.PLANNED, SessionStatus.OPEN)


def sessions_to_invite(user, day: date | None = None, limit: int = 200) -> QuerySet[Session]:
    """Sessions of the user's area that people can still be invited to (planned or open, from today)."""
    day = day or clock.today()
    return (
        Session.objects.for_user(user, EDIT)
        .filter(status__in=OPEN_STATUSES, day__gte=day)
        .select_related("site")
        .order_by("day", "site__name", "pk")[:limit]
    )


def session_page(user, pk, capability: str = VIEW) -> Session:
    """A session of the user's area (404 otherwise)."""
    return get_for_user_or_404(Session.objects.select_related("site", "unit"), user, capability, pk=pk)


def invitations_of(user, session: Session) -> QuerySet[Invitation]:
    """The session's invitations of people in the user's area, each with ``dosed``: a valid dose given at
    this session (or on its day) — shown as "vaccinated" whatever the stored status says."""
    dosed = (
        Dose.objects.valid().filter(person=OuterRef("person_id")).filter(Q(session=session) | Q(given_on=session.day))
    )
    return (
        Invitation.objects.for_user(user, VIEW)
        .filter(session=session)
        .select_related("person", "person__unit")
        .annotate(dosed=Exists(dosed))
        .order_by("person__folded_name", "pk")
    )


def shown_status(invitation: Invitation) -> str:
    return InvitationStatus.VACCINATED if getattr(invitation, "dosed", False) else invitation.status


def invitation_counts(invitations: QuerySet[Invitation]) -> dict[str, int]:
    """How many of the list are in each shown status (a dose given counts as vaccinated): one query."""
    dosed = Q(dosed=True)
    counts = invitations.order_by().aggregate(
        total=Count("pk"),
        **{
            status: Count("pk", filter=dosed if status == InvitationStatus.VACCINATED else Q(status=status) & ~dosed)
            for status in InvitationStatus.values
        },
    )
    return {key: value or 0 for key, value in counts.items()}


def invitation_for(user, pk, capability: str = VIEW) -> Invitation:
    return get_for_user_or_404(Invitation.objects.select_related("session", "person"), user, capability, pk=pk)


def enrolment_for(user, pk, capability: str = VIEW) -> Enrolment:
    return get_for_user_or_404(Enrolment.objects.select_related("person"), user, capability, pk=pk)


def people_by_ids(user, ids: Iterable[int], capability: str = EDIT) -> QuerySet[Person]:
    return people_in_scope(user, capability).filter(pk__in=list(ids))


def people_by_cccd(user, numbers: Iterable[str], capability: str = EDIT) -> dict[str, Person]:
    """People of the user's area by CCCD (one query)."""
    wanted = list(dict.fromkeys(numbers))
    return {p.cccd: p for p in people_in_scope(user, capability).filter(cccd__in=wanted)}


# -- the person page's panel --------------------------------------------------------------------------
@dataclass
class PersonVaccination:
    doses: list
    enrolments: list
    group_names: dict
    status: object | None
    next_kind: str
    next_number: int
    invitations: list
    certificate_url: str | None


def certificate_url(person: Person) -> str | None:
    """The certificate page, when the app has one (built on another branch)."""
    try:
        return reverse("vaccination:certificate", args=[person.pk])
    except NoReverseMatch:
        return None


def person_vaccination(person: Person, day: date) -> PersonVaccination:
    """A person's doses (all of them, valid, with lot and site), groups, next dose and invitations."""
    doses = list(Dose.objects.valid().filter(person=person).select_related("lot", "site").order_by("given_on", "pk"))
    enrolments = list(Enrolment.objects.filter(person=person).order_by("group"))
    cfg = config_for(person.province_code)
    status = None
    kind, number = DoseKind.PRIMARY, 1
    if doses:
        given = [(d.product, d.given_on) for d in doses if d.given_on <= day]
        status = status_of(person.pk, person.date_of_birth, given, day, cfg, person.province_code)
        if status is not None:
            kind, number = _next_dose(status)
    invitations = list(
        Invitation.objects.filter(person=person, session__day__gte=day)
        .select_related("session", "session__site")
        .order_by("session__day")[:5]
    )
    names = dict(group_choices(day, person.province_code))
    vaccines = product_names(day, person.province_code)
    for dose in doses:
        dose.product_name = vaccines.get(dose.product, dose.product)
    return PersonVaccination(doses, enrolments, names, status, kind, number, invitations, certificate_url(person))


def session_url(session: Session) -> str | None:
    """The session's own page, when the app has it (built on another branch)."""
    try:
        return session.get_absolute_url()
    except NoReverseMatch:
        return None


# -- printable slips ------------------------------------------------------------------------------------
SLIPS_PER_SHEET = 6  # 2 × 3 on an A4 sheet, cut along the dashed lines


@dataclass
class Slip:
    invitation: Invitation
    person: Person
    kind: str
    number: int | None
    qr_svg: str


def qr_svg(text: str) -> str:
    """An inline SVG QR code (segno: no image file, no script); medium error correction survives a
    creased slip."""
    return mark_safe(segno.make(text, error="m").svg_inline(scale=3, border=2))  # noqa: S308 - segno's own SVG


def slips(invitations, session: Session) -> list[Slip]:
    return [
        Slip(invitation, invitation.person, invitation.dose_kind, invitation.dose_number, qr_svg(invitation.token))
        for invitation in invitations
    ]
