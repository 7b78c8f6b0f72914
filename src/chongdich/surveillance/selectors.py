"""Read queries of the surveillance pages, always through the user's scope.

Cases, exposures and clusters are scoped by their own unit; contacts by the contact's residence
(a commune sees the F1 who live there even when the F0 lives elsewhere).  Chains have no unit: a
user sees a chain when at least one of its cases is in their scope, and its other cases only as
"a case in <commune> (other area)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, TruncWeek

from chongdich.core.roles import Cap
from chongdich.core.scoping import Scope, ScopedQuerySet, path_filter, scope_for, within_unit
from chongdich.people.models import Person
from chongdich.people.selectors import search_people
from chongdich.surveillance import chains
from chongdich.surveillance.models import (
    Case,
    Chain,
    Cluster,
    Contact,
    ContactStatus,
    Exposure,
    Outcome,
    TreatmentEpisode,
)
from chongdich.territory.models import AdminUnit

_CASE_NUMBER = re.compile(r"^\s*(?:bn\s*)?(\d{1,3})\s*-\s*(\d{1,7})\s*$", re.IGNORECASE)
_SHORT_NUMBER = re.compile(r"^\s*(?:bn\s*)?(\d{1,5})\s*$", re.IGNORECASE)  # 6+ digits: a CCCD prefix or a phone
# Work-list ranks: F1 and F2 are the national definitions, F3 local practice (see contacts.py).
RANKS = (1, 2, 3)
OPEN_STATUSES = (ContactStatus.TO_FIND, ContactStatus.REACHED, ContactStatus.TESTED, ContactStatus.ISOLATED)


def _scoped(queryset: QuerySet, user, capability: str) -> QuerySet:
    # CaseQuerySet is a plain QuerySet (it has no ``for_user``): apply the scope filter the same way.
    return ScopedQuerySet.for_user(queryset, user, capability)


def cases_for(user, capability: str = Cap.CASES_VIEW) -> QuerySet[Case]:
    return _scoped(Case.objects.all(), user, capability)


def contacts_for(user, capability: str = Cap.CASES_VIEW) -> QuerySet[Contact]:
    return Contact.objects.for_user(user, capability)


def clusters_for(user, capability: str = Cap.CASES_VIEW) -> QuerySet[Cluster]:
    return Cluster.objects.for_user(user, capability)


def edit_scope(user) -> Scope:
    return scope_for(user, Cap.CASES_EDIT)


# -- cases ------------------------------------------------------------------------------------


def canonical_case_number(text: str, province_code: str) -> str | None:
    """ "70-00012", "BN 70-12" → "70-00012"; "12" → the case 12 of ``province_code``; None for anything else."""
    match = _CASE_NUMBER.match(text)
    if match:
        return f"{match.group(1)}-{int(match.group(2)):05d}"
    match = _SHORT_NUMBER.match(text)
    return f"{province_code}-{int(match.group(1)):05d}" if match else None


def case_number_query(text: str) -> Q | None:
    """A condition on the case number when ``text`` is one ("12" matches case 12 of every province)."""
    match = _CASE_NUMBER.match(text)
    if match:
        return Q(case_number=f"{match.group(1)}-{int(match.group(2)):05d}")
    match = _SHORT_NUMBER.match(text)
    return Q(case_number__endswith=f"-{int(match.group(1)):05d}") if match else None


def search_cases(user, cases: QuerySet[Case], text: str) -> QuerySet[Case]:
    """By case number, else by the person's CCCD, phone or name (the people search, diacritics optional)."""
    condition = case_number_query(text)
    if condition is not None:
        return cases.filter(condition)
    return cases.filter(person__in=search_people(user, text, base=Person.objects.active()).values("pk"))


def episodes_on(day, place: str | None = None) -> QuerySet[TreatmentEpisode]:
    """The episode of the outer case that covers the end of ``day`` (episodes end exclusive), as the
    tallies count "under treatment" — optionally only at one treatment place."""
    episodes = TreatmentEpisode.objects.filter(case=OuterRef("pk"), start__lte=day).filter(
        Q(end__isnull=True) | Q(end__gt=day)
    )
    return episodes.filter(place=place) if place else episodes


