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

from chongdich.core.access import get_for_user_or_404, get_in_scope_or_404
from chongdich.core.roles import Cap
from chongdich.core.scoping import Scope, for_user, scope_for, within_unit
from chongdich.people.models import Person
from chongdich.people.selectors import people_for, search_people
from chongdich.surveillance import chains, placement
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


def cases_for(user, capability: str = Cap.CASES_VIEW) -> QuerySet[Case]:
    return Case.objects.for_user(user, capability)


def contacts_for(user, capability: str = Cap.CASES_VIEW) -> QuerySet[Contact]:
    return Contact.objects.for_user(user, capability)


def clusters_for(user, capability: str = Cap.CASES_VIEW) -> QuerySet[Cluster]:
    return Cluster.objects.for_user(user, capability)


def case_page_case(user, pk) -> Case:
    """A case for its page (display fields, the facility's name), or 404."""
    return get_in_scope_or_404(placement.facilities().with_names(with_display(cases_for(user))), pk=pk)


def editable_case(user, pk) -> Case:
    return get_for_user_or_404(Case.objects.select_related("person", "cluster", "unit"), user, Cap.CASES_EDIT, pk=pk)


def episodes_of(case: Case) -> QuerySet[TreatmentEpisode]:
    """The case's treatment episodes, in order, with the facility's name."""
    return placement.facilities().with_names(case.episodes.all())


def active_case_of(person: Person) -> Case | None:
    return Case.objects.filter(person=person, outcome=Outcome.ACTIVE).first()


def latest_case_of(person: Person) -> Case | None:
    return Case.objects.filter(person=person).order_by("-confirmed_on").first()


def case_with_unit(user, pk, capability: str) -> Case:
    return get_for_user_or_404(Case.objects.select_related("person", "unit"), user, capability, pk=pk)


def cluster_of(user, pk, capability: str = Cap.CASES_VIEW) -> Cluster:
    return get_for_user_or_404(Cluster.objects.select_related("unit"), user, capability, pk=pk)


def traceable_people(user) -> QuerySet[Person]:
    """People whose exposures the user may record (either side of an exposure)."""
    return people_for(user).select_related("unit")


def pick_candidates(user, query: str, people: QuerySet[Person], *, besides=None, limit: int) -> list[Person]:
    """People of ``people`` matching ``query`` (name, CCCD, phone…), at most ``limit``, without ``besides``."""
    if not query:
        return []
    found = search_people(user, query, base=people)
    if besides is not None:
        found = found.exclude(pk=besides.pk)
    return list(found[:limit])


def confirmable_people(user) -> QuerySet[Person]:
    """People a case may be confirmed for: active residents of the user's area."""
    return Person.objects.for_user(user, Cap.CASES_EDIT).active().select_related("unit")


def contact_row(user, pk, capability: str = Cap.CASES_VIEW) -> Contact:
    """A contact record with what its work-list row shows, or 404."""
    contacts = contacts_for(user, capability).select_related("person", "unit", "unit__parent", "index_case", "via")
    return get_in_scope_or_404(contacts, pk=pk)


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
    """Cases in scope narrowed by the list filters (the list page and its export share them)."""
    return narrow_cases(cases_for(user, capability), user, data)


def narrow_cases(cases: QuerySet[Case], user, data: dict) -> QuerySet[Case]:
    """``cases`` (already scoped) narrowed by the list filters' valid values (``filters.CaseFilter``)."""
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


def work_rows(user, contacts) -> list[Contact]:
    """Contact rows marked with what the user may see (details, their F0, the F1 they came through)
    and do (update the status: only where the contact lives)."""
    scope, editable = scope_for(user, Cap.CASES_VIEW), edit_scope(user)
    rows = mark_scope(contacts, scope)
    for row in rows:
        row.can_edit = editable.contains(row.unit_path)
        row.index_in_scope = scope.contains(row.index_case.unit_path)
        row.via_in_scope = row.via_id is not None and scope.contains(row.via.unit_path)
    return rows


def _by_status(contacts: QuerySet[Contact], status: str | None) -> QuerySet[Contact]:
    """ "open" is every contact still being traced (not released, not a case)."""
    if status == "open":
        return contacts.filter(status__in=OPEN_STATUSES)
    return contacts.filter(status=status) if status else contacts


