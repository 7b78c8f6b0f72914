"""Vaccination coverage indicators, read from the vaccination tallies (never from doses).

People are counted as dose *events*: a person's dose number *n* of a kind exists once (the dose
table's constraint), so, cumulatively up to a day,

- **first dose** = primary doses numbered 1;
- **full primary series** = doses that completed the primary series (a one-dose product's dose 1
  counts in both);
- **booster** = first boosters;

each split by the age band the person was in on the day of the dose.  Coverage is a share of the
population figure of the unit (``territory``'s age bands): first dose, full and booster coverage
are shares of the population aged 18 and over (doses of people 18+ over people 18+).

The four inputs of QĐ 4800/218 (``risk.inputs``): ``dose1_18plus`` (first doses of people 18+),
``full_50plus`` (full series of people 50+), ``full_all`` (full series, all ages, over the whole
population) and ``full_high_risk`` over ``high_risk_population``.  **The high-risk group is the
population aged 65 and over** (the full series given to people 65+ over the 65+ population): QĐ
218 names older people and people with chronic disease; the age band is the part every commune
has a denominator for, on the same basis as the other three inputs (the dose's age band over the
census band).  Priority-group enrolment (chronic disease among them) is voluntary list work: a
commune that has not enrolled its high-risk people would read 0 of 0 and no level, so enrolment
feeds the per-group target view instead (``group_coverage``), not the risk engine.

**When coverage is known.**  A unit's coverage is known when its province has at least one dose
tallied on or before the day: the province then keeps vaccination records, and a commune of it
without a dose has 0% coverage (a real zero).  A province without any dose tallied has no
vaccination records in this system: its coverage is absent (the risk engine reports it as missing
data, never as 0%).

**Dropout** = (first doses − completions) / first doses, counting only first doses (of products
with more than one dose: those that did not complete the series) older than their product's
recommended interval between dose 1 and dose 2 on the day, and the completions (doses numbered 2
or more that completed the series) up to the day.  Completions are not matched to their first dose
(tallies hold no person): a completion earlier than the recommended interval also counts, so the
figure is bounded at 0.  The intervals and the coverage target come from the vaccination
catalogue through ``registry.coverage_parameters`` (the vaccination app registers it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from django.db.models import Case, F, IntegerField, Q, Sum, When

from chongdich.tallies.models import VaccinationTally
from chongdich.tallies.registry import CoverageParameters, coverage_parameters
from chongdich.tallies.selectors import child_code
from chongdich.territory.models import AGE_BANDS, AdminUnit, Level

ADULT_BANDS = ("18_49", "50_64", "65_plus")
OLDER_BANDS = ("50_64", "65_plus")
HIGH_RISK_BANDS = ("65_plus",)

DOSE1 = Q(kind="primary", number=1)
FULL = Q(completes_primary=True)
BOOSTER = Q(kind="booster", number=1)
ADULT = Q(age_band__in=ADULT_BANDS)


def _sum(condition: Q):
    return Sum(Case(When(condition, then="doses"), default=0, output_field=IntegerField()))


MEASURES = {
    "dose1": DOSE1,
    "dose1_18plus": DOSE1 & ADULT,
    "full": FULL,
    "full_18plus": FULL & ADULT,
    "full_50plus": FULL & Q(age_band__in=OLDER_BANDS),
    "full_65plus": FULL & Q(age_band__in=HIGH_RISK_BANDS),
    "booster": BOOSTER,
    "booster_18plus": BOOSTER & ADULT,
    "completed": FULL & Q(kind="primary", number__gte=2),
}
RISK_MEASURES = ("dose1_18plus", "full_50plus", "full", "full_65plus")


def _due(day: date, intervals) -> Q:
    """First doses (not completing the series) older than their product's recommended interval."""
    due = Q(day__lte=day) & ~Q(product__in=list(intervals))
    for product, days in intervals.items():
        due |= Q(product=product, day__lte=day - timedelta(days=days))
    return DOSE1 & Q(completes_primary=False) & due


def _aggregates(day: date, params: CoverageParameters) -> dict:
    return {**{name: _sum(q) for name, q in MEASURES.items()}, "dose1_due": _sum(_due(day, params.intervals))}


def percent(count: int, population: int | None) -> float | None:
    """count / population × 100, or None when the population is unknown or 0."""
    return None if not population else 100 * count / population


@dataclass
class Population:
    total: int | None = None
    adults: int | None = None  # 18+
    older: int | None = None  # 50+
    high_risk: int | None = None  # 65+


