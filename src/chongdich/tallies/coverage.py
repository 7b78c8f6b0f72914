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

from django.db import connection
from django.db.models import Case, IntegerField, Q, Sum, When

from chongdich.tallies.models import (
    CUMULATIVE_FIELDS,
    GROUP_CUMULATIVE_FIELDS,
    VaccinationCumulative,
    VaccinationGroupCumulative,
)
from chongdich.tallies.registry import CoverageParameters, coverage_parameters
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


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def known_provinces(day: date) -> set[str]:
    """Provinces with at least one dose tallied on or before ``day`` (their coverage is known): one
    probe of the running totals per province code."""
    cumulative, units = _table(VaccinationCumulative), _table(AdminUnit)
    sql = (
        f"SELECT x.code FROM (SELECT DISTINCT province_code AS code FROM {units}) x "  # noqa: S608 - fixed SQL
        f"WHERE EXISTS (SELECT 1 FROM {cumulative} c WHERE c.province_code = x.code AND c.day <= %s AND c.doses > 0)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datefield_value(day)])
        return {code for (code,) in cursor.fetchall()}


def unit_totals(
    path: str, day: date, params: CoverageParameters, known: set[str], *, dropout: bool = True
) -> dict[int, tuple[str, dict]]:
    """{tally unit id: (its path, {measure: count up to the end of ``day``, "dose1_due": …})} for the
    tally units under ``path`` ("/" the nation) in the provinces of ``known``, from the running totals
    (``VaccinationCumulative``): for each unit and product, the latest row on or before the day (and,
    for dropout, on or before the day less the product's interval) — index probes, one query.  The
    products are found with a recursive skip over the key's index (one probe per product).  On
    PostgreSQL one query (``LATERAL``); elsewhere the picked rows are then read by id.  Without
    ``dropout`` the second probe is skipped ("dose1_due" is 0: the tile and the map show no dropout)."""
    if not known:
        return {}
    cumulative, units = _table(VaccinationCumulative), _table(AdminUnit)
    adapt = connection.ops.adapt_datefield_value
    due_params: list = []
    if params.intervals:
        whens = []
        for product, days in sorted(params.intervals.items()):
            whens.append("WHEN %s THEN %s")
            due_params += [product, adapt(day - timedelta(days=days))]
        due = f"CASE products.p {' '.join(whens)} ELSE %s END"
        due_params.append(adapt(day))
    else:
        due, due_params = "%s", [adapt(day)]
    where, where_params = f"u.province_code IN ({', '.join(['%s'] * len(known))})", sorted(known)
    if path != "/":
        where += " AND u.path LIKE %s"
        where_params.append(path + "%")
    probe = (
        f"SELECT c.id FROM {cumulative} c WHERE c.product = products.p AND c.unit_id = u.id AND c.day <= {{}} "
        f"ORDER BY c.day DESC LIMIT 1"
    )
    if connection.vendor == "postgresql":
        return _unit_totals_lateral(cumulative, units, day, due, due_params, where, where_params, dropout)
    if not dropout:
        due, due_params = "NULL", []
    sql = (
        f"WITH RECURSIVE products(p) AS ("  # noqa: S608 - fixed SQL
        f"SELECT CAST(MIN(product) AS TEXT) FROM {cumulative} UNION ALL "
        f"SELECT (SELECT CAST(MIN(product) AS TEXT) FROM {cumulative} WHERE product > products.p) "
        f"FROM products WHERE products.p IS NOT NULL) "
        f"SELECT u.id, u.path, ({probe.format('%s')}), ({probe.format(due)}) FROM {units} u CROSS JOIN products "
        f"WHERE products.p IS NOT NULL AND {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [adapt(day), *due_params, *where_params])
        picks = [row for row in cursor.fetchall() if row[2] is not None]
    # The picked rows by id (a join would let the planner scan the whole table instead).
    ids = sorted({row_id for pick in picks for row_id in pick[2:] if row_id is not None})
    values: dict[int, tuple] = {}
    for start in range(0, len(ids), 5000):
        rows = VaccinationCumulative.objects.filter(pk__in=ids[start : start + 5000])
        values.update((row[0], row[1:]) for row in rows.values_list("pk", *CUMULATIVE_FIELDS).order_by())
    open_at = CUMULATIVE_FIELDS.index("dose1_open")
    result: dict[int, tuple[str, dict]] = {}
    for unit_id, unit_path, now_id, due_id in picks:
        _path, measures = result.setdefault(unit_id, (unit_path, dict.fromkeys((*CUMULATIVE_FIELDS, "dose1_due"), 0)))
        for name, value in zip(CUMULATIVE_FIELDS, values[now_id], strict=True):
            measures[name] += value
        if due_id is not None:
            measures["dose1_due"] += values[due_id][open_at]
    return result


def _unit_totals_lateral(cumulative, units, day, due, due_params, where, where_params, dropout):
    """``unit_totals`` on PostgreSQL: the probes as ``LATERAL`` subqueries, summed per unit, one query."""
    adapt = connection.ops.adapt_datefield_value
    sums = ", ".join(f'SUM(n."{name}")' for name in CUMULATIVE_FIELDS)
    due_join, due_sum = "", "0"
    if dropout:
        due_join = (
            f"LEFT JOIN LATERAL (SELECT c.dose1_open FROM {cumulative} c WHERE c.product = products.p "
            f"AND c.unit_id = u.id AND c.day <= {due} ORDER BY c.day DESC LIMIT 1) d ON TRUE "
        )
        due_sum = "SUM(COALESCE(d.dose1_open, 0))"
    else:
        due_params = []
    fields = ", ".join(f'c."{name}"' for name in CUMULATIVE_FIELDS)
    sql = (
        f"WITH RECURSIVE products(p) AS ("  # noqa: S608 - fixed SQL
        f"SELECT CAST(MIN(product) AS TEXT) FROM {cumulative} UNION ALL "
        f"SELECT (SELECT CAST(MIN(product) AS TEXT) FROM {cumulative} WHERE product > products.p) "
        f"FROM products WHERE products.p IS NOT NULL) "
        f"SELECT u.id, u.path, {sums}, {due_sum} FROM {units} u CROSS JOIN products "
        f"JOIN LATERAL (SELECT {fields} FROM {cumulative} c WHERE c.product = products.p AND c.unit_id = u.id "
        f"AND c.day <= %s ORDER BY c.day DESC LIMIT 1) n ON TRUE {due_join}"
        f"WHERE products.p IS NOT NULL AND {where} GROUP BY u.id, u.path"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [adapt(day), *due_params, *where_params])
        rows = cursor.fetchall()
    return {
        unit_id: (
            unit_path,
            dict(zip((*CUMULATIVE_FIELDS, "dose1_due"), (int(v or 0) for v in values), strict=True)),
        )
        for unit_id, unit_path, *values in rows
    }


def _add(total: dict, measures: dict) -> None:
    for name, value in measures.items():
        total[name] = total.get(name, 0) + value


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


def coverage_of(code: str, path: str, day: date, *, dropout: bool = True) -> Coverage:
    """Coverage of a unit's subtree (``path`` "/" for the nation) at the end of ``day`` (without
    ``dropout``: no dropout figure, one probe less per unit and product)."""
    params = coverage_parameters(day, province_of(path))
    known = known_provinces(day)
    row: dict = {}
    for _unit_path, measures in unit_totals(path, day, params, known, dropout=dropout).values():
        _add(row, measures)
    # Known when the subtree's province keeps records (for the nation: when any province does).
    coverage = _fill(Coverage(known=_is_known(path, known)), row)
    coverage.population = populations({code: path}, day)[code]
    return coverage


def coverage_by_child(
    parent_path: str, children: dict[str, str], day: date, *, dropout: bool = True
) -> dict[str, Coverage]:
    """Coverage of each child unit (code → path) of ``parent_path``: the tally units' totals summed
    under the path segment after the parent's (the child's code)."""
    return _grouped(
        parent_path, children, day, lambda unit_path: unit_path[len(parent_path) :].split("/")[0], dropout=dropout
    )


def coverage_by_commune(path: str, communes: dict[str, str], day: date, *, dropout: bool = True) -> dict[str, Coverage]:
    """Coverage of each commune (code → path) under ``path``: its tally unit's totals."""
    codes = {commune_path: code for code, commune_path in communes.items()}
    return _grouped(path, communes, day, codes.get, dropout=dropout)


def _grouped(path: str, units: dict[str, str], day: date, code_of, *, dropout: bool = True) -> dict[str, Coverage]:
    params = coverage_parameters(day, province_of(path))
    known = known_provinces(day)
    by_code: dict[str, dict] = {}
    for unit_path, measures in unit_totals(path, day, params, known, dropout=dropout).values():
        code = code_of(unit_path)
        if code in units:
            _add(by_code.setdefault(code, {}), measures)
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
    for every tally unit with a dose at once: two queries on the running totals."""
    known = known_provinces(day)
    totals = unit_totals("/", day, coverage_parameters(day), known, dropout=False)
    counts = {
        unit_id: {name: measures[name] for name in RISK_MEASURES}
        for unit_id, (_path, measures) in totals.items()
        if measures["doses"]
    }
    return known, counts


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
    and the place's totals under its own code.  From the groups' running totals
    (``VaccinationGroupCumulative``): the latest row on or before the day of each tally unit and
    group — index probes, then the rows by id."""
    params = coverage_parameters(day, province_of(parent_path))
    cumulative, units = _table(VaccinationGroupCumulative), _table(AdminUnit)
    adapt = connection.ops.adapt_datefield_value
    # Provinces with priority-group figures (one probe each), then their units under the place.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT x.code FROM (SELECT DISTINCT province_code AS code FROM {units}) x "  # noqa: S608 - fixed SQL
            f"WHERE EXISTS (SELECT 1 FROM {cumulative} c WHERE c.province_code = x.code AND c.day <= %s)",
            [adapt(day)],
        )
        provinces = sorted(code for (code,) in cursor.fetchall())
        picks = []
        if provinces:
            where = f"u.province_code IN ({', '.join(['%s'] * len(provinces))})"
            where_params = list(provinces)
            if parent_path != "/":
                where += " AND u.path LIKE %s"
                where_params.append(parent_path + "%")
            cursor.execute(
                f"WITH RECURSIVE groups(g) AS ("  # noqa: S608 - fixed SQL
                f"SELECT CAST(MIN(priority_group) AS TEXT) FROM {cumulative} UNION ALL "
                f"SELECT (SELECT CAST(MIN(priority_group) AS TEXT) FROM {cumulative} WHERE priority_group > groups.g) "
                f"FROM groups WHERE groups.g IS NOT NULL) "
                f"SELECT u.path, groups.g, (SELECT c.id FROM {cumulative} c WHERE c.priority_group = groups.g "
                f"AND c.unit_id = u.id AND c.day <= %s ORDER BY c.day DESC LIMIT 1) FROM {units} u "
                f"CROSS JOIN groups WHERE groups.g IS NOT NULL AND {where}",
                [adapt(day), *where_params],
            )
            picks = [row for row in cursor.fetchall() if row[2] is not None]
    ids = sorted({row_id for _path, _group, row_id in picks})
    values: dict[int, tuple] = {}
    for start in range(0, len(ids), 5000):
        rows = VaccinationGroupCumulative.objects.filter(pk__in=ids[start : start + 5000])
        values.update((row[0], row[1:]) for row in rows.values_list("pk", *GROUP_CUMULATIVE_FIELDS).order_by())
    cells: dict[str, dict[str, GroupCell]] = defaultdict(dict)
    seen = set()
    for unit_path, group, row_id in picks:
        enrolled, dose1, full = values[row_id]
        if not (enrolled or dose1 or full):
            continue
        seen.add(group)
        child = unit_path[len(parent_path) :].split("/")[0]
        targets = [code] + ([child] if child in children else [])
        for target in targets:
            cell = cells[target].setdefault(group, GroupCell())
            cell.enrolled += enrolled
            cell.dose1 += dose1
            cell.full += full
    groups = list(params.groups.items())
    groups += [(g, (g, g)) for g in sorted(seen - set(params.groups))]
    return GroupTable(day, Fraction(params.target_pct), groups, dict(cells))
