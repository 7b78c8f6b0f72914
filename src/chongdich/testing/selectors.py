"""Read queries on labs, samples and campaigns, always through the user's scope; work lists; capacity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from chongdich.core import clock
from chongdich.core.access import get_for_user_or_404
from chongdich.core.roles import Cap
from chongdich.core.scoping import for_user, in_scope, scope_for
from chongdich.people.models import Household, Person
from chongdich.people.selectors import people_for, search_people
from chongdich.surveillance.models import Case, Outcome
from chongdich.tallies import selectors as tallies
from chongdich.territory.models import AdminUnit
from chongdich.testing.models import Campaign, Coverage, Lab, LabResult, PoolMember, Sample, SampleKind, SampleStatus
from chongdich.testing.results import normalize_code

LOAD_DAYS = 14
# Days a sample has waited for its result: RT-PCR results are due within 24–48 hours.
AGE_BUCKETS = ((0, 1), (2, 3), (4, None))


def samples_for(user, capability: str = Cap.TESTS_VIEW) -> QuerySet[Sample]:
    return Sample.objects.for_user(user, capability)


def labs_for(user, capability: str = Cap.TESTS_VIEW) -> QuerySet[Lab]:
    return Lab.objects.for_user(user, capability)


def campaigns_for(user, capability: str = Cap.TESTS_VIEW) -> QuerySet[Campaign]:
    return Campaign.objects.for_user(user, capability)


def labs_to_choose(user, active_only: bool = True) -> QuerySet[Lab]:
    """Labs a user may send samples to: those of the provinces where they record tests.

    Labs usually sit at district or province level, above a commune officer's own scope.
    """
    labs = Lab.objects.filter(active=True) if active_only else Lab.objects.all()
    labs = labs.order_by("name")
    scope = scope_for(user, Cap.TESTS_EDIT)
    if scope.everything:
        return labs
    provinces = {path.split("/")[1] for path in scope.paths}
    return labs.filter(province_code__in=provinces)


def sample_page(user, pk, capability: str = Cap.TESTS_VIEW) -> Sample:
    """The sample of a page (with what the page shows), or 404."""
    samples = Sample.objects.select_related("person", "person__unit", "unit", "lab", "campaign", "pool", "created_by")
    return get_for_user_or_404(samples, user, capability, pk=pk)


def sample_by_code(user, code: str, capability: str = Cap.TESTS_EDIT) -> Sample | None:
    return samples_for(user, capability).filter(code=code).first()


def pool_people(user, sample: Sample) -> tuple[list[PoolMember], list[Sample]]:
    """A pool's members and their re-tests: a pool may gather people of several areas, and each user
    sees those of theirs only."""
    members = PoolMember.objects.filter(pool=sample).select_related("person", "person__unit").order_by("pk")
    retests = samples_for(user).filter(pool=sample).select_related("person").order_by("pk")
    return (
        list(for_user(members, user, Cap.PEOPLE_VIEW, path_field="person__unit_path")),
        list(for_user(retests, user, Cap.PEOPLE_VIEW, path_field="person__unit_path")),
    )


def lab_results_of(sample: Sample) -> QuerySet[LabResult]:
    """The lab-file rows received for the sample's code, newest first."""
    return LabResult.objects.filter(sample_code=sample.code).order_by("-received_at")


def people_matching(user, query: str, limit: int) -> list[Person]:
    """The people a search finds (the "whose sample?" and pool searches), at most ``limit``."""
    if not query:
        return []
    return list(search_people(user, query, base=people_for(user).select_related("unit"))[:limit])


def person_page(user, pk) -> Person:
    """A person in the user's area (a sample is registered for them), or 404."""
    return get_for_user_or_404(Person.objects.active().select_related("unit"), user, Cap.PEOPLE_VIEW, pk=pk)


def people_by_ids(user, ids) -> list[Person]:
    """The people with these ids that the user may see, in the order of ``ids``."""
    by_pk = {p.pk: p for p in people_for(user).select_related("unit").filter(pk__in=list(ids))}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def household_member_ids(user, household_pk) -> list[int]:
    """The active members of a household in the user's area (404 for another)."""
    household = get_for_user_or_404(Household, user, Cap.PEOPLE_VIEW, pk=household_pk)
    return list(household.members.active().order_by("pk").values_list("pk", flat=True))