@dataclass
class Coverage:
    """Cumulative counts up to a day for a unit's subtree, and its population."""

    known: bool = False
    dose1: int = 0
    dose1_18plus: int = 0
    full: int = 0
    full_18plus: int = 0
    full_50plus: int = 0
    full_65plus: int = 0
    booster: int = 0
    booster_18plus: int = 0
    completed: int = 0
    dose1_due: int = 0
    population: Population = field(default_factory=Population)

    @property
    def dose1_pct(self) -> float | None:
        return percent(self.dose1_18plus, self.population.adults) if self.known else None

    @property
    def full_pct(self) -> float | None:
        return percent(self.full_18plus, self.population.adults) if self.known else None

    @property
    def booster_pct(self) -> float | None:
        return percent(self.booster_18plus, self.population.adults) if self.known else None

    @property
    def full_all_pct(self) -> float | None:
        return percent(self.full, self.population.total) if self.known else None

    @property
    def full_50plus_pct(self) -> float | None:
        return percent(self.full_50plus, self.population.older) if self.known else None

    @property
    def full_high_risk_pct(self) -> float | None:
        return percent(self.full_65plus, self.population.high_risk) if self.known else None

    @property
    def dropout_pct(self) -> float | None:
        if not self.known or not self.dose1_due:
            return None
        return 100 * max(0, self.dose1_due - self.completed) / self.dose1_due


def _fill(coverage: Coverage, row: dict) -> Coverage:
    for name in (*MEASURES, "dose1_due"):
        setattr(coverage, name, row.get(name) or 0)
    return coverage


def _subtree(path: str):
    rows = VaccinationTally.objects.all()
    return rows if path == "/" else rows.filter(unit_path__startswith=path)


def known_provinces(day: date) -> set[str]:
    """Provinces with at least one dose tallied on or before ``day`` (their coverage is known)."""
    return set(
        VaccinationTally.objects.filter(day__lte=day)
        .exclude(doses=0)
        .values_list("province_code", flat=True)
        .distinct()
        .order_by()
    )


def _known(path: str, day: date) -> bool:
    """Known for a unit when its province keeps records (for the nation: any province does)."""
    rows = VaccinationTally.objects.filter(day__lte=day).exclude(doses=0)
    if path != "/":
        province = path.strip("/").split("/")[0]
        rows = rows.filter(province_code=province)
    return rows.exists()


def province_of(path: str) -> str | None:
    return None if path == "/" else path.strip("/").split("/")[0]


# -- population ----------------------------------------------------------------------------------


def _population(total, bands) -> Population:
    young, adults, older, oldest = bands
    return Population(
        total=total,
        adults=None if None in (adults, older, oldest) else adults + older + oldest,
        older=None if None in (older, oldest) else older + oldest,
        high_risk=oldest,
    )


def populations(paths: dict[str, str], day: date) -> dict[str, Population]:
    """Population of each unit (code → path; "/" the nation): its own figures, else the sum of its
    communes' in force on ``day`` (a band is unknown when a commune lacks it).  One query."""
    fields = ("population_total", *AGE_BANDS)
    by_path = {path: code for code, path in paths.items()}
    communes = Q(level=Level.COMMUNE, valid_from__isnull=True) | Q(level=Level.COMMUNE, valid_from__lte=day)
    communes &= Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    common = _common_prefix(list(paths.values()))
    if common != "/":
        communes &= Q(path__startswith=common)
    own: dict[str, list] = {}
    sums: dict[str, list] = {}
    rows = AdminUnit.objects.filter(communes | Q(code__in=list(paths))).values_list("code", "level", "path", *fields)
    for code, level, path, *values in rows.iterator(chunk_size=5000):
        if code in paths:
            own[code] = values
        if level != Level.COMMUNE:
            continue
        prefixes = ["/"] + ["/" + "/".join(path.strip("/").split("/")[:n]) + "/" for n in range(1, path.count("/"))]
        for prefix in prefixes:
            target = by_path.get(prefix)
            if target is None:
                continue
            total = sums.setdefault(target, [0] * len(fields))
            for index, value in enumerate(values):
                total[index] = None if value is None or total[index] is None else total[index] + value
    result = {}
    for code in paths:
        figures = own.get(code) or [None] * len(fields)
        summed = sums.get(code) or [None] * len(fields)
        merged = [mine if mine is not None else total for mine, total in zip(figures, summed, strict=True)]
        result[code] = _population(merged[0], merged[1:])
    return result


def _common_prefix(paths: list[str]) -> str:
    if not paths:
        return "/"
    first, last = min(paths), max(paths)
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    prefix = first[:size]
    return prefix[: prefix.rfind("/") + 1] or "/"


# -- one place, its children -----------------------------------------------------------------------