def filter_cases(user, data: dict, capability: str = Cap.CASES_VIEW) -> QuerySet[Case]:
    """Cases in scope narrowed by the list filters (the list page and its export share it)."""
    cases = cases_for(user, capability)
    if data.get("q"):
        cases = search_cases(user, cases, data["q"])
    for name in ("outcome", "detected_in", "severity"):
        if data.get(name):
            cases = cases.filter(**{name: data[name]})
    if data.get("active_on"):
        cases = cases.filter(Exists(episodes_on(data["active_on"], data.get("treatment_place"))))
    elif data.get("treatment_place"):
        cases = cases.filter(treatment_place=data["treatment_place"])
    if data.get("outcome_from"):
        cases = cases.filter(outcome_on__gte=data["outcome_from"])
    if data.get("outcome_to"):
        cases = cases.filter(outcome_on__lte=data["outcome_to"])
    if data.get("cluster"):
        cases = cases.filter(cluster=data["cluster"])
    if data.get("confirmed_from"):
        cases = cases.filter(confirmed_on__gte=data["confirmed_from"])
    if data.get("confirmed_to"):
        cases = cases.filter(confirmed_on__lte=data["confirmed_to"])
    if data.get("unit"):
        cases, _unit = within_unit(cases, data["unit"])
    return cases