def labs_with_counts(user, today: date) -> list[Lab]:
    """The user's labs, each with ``today`` (samples taken today) and ``pending`` (waiting)."""
    labs = list(labs_for(user).select_related("unit").order_by("-active", "unit_path", "name"))
    counts = lab_counts(labs, today)
    for lab in labs:
        lab.today, lab.pending = counts.get(lab.pk, (0, 0))
    return labs


def lab_page(user, pk, capability: str = Cap.TESTS_VIEW) -> Lab:
    return get_for_user_or_404(Lab.objects.select_related("unit"), user, capability, pk=pk)


def overview_counts(user, today: date) -> dict[str, int]:
    """The figures of the testing overview page."""
    samples = samples_for(user)
    pending = samples.filter(status=SampleStatus.PENDING)
    return {
        "taken_today": samples.filter(taken_on=today).count(),
        "pending": pending.count(),
        "overdue": pending.filter(taken_on__lt=today - timedelta(days=1)).count(),
        "positives": positives_without_case(user).count(),
    }


def units_to_pick(user) -> list[AdminUnit]:
    """The units a capacity page can be opened for: the user's granted units (or the provinces)."""
    scope = scope_for(user, Cap.TESTS_VIEW)
    if scope.everything:
        return list(AdminUnit.objects.filter(parent__isnull=True).order_by("name"))
    return list(AdminUnit.objects.filter(path__in=scope.paths).order_by("path"))


def capacity_unit(user, code: str | None, choices: list[AdminUnit]) -> AdminUnit | None:
    """The unit of the capacity page (``?unit=<code>``, else the first choice), None outside the scope."""
    unit = AdminUnit.objects.filter(code=code).first() if code else (choices[0] if choices else None)
    return unit if unit is not None and in_scope(user, Cap.TESTS_VIEW, unit) else None


def campaigns_to_choose(user) -> QuerySet[Campaign]:
    """Open campaigns a user's samples may count for: in their area, or covering it (a district's
    campaign sampled by a commune health station)."""
    today = clock.today()
    campaigns = Campaign.objects.filter(start__lte=today).exclude(end__lt=today).order_by("-start", "name")
    scope = scope_for(user, Cap.TESTS_EDIT)
    if scope.everything:
        return campaigns
    condition = Q(pk__in=[])
    for path in scope.paths:
        parts = path.strip("/").split("/")
        ancestors = ["/" + "/".join(parts[:depth]) + "/" for depth in range(1, len(parts))]
        condition |= Q(unit_path__startswith=path) | Q(unit_path__in=ancestors)
    return campaigns.filter(condition)


def search_samples(user, query: str, base: QuerySet[Sample] | None = None) -> QuerySet[Sample]:
    """A sample code (or its beginning), or the name / CCCD / phone of the person sampled."""
    samples = base if base is not None else samples_for(user)
    text = (query or "").strip()
    if not text:
        return samples
    people = search_people(user, text, base=people_for(user)).order_by().values("pk")
    return samples.filter(Q(code__startswith=normalize_code(text)) | Q(person__in=people))


def samples_of_person(user, person: Person) -> QuerySet[Sample]:
    """A person's samples and the pools they were in, newest first (for the person's page)."""
    pools = PoolMember.objects.filter(person=person).values("pool_id")
    return (
        samples_for(user).filter(Q(person=person) | Q(pk__in=pools)).select_related("lab").order_by("-taken_on", "-pk")
    )


# -- work lists -----------------------------------------------------------------------------------
def pending_samples(user, lab: Lab | None = None) -> QuerySet[Sample]:
    """Samples waiting for a result, oldest first."""
    samples = samples_for(user).filter(status=SampleStatus.PENDING)
    if lab is not None:
        samples = samples.filter(lab=lab)
    return samples.select_related("person", "lab", "unit").order_by("taken_on", "pk")


def pending_by_lab(user, today: date) -> list[dict]:
    """Per lab: samples waiting, split by days waited (one query)."""
    buckets = {}
    for low, high in AGE_BUCKETS:
        condition = Q(taken_on__lte=today - timedelta(days=low))
        if high is not None:
            condition &= Q(taken_on__gte=today - timedelta(days=high))
        buckets[f"waited_{low}"] = Count("pk", filter=condition)
    rows = (
        samples_for(user)
        .filter(status=SampleStatus.PENDING)
        .values("lab_id", "lab__name")
        .annotate(total=Count("pk"), **buckets)
        .order_by("lab__name")
    )
    return [{**row, "buckets": [row[f"waited_{low}"] for low, _high in AGE_BUCKETS]} for row in rows]