def case_contacts(case: Case) -> QuerySet[Contact]:
    """Contacts of a case (every residence: the page hides the details of those outside the area)."""
    contacts = Contact.objects.filter(index_case=case).select_related(
        "person", "unit", "unit__parent", "via", "index_case"
    )
    return contacts.order_by("rank", "status", "-last_exposure", "pk")


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


def work_contacts(user) -> QuerySet[Contact]:
    """Contacts who live in the user's area, to find first (the commune-wide tracing list)."""
    contacts = contacts_for(user).select_related("person", "unit", "unit__parent", "index_case", "via")
    return contacts.order_by("rank", "-last_exposure", "pk")


def narrow_contacts(contacts: QuerySet[Contact], user, data: dict) -> QuerySet[Contact]:
    """The filters of the tracing lists: status ("open" is every contact still being traced), rank,
    unit code (its subtree, within the list's scope) and a search on the person."""
    contacts = _by_status(contacts, data.get("status"))
    if data.get("rank"):
        contacts = contacts.filter(rank=data["rank"])
    if data.get("unit"):
        contacts, _unit = within_unit(contacts, data["unit"])
    if data.get("q"):
        contacts = contacts.filter(person__in=search_people(user, data["q"], base=Person.objects.active()).values("pk"))
    return contacts


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
    return for_user(chains.cases_of(root), user, Cap.CASES_VIEW).exists()


def visible_root(user, chain_id: int) -> Chain | None:
    """The root chain of ``chain_id`` if the user sees one of its cases, else None."""
    root = chains.root(chain_id)
    return root if root is not None and chain_visible(user, root) else None


CHAIN_ORDER = {"active": ("-active", "-size", "-pk"), "size": ("-size", "-pk"), "recent": ("-last_date", "-pk")}


def root_chains(user) -> QuerySet[Chain]:
    """The chains list: root chains with a case in the user's area, with their clusters."""
    return chains_for(user).prefetch_related("clusters")


def narrow_chains(roots: QuerySet[Chain], data: dict) -> QuerySet[Chain]:
    """At least ``min_size`` cases; in the ``order`` asked for (most active cases first by default)."""
    if data.get("min_size"):
        roots = roots.filter(size__gte=data["min_size"])
    return roots.order_by(*CHAIN_ORDER.get(data.get("order") or "active", CHAIN_ORDER["active"]))


def chain_clusters(root: Chain | None) -> list[Cluster]:
    return list(root.clusters.all()) if root is not None else []


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


@dataclass
class ClusterPage:
    cases: list[Case]  # the cluster's cases in the user's scope, latest first (at most 200)
    chains: QuerySet[Chain]  # root chains linked to the cluster, most active first (at most 50)
    totals: dict  # counts of every area's cases (not personal data): total, active


def cluster_page(user, cluster: Cluster) -> ClusterPage:
    cases = with_display(cases_for(user).filter(cluster=cluster)).order_by("-confirmed_on", "-pk")
    roots = Chain.objects.filter(
        pk__in=Chain.objects.filter(clusters=cluster).values(root=Coalesce("parent_id", "id"))
    ).order_by("-active", "-size")
    totals = Case.objects.filter(cluster=cluster).aggregate(
        total=Count("pk"), active=Count("pk", filter=Q(outcome=Outcome.ACTIVE))
    )
    return ClusterPage(list(cases[:200]), roots[:50], totals)


def clusters_with_counts(user) -> QuerySet[Cluster]:
    """Clusters in scope with their numbers of cases (counts of every area: not personal data)."""
    return (
        clusters_for(user)
        .select_related("unit")
        .annotate(
            n_cases=Count("cases", distinct=True),
            n_active=Count("cases", filter=Q(cases__outcome=Outcome.ACTIVE), distinct=True),
        )
        .order_by("-opened_on", "pk")
    )


def narrow_clusters(clusters: QuerySet[Cluster], data: dict) -> QuerySet[Cluster]:
    """``clusters`` narrowed by the list filters' valid values (``filters.ClusterFilter``)."""
    if data.get("q"):
        clusters = clusters.filter(name__icontains=data["q"])
    if data.get("setting"):
        clusters = clusters.filter(setting=data["setting"])
    if data.get("state") == "open":
        clusters = clusters.filter(closed_on__isnull=True)
    elif data.get("state") == "closed":
        clusters = clusters.filter(closed_on__isnull=False)
    return clusters