def with_display(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What a case row shows, fetched in the same query."""
    return cases.select_related("person", "unit", "unit__parent", "cluster")


def commune_names(codes) -> dict[str, str]:
    codes = {c for c in codes if c}
    if not codes:
        return {}
    return dict(AdminUnit.objects.filter(code__in=codes).values_list("code", "name"))


# -- contacts and exposures of a case ----------------------------------------------------------


@dataclass
class ContactCounts:
    """Contacts of one index case by rank × tracing status (for the case page and its work list)."""

    by_rank: dict[int, dict[str, int]] = field(default_factory=dict)

    def total(self, rank: int | None = None) -> int:
        ranks = [rank] if rank is not None else list(self.by_rank)
        return sum(sum(self.by_rank.get(r, {}).values()) for r in ranks)

    def rows(self) -> list[tuple[int, list[int], int]]:
        """(rank, [count per status in ContactStatus order], total) for a table."""
        return [
            (rank, [self.by_rank[rank].get(s, 0) for s in ContactStatus.values], self.total(rank))
            for rank in sorted(self.by_rank)
        ]


def contact_counts(case: Case) -> ContactCounts:
    counts = ContactCounts()
    for rank, status, n in (
        Contact.objects.filter(index_case=case).values_list("rank", "status").annotate(n=Count("pk")).order_by()
    ):
        counts.by_rank.setdefault(rank, {})[status] = n
    return counts


def mark_scope(rows, scope: Scope) -> list:
    """Set ``in_scope`` on scoped records and, for those outside it, ``area_name`` (their commune),
    in one query for all."""
    rows = list(rows)
    outside = []
    for row in rows:
        row.in_scope = scope.contains(row.unit_path)
        if not row.in_scope:
            outside.append(row)
    names = commune_names(row.commune_code for row in outside)
    for row in outside:
        row.area_name = names.get(row.commune_code, "")
    return rows


def _by_status(contacts: QuerySet[Contact], status: str | None) -> QuerySet[Contact]:
    """ "open" is every contact still being traced (not released, not a case)."""
    if status == "open":
        return contacts.filter(status__in=OPEN_STATUSES)
    return contacts.filter(status=status) if status else contacts


def case_contacts(case: Case, *, rank: int | None = None, status: str | None = None) -> QuerySet[Contact]:
    """Contacts of a case (every residence: the page hides the details of those outside the area)."""
    contacts = Contact.objects.filter(index_case=case).select_related(
        "person", "unit", "unit__parent", "via", "index_case"
    )
    if rank:
        contacts = contacts.filter(rank=rank)
    return _by_status(contacts, status).order_by("rank", "status", "-last_exposure", "pk")


def person_exposures(person: Person, scope: Scope, limit: int = 200) -> list[Exposure]:
    """Exposures of a person in either direction, each with ``other`` (the other person) marked by scope."""
    exposures = list(
        Exposure.objects.filter(Q(source=person) | Q(contact=person))
        .select_related("source", "contact", "cluster")
        .order_by("-start", "-pk")[:limit]
    )
    for exposure in exposures:
        exposure.other = exposure.contact if exposure.source_id == person.pk else exposure.source
        exposure.outgoing = exposure.source_id == person.pk
    mark_scope([e.other for e in exposures], scope)  # marks the person objects in place
    return exposures


# -- work lists --------------------------------------------------------------------------------


def worklist(user, data: dict) -> QuerySet[Contact]:
    """Contacts who live in the user's area, to find first (the commune-wide tracing list)."""
    contacts = _by_status(
        contacts_for(user).select_related("person", "unit", "unit__parent", "index_case", "via"), data.get("status")
    )
    if data.get("rank"):
        contacts = contacts.filter(rank=data["rank"])
    if data.get("unit"):
        contacts, _unit = within_unit(contacts, data["unit"])
    if data.get("q"):
        contacts = contacts.filter(person__in=search_people(user, data["q"], base=Person.objects.active()).values("pk"))
    return contacts.order_by("rank", "-last_exposure", "pk")


# -- chains ------------------------------------------------------------------------------------


def _root_ids_of(cases: QuerySet[Case]):
    return cases.exclude(chain=None).values(root=Coalesce("chain__parent_id", "chain_id"))


def chains_for(user) -> QuerySet[Chain]:
    """Root chains with at least one case in the user's scope."""
    roots = Chain.objects.filter(parent__isnull=True)
    scope = scope_for(user, Cap.CASES_VIEW)
    if scope.empty:
        return roots.none()
    if scope.everything:
        return roots
    return roots.filter(pk__in=_root_ids_of(cases_for(user)))


def chain_visible(user, root: Chain) -> bool:
    scope = scope_for(user, Cap.CASES_VIEW)
    if scope.empty:
        return False
    condition = path_filter(scope)
    return scope.everything or chains.cases_of(root).filter(condition).exists()


def case_chain(case: Case) -> Chain | None:
    """The root chain of a case (one query)."""
    return chains.root(case.chain_id)


@dataclass
class Week:
    start: date
    cases: int
    active: int
    share: float  # of the busiest week, for the bar


def weekly_summary(root: Chain) -> list[Week]:
    """Cases of a chain per week of confirmation (one aggregate query, any chain size)."""
    rows = (
        chains.cases_of(root)
        .annotate(week=TruncWeek("confirmed_on"))
        .values("week")
        .annotate(n=Count("pk"), active=Count("pk", filter=Q(outcome=Outcome.ACTIVE)))
        .order_by("week")
    )
    weeks = []
    for row in rows:
        week = row["week"]
        weeks.append(
            Week(start=week.date() if hasattr(week, "date") else week, cases=row["n"], active=row["active"], share=0)
        )
    busiest = max((w.cases for w in weeks), default=0)
    for week in weeks:
        week.share = week.cases / busiest if busiest else 0
    return weeks


# -- clusters ----------------------------------------------------------------------------------


def clusters_with_counts(user, data: dict) -> QuerySet[Cluster]:
    """Clusters in scope with their numbers of cases (counts of every area: not personal data)."""
    clusters = (
        clusters_for(user)
        .select_related("unit")
        .annotate(
            n_cases=Count("cases", distinct=True),
            n_active=Count("cases", filter=Q(cases__outcome=Outcome.ACTIVE), distinct=True),
        )
    )
    if data.get("q"):
        clusters = clusters.filter(name__icontains=data["q"])
    if data.get("setting"):
        clusters = clusters.filter(setting=data["setting"])
    if data.get("state") == "open":
        clusters = clusters.filter(closed_on__isnull=True)
    elif data.get("state") == "closed":
        clusters = clusters.filter(closed_on__isnull=False)
    return clusters.order_by("-opened_on", "pk")