def positives_without_case(user) -> QuerySet[Sample]:
    """Positive individual results whose person has no case for them yet: what health staff act on.

    A person counts as handled when they have an active case, or a case confirmed on or after the
    day of this sample (so a recovered case does not bring its old positive sample back).
    """
    handled = Case.objects.filter(person=OuterRef("person_id")).filter(
        Q(outcome=Outcome.ACTIVE) | Q(confirmed_on__gte=OuterRef("taken_on"))
    )
    return (
        samples_for(user)
        .filter(status=SampleStatus.POSITIVE, person__isnull=False)
        .exclude(kind=SampleKind.POOLED_RT_PCR)
        .filter(~Exists(handled))
        .select_related("person", "lab", "unit")
        .order_by("-result_on", "-pk")
    )


# -- campaigns ------------------------------------------------------------------------------------
def campaign_window(campaign: Campaign, today: date) -> tuple[date, date]:
    return campaign.start, campaign.end or today


def _tested(person, start, end) -> Q:
    """A person has a usable sample (their own, or a pool they were in) taken between start and end."""
    own = Sample.objects.filter(person=person, taken_on__gte=start, taken_on__lte=end).exclude(
        status=SampleStatus.INVALID
    )
    pooled = PoolMember.objects.filter(person=person, pool__taken_on__gte=start, pool__taken_on__lte=end).exclude(
        pool__status=SampleStatus.INVALID
    )
    return Q(Exists(own)) | Q(Exists(pooled))


def tested_condition(campaign: Campaign, today: date) -> Q:
    """On people: tested during the campaign."""
    return _tested(OuterRef("pk"), *campaign_window(campaign, today))


def with_coverage(campaigns: QuerySet[Campaign], today: date) -> QuerySet[Campaign]:
    """Campaigns annotated with ``target_count`` and ``tested_count`` (one query for a whole list)."""
    targets = Campaign.targets.through.objects.filter(campaign=OuterRef("pk"))
    tested = targets.filter(
        _tested(OuterRef("person_id"), OuterRef(OuterRef("start")), Coalesce(OuterRef(OuterRef("end")), Value(today)))
    )

    def count(rows):
        return Coalesce(
            Subquery(
                rows.order_by().values("campaign").annotate(n=Count("pk")).values("n"), output_field=IntegerField()
            ),
            0,
        )

    return campaigns.annotate(target_count=count(targets), tested_count=count(tested))


def campaign_page(user, pk, capability: str = Cap.TESTS_VIEW, *, today: date | None = None) -> Campaign:
    """The campaign of a page (with its coverage on ``today`` when asked), or 404."""
    campaigns = Campaign.objects.select_related("unit")
    if today is not None:
        campaigns = with_coverage(campaigns, today)
    return get_for_user_or_404(campaigns, user, capability, pk=pk)


def campaigns_with_coverage(user, today: date) -> QuerySet[Campaign]:
    return with_coverage(campaigns_for(user).select_related("unit"), today).order_by("-start", "-pk")


def targetable_people(user, campaign: Campaign) -> QuerySet[Person]:
    """People the user sees in the campaign's area who are not on its list yet."""
    return people_for(user).within(campaign.unit_path).exclude(campaigns=campaign)


def campaign_candidates(user, campaign: Campaign, query: str, limit: int = 20) -> list[Person]:
    """People a search finds to add to the campaign's list."""
    if not query:
        return []
    base = targetable_people(user, campaign).select_related("unit")
    return list(search_people(user, query, base=base)[:limit])


def target_preview(people: QuerySet[Person], limit: int) -> tuple[int, list[Person]]:
    """How many people a target filter matches, and the first ``limit`` of them."""
    preview = list(people.select_related("unit").order_by("unit_path", "folded_name", "pk")[:limit])
    return people.count(), preview


def coverage(campaign: Campaign, today: date) -> Coverage:
    counts = (
        with_coverage(Campaign.objects.filter(pk=campaign.pk), today).values_list("target_count", "tested_count").get()
    )
    return Coverage(*counts)


def untested_targets(campaign: Campaign, today: date, user=None) -> QuerySet[Person]:
    """Targets without a usable sample in the campaign window (those the user may see)."""
    people = campaign.targets.filter(merged_into__isnull=True).exclude(tested_condition(campaign, today))
    if user is not None:
        people = for_user(people, user, Cap.PEOPLE_VIEW)
    return people.select_related("unit").order_by("unit_path", "folded_name", "pk")


