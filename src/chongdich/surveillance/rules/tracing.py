"""Tracing ranks over a contact graph: F0 = 0, F1 = 1, F2 = 2 … up to ``max_rank`` (F3–F5 are
local practice [R]).  A person's rank is the smallest over all chains of exposures from any F0.

Which exposures link whom [D]:

- from an F0, an exposure meeting the F1 definition (R-50) in force on its day(s) gives rank 1;
  with ``periods`` given, only inside that F0's infectious period;
- from an F0, an exposure meeting only the F2 link rule (R-51: within 2 m) gives rank 2 — the
  F0 counts at least as an F1 for onward contacts, so promoting an F1 to F0 never lowers anyone's
  vigilance (ranks only move up);
- from rank r ≥ 1, an exposure meeting the F2 link rule gives rank r + 1 (F3–F5 reuse it).

Exposures are symmetric (either side may be the infected one) and only those that began on or
before ``as_of`` count.  The F2 time window (between the F1's exposure and isolation) is not
checked here — ``classify_secondary`` does that when a contact is recorded.  ``qualify=False``
takes every exposure as meeting both rules (links already judged by the tracer).

Cost: building is one pass over the exposures; ranking is a bucketed breadth-first search,
O(V + E).  ``ContactGraph`` is built once and ranked many times (``ranks`` for a new F0 set,
``promote`` for F1s becoming F0 — it revisits only people whose rank improves).
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from datetime import date, datetime
from typing import Any

from chongdich.surveillance.rules.config import F1_KEY, F2_KEY, TRACING_KEY, SurveillanceConfig, resolve
from chongdich.surveillance.rules.dates import as_date
from chongdich.surveillance.rules.definitions import F1Rule, F2Rule, compile_f1, compile_f2
from chongdich.surveillance.rules.errors import ConfigError, InputError
from chongdich.surveillance.rules.exposure import Exposure, ExposureKind, exposure_kind
from chongdich.surveillance.rules.infectious import InfectiousPeriod

F1_LINK = 1  # meets the F1 definition (from an F0)
ONWARD_LINK = 2  # meets the F2 link rule (from an F0 or any traced contact)
_FAR = 1 << 30

# (source, contact, kind, start, end, distance_m, duration_min, masked)
Row = tuple[
    Hashable,
    Hashable,
    ExposureKind | str,
    date | datetime,
    date | datetime | None,
    float | None,
    float | None,
    bool | None,
]


class ContactGraph:
    """Qualified exposures as an adjacency structure.  Person ids are any hashable values."""

    __slots__ = ("_adj", "_ends", "_flags", "_first", "_last", "max_rank", "edges")

    def __init__(self, max_rank: int = 5):
        # person → half-edge numbers: 2·i (side a of edge i) or 2·i + 1 (side b)
        self._adj: defaultdict[Hashable, list[int]] = defaultdict(list)
        self._ends: list[Hashable] = []  # [a0, b0, a1, b1, …]: the other end of half-edge j is _ends[j ^ 1]
        self._flags = bytearray()  # per edge: F1_LINK | ONWARD_LINK
        self._first: array[int] | None = array("l")  # per edge: first and last day (ordinals), None without dates
        self._last: array[int] | None = array("l")
        self.max_rank = _check_rank(max_rank)
        self.edges = 0

    # -- building ----------------------------------------------------------------------------
    @classmethod
    def from_exposures(
        cls,
        exposures: Iterable[Exposure],
        as_of: date,
        config: SurveillanceConfig | None = None,
        *,
        province: str | None = None,
        qualify: bool = True,
    ) -> ContactGraph:
        """Judge each exposure (``source`` and ``contact`` required) and keep those that link."""
        rows = (
            (e.source, e.contact, e.kind, e.start, e.end, e.distance_m, e.duration_min, e.masked) for e in exposures
        )
        return cls.from_rows(rows, as_of, config, province=province, qualify=qualify)

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[Row],
        as_of: date,
        config: SurveillanceConfig | None = None,
        *,
        province: str | None = None,
        qualify: bool = True,
    ) -> ContactGraph:
        """Like ``from_exposures`` from plain tuples ``(source, contact, kind, start, end,
        distance_m, duration_min, masked)`` — e.g. a database ``values_list`` — without building
        an ``Exposure`` per row: each distinct (rule, kind, distance, minutes, mask) is judged
        once (and validated as an ``Exposure``)."""
        config = resolve(config)
        graph = cls(_check_rank(config.rule(TRACING_KEY, as_of, province).values["max_rank"], config=True))
        rules: dict[date, tuple[int, tuple[F1Rule, F2Rule]]] = {}  # day → (token of the rule pair, pair)
        tokens: dict[tuple[int, int], int] = {}
        judged: dict[tuple[Any, ...], int] = {}  # (token, kind, distance, minutes, masked) → flags: rows repeat
        limit = as_of.toordinal()
        adj, ends, edge_flags = graph._adj, graph._ends, graph._flags
        firsts, lasts = graph._first, graph._last
        assert firsts is not None and lasts is not None
        both = F1_LINK | ONWARD_LINK
        j = 0
        for a, b, kind, start, end, distance, duration, masked in rows:
            first = start if type(start) is date else as_date(start, "start")
            last = first if end is None else end if type(end) is date else as_date(end, "end")
            if first > as_of:
                continue
            if a is None or b is None:
                raise InputError(
                    "source" if a is None else "contact", "tiếp xúc thiếu mã người", "exposure without a person id"
                )
            if a == b:
                continue
            if not qualify:
                flags = both
            elif first == last:
                slot = rules.get(first)
                if slot is None:
                    pair = _rules_on(config, first, province)
                    slot = rules[first] = (tokens.setdefault((id(pair[0]), id(pair[1])), len(tokens)), pair)
                if duration is None and isinstance(start, datetime) and isinstance(end, datetime):
                    duration = (end - start).total_seconds() / 60
                key = (slot[0], kind, distance, duration, masked)
                flags = judged.get(key, -1)
                if flags < 0:
                    probe = Exposure(exposure_kind(kind), first, None, distance, duration, masked)
                    flags = judged[key] = _flags(slot[1], probe)
            else:
                probe = Exposure(exposure_kind(kind), start, end, distance, duration, masked)
                flags = 0
                for day in sorted(
                    {
                        *config.boundaries(F1_KEY, first, min(last, as_of), province),
                        *config.boundaries(F2_KEY, first, min(last, as_of), province),
                    }
                ):
                    flags |= _flags(_rules_on(config, day, province), probe)
            if not flags:
                continue
            ends.append(a)
            ends.append(b)
            edge_flags.append(flags)
            firsts.append(first.toordinal())
            lasts.append(min(last.toordinal(), limit))
            adj[a].append(j)
            adj[b].append(j + 1)
            j += 2
        graph.edges = j // 2
        return graph

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[Hashable, Hashable]], max_rank: int = 5) -> ContactGraph:
        """Links already judged (e.g. contacts stored by tracers): each pair links both ways,
        as F1 from an F0 and onward.  No dates: ``periods`` cannot be used with this graph."""
        graph = cls(max_rank)
        graph._first = graph._last = None
        adj, ends = graph._adj, graph._ends
        flags = graph._flags
        j = 0
        for a, b in pairs:
            if a == b:
                continue
            ends.append(a)
            ends.append(b)
            flags.append(F1_LINK | ONWARD_LINK)
            adj[a].append(j)
            adj[b].append(j + 1)
            j += 2
        graph.edges = j // 2
        return graph

    # -- ranking -----------------------------------------------------------------------------
    def ranks(
        self,
        f0_ids: Iterable[Hashable],
        max_rank: int | None = None,
        periods: Mapping[Hashable, InfectiousPeriod] | None = None,
    ) -> dict[Hashable, int]:
        """Minimum rank of every person reachable within ``max_rank`` (F0s are 0)."""
        rank: dict[Hashable, int] = {}
        start = []
        for person in f0_ids:
            if person not in rank:
                rank[person] = 0
                start.append(person)
        return self._relax(rank, start, max_rank, periods)

    def promote(
        self,
        current: Mapping[Hashable, int],
        new_f0_ids: Iterable[Hashable],
        max_rank: int | None = None,
        periods: Mapping[Hashable, InfectiousPeriod] | None = None,
    ) -> dict[Hashable, int]:
        """``current`` ranks after ``new_f0_ids`` became F0 (e.g. F1s who tested positive):
        equal to ``ranks(old F0s + new F0s)`` but visiting only the people whose rank improves.
        ``current`` must come from this graph with the same ``max_rank`` and ``periods``."""
        rank = dict(current)
        start = []
        for person in new_f0_ids:
            if rank.get(person) != 0:
                rank[person] = 0
                start.append(person)
        return self._relax(rank, start, max_rank, periods)

    def _relax(
        self,
        rank: dict[Hashable, int],
        sources: list[Hashable],
        max_rank: int | None,
        periods: Mapping[Hashable, InfectiousPeriod] | None,
    ) -> dict[Hashable, int]:
        top = self.max_rank if max_rank is None else _check_rank(max_rank)
        if periods is not None and self._first is None:
            raise InputError(
                "periods", "đồ thị dựng từ cặp không có ngày tiếp xúc", "a graph built from pairs has no exposure dates"
            )
        adj, ends, flags = self._adj, self._ends, self._flags
        buckets: list[list[Hashable]] = [[] for _ in range(top + 2)]
        buckets[0] = sources
        get = rank.get
        for r in range(top):
            bucket = buckets[r]
            if not bucket:
                continue
            one = r + 1
            for u in bucket:
                if rank[u] != r:
                    continue  # improved again after it was queued here
                half_edges = adj.get(u)
                if not half_edges:
                    continue
                if r == 0:
                    window = None
                    if periods is not None and u in periods:
                        window = _window(periods[u])
                    for j in half_edges:
                        f = flags[j >> 1]
                        if window is not None and not _overlaps(self, j >> 1, window):
                            continue
                        new = 1 if f & F1_LINK else 2
                        if new > top:
                            continue
                        v = ends[j ^ 1]
                        if get(v, _FAR) > new:
                            rank[v] = new
                            buckets[new].append(v)
                else:
                    queue = buckets[one]
                    for j in half_edges:
                        if flags[j >> 1] & ONWARD_LINK:
                            v = ends[j ^ 1]
                            if get(v, _FAR) > one:
                                rank[v] = one
                                queue.append(v)
        return rank


def ranks(
    f0_ids: Iterable[Hashable],
    exposures: Iterable[Exposure],
    as_of: date,
    config: SurveillanceConfig | None = None,
    max_rank: int | None = None,
    *,
    province: str | None = None,
    periods: Mapping[Hashable, InfectiousPeriod] | None = None,
    qualify: bool = True,
) -> dict[Hashable, int]:
    """``{person: rank}`` for every person within ``max_rank`` (default: the configured 5) of
    an F0 — 0 for F0, 1 for F1, … (``ContactLevel(rank)`` names it).  ``periods`` maps an F0 to
    its infectious period; an F0 without one is not limited in time.  Builds a ``ContactGraph``;
    build it yourself to rank the same exposures repeatedly."""
    graph = ContactGraph.from_exposures(exposures, as_of, config, province=province, qualify=qualify)
    return graph.ranks(f0_ids, max_rank, periods)


def _rules_on(config: SurveillanceConfig, day: date, province: str | None) -> tuple[F1Rule, F2Rule]:
    return (
        config.compiled(F1_KEY, day, province, compile_f1)[1],
        config.compiled(F2_KEY, day, province, compile_f2)[1],
    )


def _flags(pair: tuple[F1Rule, F2Rule], e: Exposure) -> int:
    return (F1_LINK if pair[0].judge(e)[0] is True else 0) | (ONWARD_LINK if pair[1].judge(e)[0] is True else 0)


def _window(period: InfectiousPeriod) -> tuple[int, int]:
    return period.start.toordinal(), _FAR_DAY if period.last_day is None else period.last_day.toordinal()


def _overlaps(graph: ContactGraph, edge: int, window: tuple[int, int]) -> bool:
    assert graph._first is not None and graph._last is not None
    return bool(graph._first[edge] <= window[1] and graph._last[edge] >= window[0])


def _check_rank(value: object, config: bool = False) -> int:
    if type(value) is not int or not 1 <= value <= 20:
        if config:
            raise ConfigError(f"{TRACING_KEY}.max_rank: expected an integer from 1 to 20, got {value!r}")
        raise InputError(
            "max_rank",
            f"phải là số nguyên từ 1 đến 20, nhận {value!r}",
            f"must be an integer from 1 to 20, got {value!r}",
        )
    return value


_FAR_DAY = date.max.toordinal()
