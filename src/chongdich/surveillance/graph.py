"""The transmission-chain graph: one page of a chain, laid out with networkx, drawn as inline SVG.

A chain of 10,000 cases cannot be drawn at once and stay readable, so a page holds at most
``PER_PAGE`` nodes: the chain's cases confirmed in a date window, in date order, and — when asked —
the F1/F2 of those cases.  Everything else (the other pages, the weeks outside the window) is
summarised next to the graph.  The page costs a handful of queries whatever the chain's size.

The layout is networkx's spring layout with a fixed seed (the same page always looks the same);
"timeline" keeps its vertical spread but places nodes left to right by date.  The SVG is plain
markup: colours carry the rank and outcome, ``<title>`` the labels (shown on hover, read by screen
readers), links open the case — no JavaScript.  People outside the user's area appear as "a case in
<commune> (other area)", without name or link.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

import networkx as nx
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from chongdich.core import clock
from chongdich.core.roles import Cap
from chongdich.core.scoping import Scope, scope_for
from chongdich.surveillance.chains import cases_of
from chongdich.surveillance.models import Chain, Contact, ContactStatus, Exposure, ExposureKind, Outcome
from chongdich.surveillance.selectors import commune_names

# Nodes per page at most.  Keep it under 500: above, networkx lays out with scipy (not installed).
PER_PAGE = 300
CONTACT_SHARE = 3  # with contacts shown, a page holds PER_PAGE // 3 cases and fills the rest with their F1/F2
WIDTH, HEIGHT, MARGIN = 960, 600, 18
SEED = 7

CASE_COLOURS = {
    Outcome.ACTIVE: "#c62828",
    Outcome.RECOVERED: "#2e7d32",
    Outcome.DIED: "#212121",
    Outcome.TRANSFERRED_OUT: "#78909c",
}
RANK_COLOURS = {1: "#ef6c00", 2: "#fbc02d"}
EDGE_COLOURS = {
    ExposureKind.HOUSEHOLD: "#6a1b9a",
    ExposureKind.PHYSICAL_CONTACT: "#d81b60",
    ExposureKind.CLOSE_MASKED: "#1e88e5",
    ExposureKind.CLOSE_UNMASKED: "#f4511e",
    ExposureKind.SAME_ENCLOSED_SPACE: "#00897b",
    ExposureKind.CARE_WITHOUT_PPE: "#6d4c41",
    ExposureKind.OTHER: "#9e9e9e",
}


@dataclass(frozen=True)
class Window:
    start: date | None = None
    end: date | None = None
    page: int = 1
    contacts: bool = False
    layout: str = "network"  # or "timeline"
    case: int | None = None  # a case to highlight (and whose page to open when no page is asked)
    per_page: int = PER_PAGE

    @property
    def cases_per_page(self) -> int:
        return max(1, self.per_page // CONTACT_SHARE) if self.contacts else self.per_page


@dataclass
class Node:
    person_id: int
    day: date
    rank: int  # 0 for a case
    fill: str
    title: str
    url: str = ""
    highlight: bool = False
    x: str = ""
    y: str = ""

    @property
    def r(self) -> str:
        return "7" if self.rank == 0 else "4.5"


@dataclass
class Edge:
    a: int
    b: int
    colour: str
    title: str
    x1: str = ""
    y1: str = ""
    x2: str = ""
    y2: str = ""


@dataclass
class CaseRow:
    pk: int
    case_number: str
    confirmed_on: date
    outcome: str
    outcome_label: str
    in_scope: bool
    name: str = ""
    birth_year: int | None = None
    area: str = ""
    highlight: bool = False


@dataclass
class ChainPage:
    root: Chain
    window: Window
    total: int  # cases of the chain in the window
    page: int
    pages: int
    cases: list[CaseRow]
    nodes: list[Node]
    edges: list[Edge]
    contacts_omitted: int = 0
    width: int = WIDTH
    height: int = HEIGHT
    legend_edges: list[tuple[str, str]] = field(default_factory=list)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _day(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _window_cases(root: Chain, window: Window):
    cases = cases_of(root)
    if window.start:
        cases = cases.filter(confirmed_on__gte=window.start)
    if window.end:
        cases = cases.filter(confirmed_on__lte=window.end)
    return cases


def _page_of_case(cases, case_id: int, per_page: int) -> int | None:
    """The page (1-based) on which a case falls in date order, or None when it is not in the window."""
    target = cases.filter(pk=case_id).values_list("confirmed_on", flat=True).first()
    if target is None:
        return None
    before = cases.filter(Q(confirmed_on__lt=target) | Q(confirmed_on=target, pk__lt=case_id)).count()
    return before // per_page + 1


def _case_rows(rows: list[dict], scope: Scope, highlight: int | None) -> list[CaseRow]:
    outcome_labels = dict(Outcome.choices)
    result = []
    outside = {row["commune_code"] for row in rows if not scope.contains(row["unit_path"])}
    names = commune_names(outside)
    for row in rows:
        in_scope = scope.contains(row["unit_path"])
        result.append(
            CaseRow(
                pk=row["pk"],
                case_number=row["case_number"],
                confirmed_on=row["confirmed_on"],
                outcome=row["outcome"],
                outcome_label=str(outcome_labels.get(row["outcome"], row["outcome"])),
                in_scope=in_scope,
                name=row["person__full_name"] if in_scope else "",
                birth_year=row["person__birth_year"] if in_scope else None,
                area=names.get(row["commune_code"], "") if not in_scope else row["unit__name"],
                highlight=row["pk"] == highlight,
            )
        )
    return result


def _case_nodes(rows: list[dict], cases: list[CaseRow]) -> dict[int, Node]:
    nodes: dict[int, Node] = {}
    for row, case in zip(rows, cases, strict=False):
        if row["person_id"] in nodes:  # the same person twice in a chain (reinfection): one node
            continue
        who = (
            f"{case.name} ({case.birth_year})" if case.in_scope else _("in %(area)s (other area)") % {"area": case.area}
        )
        nodes[row["person_id"]] = Node(
            person_id=row["person_id"],
            day=case.confirmed_on,
            rank=0,
            fill=CASE_COLOURS.get(case.outcome, "#c62828"),
            title=f"F0 {case.case_number} · {who} · {_day(case.confirmed_on)} · {case.outcome_label}",
            url=reverse("surveillance:detail", args=[case.pk]) if case.in_scope else "",
            highlight=case.highlight,
        )
    return nodes


def _contact_nodes(
    case_ids: list[int], taken: set[int], budget: int, window: Window, scope: Scope
) -> tuple[dict[int, Node], int]:
    """F1/F2 of the page's cases who are not cases on the page, lowest rank first, up to ``budget``
    people; and how many more there are."""
    contacts = (
        Contact.objects.filter(index_case_id__in=case_ids, rank__lte=2)
        .exclude(status=ContactStatus.BECAME_CASE)
        .exclude(person_id__in=taken)
    )
    if window.start:
        contacts = contacts.filter(last_exposure__gte=window.start)
    if window.end:
        contacts = contacts.filter(first_exposure__lte=window.end)
    fields = (
        "person_id",
        "rank",
        "status",
        "last_exposure",
        "unit_path",
        "commune_code",
        "person__full_name",
        "person__birth_year",
    )
    chosen: dict[int, dict] = {}
    # A person is often the contact of several cases of the page: read a few rows more than needed.
    for row in contacts.order_by("rank", "-last_exposure", "pk").values(*fields)[: budget * 3]:
        if len(chosen) < budget:
            chosen.setdefault(row["person_id"], row)
    everyone = contacts.values("person_id").distinct().count()
    names = commune_names(row["commune_code"] for row in chosen.values() if not scope.contains(row["unit_path"]))
    status_labels = dict(ContactStatus.choices)
    nodes = {}
    for person_id, row in chosen.items():
        in_scope = scope.contains(row["unit_path"])
        who = (
            f"{row['person__full_name']} ({row['person__birth_year']})"
            if in_scope
            else _("in %(area)s (other area)") % {"area": names.get(row["commune_code"], "")}
        )
        nodes[person_id] = Node(
            person_id=person_id,
            day=row["last_exposure"],
            rank=row["rank"],
            fill=RANK_COLOURS[row["rank"]],
            title=f"F{row['rank']} · {who} · {status_labels.get(row['status'], row['status'])}",
            url=reverse("people:detail", args=[person_id]) if in_scope else "",
        )
    return nodes, max(0, everyone - len(nodes))


def _edges(person_ids: list[int], window: Window) -> list[Edge]:
    exposures = Exposure.objects.filter(source_id__in=person_ids, contact_id__in=person_ids)
    if window.end:
        exposures = exposures.filter(start__lt=clock.start_of(window.end + timedelta(days=1)))
    kinds = dict(ExposureKind.choices)
    seen: set[tuple[int, int]] = set()
    edges = []
    for source, contact, kind, start in exposures.order_by("start").values_list(
        "source_id", "contact_id", "kind", "start"
    ):
        pair = (min(source, contact), max(source, contact))
        if pair in seen or source == contact:
            continue
        seen.add(pair)
        edges.append(
            Edge(
                a=source,
                b=contact,
                colour=EDGE_COLOURS.get(kind, "#9e9e9e"),
                title=f"{kinds.get(kind, kind)} · {_day(timezone.localtime(start).date())}",
            )
        )
    return edges


def layout(
    nodes: dict[int, Node], edges: list[Edge], how: str = "network", width: int = WIDTH, height: int = HEIGHT
) -> None:
    """Place the nodes (x, y as SVG strings: never localised, "12,5" would break the drawing)."""
    if not nodes:
        return
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((e.a, e.b) for e in edges)
    # Spring layout with a fixed seed: stable pictures.  k a little above 1/sqrt(n) spreads isolated cases.
    positions = nx.spring_layout(graph, seed=SEED, iterations=50, k=1.5 / math.sqrt(max(len(nodes), 1)))
    xs = {n: float(p[0]) for n, p in positions.items()}
    ys = {n: float(p[1]) for n, p in positions.items()}
    if how == "timeline":
        first = min(node.day for node in nodes.values())
        xs = {n: float((node.day - first).days) for n, node in nodes.items()}
    _fit(nodes, xs, ys, width, height)
    for edge in edges:
        a, b = nodes[edge.a], nodes[edge.b]
        edge.x1, edge.y1, edge.x2, edge.y2 = a.x, a.y, b.x, b.y


def _fit(nodes: dict[int, Node], xs: dict[int, float], ys: dict[int, float], width: int, height: int) -> None:
    def scale(values: dict[int, float], size: int) -> dict[int, float]:
        low, high = min(values.values()), max(values.values())
        span = high - low
        if span == 0:
            return {n: size / 2 for n in values}
        return {n: MARGIN + (v - low) / span * (size - 2 * MARGIN) for n, v in values.items()}

    sx, sy = scale(xs, width), scale(ys, height)
    for key, node in nodes.items():
        node.x, node.y = f"{sx[key]:.1f}", f"{sy[key]:.1f}"


def build(root: Chain, user, window: Window) -> ChainPage:
    """One page of a chain for ``user``: the window's cases (and perhaps their F1/F2), laid out."""
    scope = scope_for(user, Cap.CASES_VIEW)
    cases = _window_cases(root, window)
    per_page = window.cases_per_page
    total = cases.count()
    pages = max(1, math.ceil(total / per_page))
    page = window.page
    if window.case and window.page == 1:
        page = _page_of_case(cases, window.case, per_page) or 1
    page = min(max(page, 1), pages)
    rows = list(
        cases.order_by("confirmed_on", "pk").values(
            "pk",
            "person_id",
            "case_number",
            "confirmed_on",
            "outcome",
            "unit_path",
            "commune_code",
            "unit__name",
            "person__full_name",
            "person__birth_year",
        )[(page - 1) * per_page : page * per_page]
    )
    case_rows = _case_rows(rows, scope, window.case)
    nodes = _case_nodes(rows, case_rows)
    omitted = 0
    if window.contacts and rows:
        budget = window.per_page - len(nodes)
        contact_nodes, omitted = _contact_nodes([row["pk"] for row in rows], set(nodes), budget, window, scope)
        nodes.update(contact_nodes)
    edges = _edges(list(nodes), window)
    layout(nodes, edges, window.layout)
    kinds = dict(ExposureKind.choices)
    present = {e.colour for e in edges}
    legend = [(colour, str(kinds[kind])) for kind, colour in EDGE_COLOURS.items() if colour in present]
    return ChainPage(
        root=root,
        window=window,
        total=total,
        page=page,
        pages=pages,
        cases=case_rows,
        nodes=list(nodes.values()),
        edges=edges,
        contacts_omitted=omitted,
        legend_edges=legend,
    )


def case_legend() -> list[tuple[str, str]]:
    labels = dict(Outcome.choices)
    return [(colour, f"F0 · {labels[outcome]}") for outcome, colour in CASE_COLOURS.items()] + [
        (RANK_COLOURS[1], "F1"),
        (RANK_COLOURS[2], "F2"),
    ]