# -- capacity -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DayLoad:
    day: date
    demand: int  # samples taken (RT-PCR tubes, pools and rapid tests)
    capacity: int
    pending: int | None = None  # samples still waiting at the end of the day

    @property
    def percent(self) -> int | None:
        return round(100 * self.demand / self.capacity) if self.capacity else None

    @property
    def over(self) -> bool:
        return self.demand > self.capacity


def lab_load(lab: Lab, today: date, days: int = LOAD_DAYS) -> list[dict]:
    """Samples the lab received per day (by sampling day) against its capacity, newest first."""
    start = today - timedelta(days=days - 1)
    counts: dict[tuple[date, bool], int] = {}
    for row in (
        Sample.objects.filter(lab=lab, taken_on__range=(start, today))
        .values("taken_on", "kind")
        .annotate(n=Count("pk"))
    ):
        key = (row["taken_on"], row["kind"] == SampleKind.RAPID_ANTIGEN)
        counts[key] = counts.get(key, 0) + row["n"]
    result = []
    for offset in range(days):
        day = today - timedelta(days=offset)
        pcr = DayLoad(day, counts.get((day, False), 0), lab.daily_capacity)
        rapid = DayLoad(day, counts.get((day, True), 0), lab.antigen_capacity)
        result.append({"day": day, "pcr": pcr, "rapid": rapid, "loads": (pcr, rapid)})
    return result


def lab_counts(labs: list[Lab], today: date) -> dict[int, tuple[int, int]]:
    """Per lab: samples taken today and samples waiting (two indexed queries whatever the number of labs)."""
    samples = Sample.objects.filter(lab__in=labs)
    taken = dict(samples.filter(taken_on=today).values("lab_id").annotate(n=Count("pk")).values_list("lab_id", "n"))
    waiting = dict(
        samples.filter(status=SampleStatus.PENDING).values("lab_id").annotate(n=Count("pk")).values_list("lab_id", "n")
    )
    return {lab.pk: (taken.get(lab.pk, 0), waiting.get(lab.pk, 0)) for lab in labs}


def lab_backlog(lab: Lab, today: date) -> dict:
    pending = Sample.objects.filter(lab=lab, status=SampleStatus.PENDING)
    row = pending.aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(taken_on__lt=today - timedelta(days=1))))
    return {
        "total": row["total"],
        "overdue": row["overdue"],
        "oldest": pending.order_by("taken_on").values_list("taken_on", flat=True).first(),
    }


def unit_capacity(unit_path: str) -> int:
    """Daily capacity (RT-PCR + rapid) of the active labs in a unit's subtree."""
    row = (
        Lab.objects.filter(active=True)
        .within(unit_path)
        .aggregate(pcr=Sum("daily_capacity"), rapid=Sum("antigen_capacity"))
    )
    return (row["pcr"] or 0) + (row["rapid"] or 0)


def capacity_vs_demand(unit: AdminUnit, today: date, days: int = LOAD_DAYS) -> list[DayLoad]:
    """Samples taken per day in a unit (from tallies) against the capacity of the labs in it, newest first."""
    capacity = unit_capacity(unit.path)
    start = today - timedelta(days=days - 1)
    series = tallies.series(unit.path, start, today, ["samples_taken", "samples_pending"])
    return [
        DayLoad(day, values["samples_taken"], capacity, values["samples_pending"])
        for day, values in sorted(series.items(), reverse=True)
    ]


def capacity_by_child(unit: AdminUnit, day: date) -> list[tuple[AdminUnit, DayLoad]]:
    """For each child unit: samples taken that day and pending at its end, against its labs' capacity."""
    children = list(AdminUnit.objects.filter(parent=unit).order_by("name"))
    if not children:
        return []
    by_path = {child.path: child.pk for child in children}
    levels = tallies.by_child(unit.path, by_path, day, ["samples_taken", "samples_pending"])
    capacity: dict[int, int] = {}
    for path, pcr, rapid in (
        Lab.objects.filter(active=True).within(unit).values_list("unit_path", "daily_capacity", "antigen_capacity")
    ):
        child = next((pk for prefix, pk in by_path.items() if path.startswith(prefix)), None)
        if child is not None:
            capacity[child] = capacity.get(child, 0) + pcr + rapid
    rows = []
    for child in children:
        values = levels.get(child.pk, {})
        rows.append(
            (
                child,
                DayLoad(
                    day, values.get("samples_taken", 0), capacity.get(child.pk, 0), values.get("samples_pending", 0)
                ),
            )
        )
    return rows