def coverage_of(code: str, path: str, day: date) -> Coverage:
    """Coverage of a unit's subtree (``path`` "/" for the nation) at the end of ``day``."""
    params = coverage_parameters(day, province_of(path))
    row = _subtree(path).filter(day__lte=day).aggregate(**_aggregates(day, params), any=Sum("doses"))
    # Known when the subtree has a dose; else, below a province, when the province has one.
    whole_province = path.count("/") <= 2
    coverage = _fill(Coverage(known=bool(row["any"]) or (not whole_province and _known(path, day))), row)
    coverage.population = populations({code: path}, day)[code]
    return coverage


def coverage_by_child(parent_path: str, children: dict[str, str], day: date) -> dict[str, Coverage]:
    """Coverage of each child unit (code → path) of ``parent_path``: one grouped query."""
    return _grouped(parent_path, children, day, child_code(parent_path), lambda key: key)


def coverage_by_commune(path: str, communes: dict[str, str], day: date) -> dict[str, Coverage]:
    """Coverage of each commune (code → path) under ``path``: one query grouped by the tally unit."""
    codes = {commune_path: code for code, commune_path in communes.items()}
    return _grouped(path, communes, day, F("unit_path"), codes.get)


def _grouped(path: str, units: dict[str, str], day: date, key, code_of) -> dict[str, Coverage]:
    params = coverage_parameters(day, province_of(path))
    rows = (
        _subtree(path)
        .filter(day__lte=day)
        .annotate(key=key)
        .values("key")
        .annotate(**_aggregates(day, params))
        .order_by()
    )
    by_code = {}
    for row in rows:
        code = code_of(row.pop("key"))
        if code is not None:
            by_code[code] = row
    known = known_provinces(day)
    people = populations(units, day)
    result = {}
    for code, unit_path in units.items():
        coverage = _fill(Coverage(known=_is_known(unit_path, known)), by_code.get(code, {}))
        coverage.population = people[code]
        result[code] = coverage
    return result


def _is_known(path: str, known: set[str]) -> bool:
    province = province_of(path)
    return bool(known) if province is None else province in known


# -- the risk engine's inputs ------------------------------------------------------------------------


def risk_counts(day: date) -> tuple[set[str], dict[int, dict[str, int]]]:
    """(provinces whose coverage is known, {tally unit id: the four counts}) at the end of ``day``,
    for every unit at once: two queries."""
    rows = (
        VaccinationTally.objects.filter(day__lte=day)
        .exclude(doses=0)
        .values("unit_id")
        .annotate(**{name: _sum(MEASURES[name]) for name in RISK_MEASURES})
        .order_by()
    )
    counts = {row.pop("unit_id"): row for row in rows}
    return known_provinces(day), counts


# -- priority groups against the target -----------------------------------------------------------------


@dataclass
class GroupCell:
    enrolled: int = 0
    dose1: int = 0
    full: int = 0

    def pct(self, measure: str) -> float | None:
        return percent(getattr(self, measure), self.enrolled)


@dataclass
class GroupTable:
    day: date
    target_pct: Fraction
    groups: list[tuple[str, tuple[str, str]]]  # (code, (name vi, en)): the catalogue's order, then others seen
    cells: dict[str, dict[str, GroupCell]]  # child code (or the place's code for its total) → group → cell

    def met(self, cell: GroupCell, measure: str) -> bool | None:
        pct = cell.pct(measure)
        return None if pct is None else Fraction(getattr(cell, measure) * 100, cell.enrolled) >= self.target_pct


def group_coverage(code: str, parent_path: str, children: dict[str, str], day: date) -> GroupTable:
    """Per child unit × priority group: people enrolled (the group's denominator, a stock), first
    doses and full series given to people of the group (the dose's group when given), up to ``day``;
    and the place's totals under its own code.  One grouped query."""
    params = coverage_parameters(day, province_of(parent_path))
    rows = (
        _subtree(parent_path)
        .filter(day__lte=day)
        .exclude(priority_group="")
        .annotate(child=child_code(parent_path))
        .values("child", "priority_group")
        .annotate(enrolled=Sum("enrolled"), dose1=_sum(DOSE1), full=_sum(FULL))
        .order_by()
    )
    cells: dict[str, dict[str, GroupCell]] = defaultdict(dict)
    seen = set()
    for row in rows:
        group = row["priority_group"]
        seen.add(group)
        values = (row["enrolled"] or 0, row["dose1"] or 0, row["full"] or 0)
        targets = [code] + ([row["child"]] if row["child"] in children else [])
        for target in targets:
            cell = cells[target].setdefault(group, GroupCell())
            cell.enrolled += values[0]
            cell.dose1 += values[1]
            cell.full += values[2]
    groups = list(params.groups.items())
    groups += [(g, (g, g)) for g in sorted(seen - set(params.groups))]
    return GroupTable(day, Fraction(params.target_pct), groups, dict(cells))
