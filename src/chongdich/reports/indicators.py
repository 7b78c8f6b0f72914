"""The indicators of the daily situation report (vn-covid-rules.md §6), read from the tallies and
the published risk levels.

``figures(unit, day, cut_off)`` returns a JSON-ready snapshot::

    {"v": 2, "unit": {...}, "day": "2021-08-20", "cut_off": "18:00",
     "values":   {row key: [of the day, cumulative or current]},   # flows: [day, Σ ≤ day]; stocks: [Δ day, level]
     "capacity": {kind: [places, occupied]},
     "level":    {"framework", "level", "pending": [framework, level, iso] | None} | None,
     "children": [{"code", "name", "level": {...} | None, "values": {child key: n}}]}

Rows and labels live here (``BLOCKS``), so a stored snapshot is shown in any language.  Blocks the
system holds no data for yet (arrivals from epidemic areas, international arrivals, vaccination,
re-positive cases, samples by group) are listed with ``missing=True`` and shown as "not recorded in
the system", never as zero.  F1 found, F1 who completed quarantine, F2 found and the community
fever-cough screening come from their own tally fields (``tallies.models``).

The cut-off.  Tallies are counted by the day of the event (a case on the day it was confirmed); the
report of day D gives the figures up to D at the cut-off hour ("tính đến 18 giờ").  A record entered
on D after the cut-off — a case confirmed on D but typed in at 19:35 — is left out of D's report and
counts in the report of D+1, "of the day" included (``late_entries``: the contributions dated D of
the records created on D after the cut-off, read from the few records entered in those hours, never a
whole table).  A record entered on a later day for an earlier date corrects that earlier day (a sent
report then says its figures changed); it is not counted again as new.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.core.text import fold
from chongdich.reports.models import DEFAULT_CUT_OFF, ReportSetting
from chongdich.risk import selectors as risk
from chongdich.tallies.engine import UNITS, Contribution
from chongdich.tallies.models import ACTIVE_FIELDS, ALL_FIELDS, DailyTally
from chongdich.tallies.registry import SOURCES
from chongdich.territory.models import AdminUnit, Level

VERSION = 2
REPORTED_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
FLOW, STOCK, MISSING = "flow", "stock", "missing"


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    kind: str = FLOW  # flow: [of the day, cumulative]; stock: [change of the day, current]; missing
    indent: int = 0


@dataclass(frozen=True)
class Block:
    key: str
    title: str
    rows: tuple[Row, ...] = ()
    missing: bool = False  # the whole block is not recorded in the system yet
    note: str = ""
    table: str = "rows"  # rows | capacity (places, occupied, free) | levels (risk levels)


BLOCKS: tuple[Block, ...] = (
    Block(
        "f0",
        _("Cases (F0)"),
        (
            Row("f0_new", _("New cases")),
            Row("f0_new_community", _("in the community"), indent=1),
            Row("f0_new_unknown_source", _("of which source unknown"), indent=2),
            Row("f0_new_isolated", _("found in quarantine, lockdown or at the border"), indent=1),
            Row("f0_active", _("Under treatment"), STOCK),
            Row("f0_active_hospital", _("in hospital"), STOCK, 1),
            Row("f0_active_field_hospital", _("in field hospitals"), STOCK, 1),
            Row("f0_active_treatment_area", _("in treatment areas"), STOCK, 1),
            Row("f0_active_concentrated", _("in concentrated facilities"), STOCK, 1),
            Row("f0_active_home", _("at home"), STOCK, 1),
            Row("f0_hospitalised", _("Admitted to hospital")),
            Row("f0_recovered", _("Recovered, discharged")),
            Row("f0_deaths", _("Deaths")),
            Row("f0_transferred", _("Transferred out")),
            Row("f0_repositive", _("Re-positive after recovery"), MISSING),
        ),
    ),
    Block(
        "contacts",
        _("Contacts (F1, F2)"),
        (
            Row("f1_new", _("F1 found")),
            Row("f1_quarantine", _("F1 in quarantine"), STOCK),
            Row("f1_home", _("at home"), STOCK, 1),
            Row("f1_facility", _("in concentrated facilities"), STOCK, 1),
            Row("f1_completed", _("F1 who completed quarantine")),
            Row("f2_new", _("F2 found")),
        ),
        note=_(
            "F1 and F2 found are counted per contact record (as on the tracing list). Quarantine figures are "
            "people currently in quarantine; the column of the day shows the net change."
        ),
    ),
    Block("arrivals", _("Arrivals from epidemic areas"), missing=True),
    Block("international", _("International arrivals"), missing=True),
    Block(
        "fever",
        _("Community fever and cough"),
        (
            Row("fever_sampled", _("People with fever or cough sampled")),
            Row("fever_tested", _("with a result"), indent=1),
            Row("fever_positive", _("positive"), indent=2),
        ),
    ),
    Block(
        "sampling",
        _("Sampling and testing"),
        (
            Row("samples_taken", _("Samples taken")),
            Row("tests_done", _("Tests with a result")),
            Row("tests_positive", _("positive"), indent=1),
            Row("tests_negative", _("negative"), indent=1),
            Row("samples_pending", _("Waiting for a result"), STOCK),
            Row("samples_by_group", _("By group (F1, F2, lockdown area, fever and cough, other)"), MISSING),
        ),
    ),
    Block("capacity", _("Beds and quarantine places"), table="capacity"),
    Block("vaccination", _("Vaccination"), missing=True),
    Block("levels", _("Epidemic risk levels"), table="levels"),
)

CAPACITY = (  # kind, label, places field, occupied field
    ("quarantine", _("Concentrated quarantine places"), "quarantine_capacity", "quarantine_occupied"),
    ("treatment", _("Treatment beds"), "treatment_capacity", "treatment_occupied"),
    ("oxygen", _("Oxygen beds"), "oxygen_capacity", "oxygen_occupied"),
    ("icu", _("ICU beds"), "icu_capacity", "icu_occupied"),
)

CHILD_COLUMNS = (  # key, label
    ("f0_new", _("New cases")),
    ("f0_cumulative", _("Cases, cumulative")),
    ("f0_active", _("Under treatment")),
    ("f1_quarantine", _("F1 in quarantine")),
    ("samples_taken", _("Samples of the day")),
    ("deaths", _("Deaths, cumulative")),
)

ROWS = {row.key: row for block in BLOCKS for row in block.rows}


# --- reading the tallies --------------------------------------------------------------------------


@dataclass
class Sums:
    """Per tally field: the value of the day and the sum up to the day (a flow's cumulative, a
    stock's level at the end of the day)."""

    day: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ALL_FIELDS, 0))
    upto: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ALL_FIELDS, 0))

    def add(self, row: dict) -> None:
        for name in ALL_FIELDS:
            self.day[name] += row[f"d_{name}"] or 0
            self.upto[name] += row[f"c_{name}"] or 0


def moment(day: date, cut_off: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, cut_off))


def _entered_between(model, queryset, unit_path: str, start: datetime, end: datetime):
    """Records of ``model`` created in [start, end) that may count under ``unit_path``: their own unit,
    or the facility they are in (a bed counts where the facility is)."""
    names = {f.name for f in model._meta.get_fields()}
    if "created_at" not in names:
        return None
    where = Q()
    if "unit_path" in names:
        where |= Q(unit_path__startswith=unit_path)
    if "facility" in names:
        where |= Q(facility__unit_path__startswith=unit_path)
    return queryset.filter(where, created_at__gte=start, created_at__lt=end)


def late_entries(unit_path: str, day: date, cut_off: time) -> dict[str, Counter]:
    """Per commune path under ``unit_path``: the tally contributions dated ``day`` of the records created
    on ``day`` after the cut-off — what D's tallies hold but D's report must leave to the next day."""
    start, end = moment(day, cut_off), moment(day + timedelta(days=1), time.min)
    result: dict[str, Counter] = {}
    if start >= clock.now():
        return result  # nothing can have been entered after a cut-off still to come
    for model, queryset in SOURCES.items():
        records = _entered_between(model, queryset(), unit_path, start, end)
        if records is None:
            continue
        for record in records.iterator(chunk_size=500):
            for contribution in record.tally_contributions():
                if not isinstance(contribution, Contribution):
                    continue  # cluster and vaccination tallies are not in the report's columns
                unit_id, when, name, delta = contribution
                path = UNITS.path_and_province(unit_id)[0]
                if when == day and path.startswith(unit_path):
                    result.setdefault(path, Counter())[name] += delta
    return result


def _cut_off_rows(unit_path: str, day: date, cut_off: time) -> list[dict]:
    """Rows shaped like ``_sums_by_path``'s that move the late entries: out of day D (and of its
    cumulative), into D+1's day column (D−1's late entries arrive in D's)."""
    rows: dict[str, dict] = {}

    def row(path: str) -> dict:
        return rows.setdefault(path, {"unit_path": path, **{f"{k}_{n}": 0 for k in ("d", "c") for n in ALL_FIELDS}})

    for path, late in late_entries(unit_path, day, cut_off).items():
        for name, delta in late.items():
            row(path)[f"d_{name}"] -= delta
            row(path)[f"c_{name}"] -= delta
    for path, arrived in late_entries(unit_path, day - timedelta(days=1), cut_off).items():
        for name, delta in arrived.items():
            row(path)[f"d_{name}"] += delta
    return list(rows.values())


def cut_off_of(unit: AdminUnit) -> time:
    """The province's cut-off hour (18:00 unless the province set another)."""
    setting = ReportSetting.objects.filter(province__code=unit.province_code).first()
    return setting.cut_off if setting else DEFAULT_CUT_OFF


def _sums_by_path(unit_path: str, day: date) -> list[dict]:
    """One grouped query: per commune path under ``unit_path``, the day's values and the sums up to it."""
    aggregates = {}
    for name in ALL_FIELDS:
        aggregates[f"c_{name}"] = Sum(name)
        aggregates[f"d_{name}"] = Sum(name, filter=Q(day=day))
    return list(
        DailyTally.objects.filter(unit_path__startswith=unit_path, day__lte=day)
        .values("unit_path")
        .order_by()
        .annotate(**aggregates)
    )


def _values(sums: Sums) -> dict[str, list[int]]:
    d, c = sums.day, sums.upto

    def both(name: str) -> list[int]:
        return [d[name], c[name]]

    def total(*names: str) -> list[int]:
        return [sum(d[n] for n in names), sum(c[n] for n in names)]

    return {
        "f0_new": total("cases_new_community", "cases_new_isolated"),
        "f0_new_community": both("cases_new_community"),
        "f0_new_unknown_source": both("cases_new_community_unknown_source"),
        "f0_new_isolated": both("cases_new_isolated"),
        "f0_active": total(*ACTIVE_FIELDS),
        "f0_active_hospital": both("active_hospital"),
        "f0_active_field_hospital": both("active_field_hospital"),
        "f0_active_treatment_area": both("active_treatment_area"),
        "f0_active_concentrated": both("active_concentrated"),
        "f0_active_home": both("active_home"),
        "f0_hospitalised": both("cases_hospitalised"),
        "f0_recovered": both("cases_recovered"),
        "f0_deaths": both("cases_died"),
        "f0_transferred": both("cases_transferred_out"),
        "f1_new": both("f1_new"),
        "f1_quarantine": total("f1_home_quarantine", "f1_facility_quarantine"),
        "f1_home": both("f1_home_quarantine"),
        "f1_facility": both("f1_facility_quarantine"),
        "f1_completed": both("f1_completed"),
        "f2_new": both("f2_new"),
        "fever_sampled": both("fever_sampled"),
        "fever_tested": both("fever_tested"),
        "fever_positive": both("fever_positive"),
        "samples_taken": both("samples_taken"),
        "tests_done": both("tests_done"),
        "tests_positive": both("tests_positive"),
        "tests_negative": [d["tests_done"] - d["tests_positive"], c["tests_done"] - c["tests_positive"]],
        "samples_pending": both("samples_pending"),
    }


def _capacity(sums: Sums) -> dict[str, list[int]]:
    return {kind: [sums.upto[places], sums.upto[occupied]] for kind, _label, places, occupied in CAPACITY}


def _child_values(sums: Sums) -> dict[str, int]:
    values = _values(sums)
    return {
        "f0_new": values["f0_new"][0],
        "f0_cumulative": values["f0_new"][1],
        "f0_active": values["f0_active"][1],
        "f1_quarantine": values["f1_quarantine"][1],
        "samples_taken": values["samples_taken"][0],
        "deaths": values["f0_deaths"][1],
    }


def _level(published) -> dict | None:
    if published is None:
        return None
    pending = published.pending
    return {
        "framework": published.framework or "",
        "level": published.level,
        "pending": [pending[0], pending[1], pending[2].isoformat()] if pending else None,
    }


def children_of(unit: AdminUnit) -> list[AdminUnit]:
    """The units a report lists under ``unit``: a province's districts (or communes, in the 2025
    structure), a district's communes; a commune's villages have no tallies of their own."""
    if unit.level == Level.COMMUNE:
        return []
    children = AdminUnit.objects.filter(parent=unit, level__in=(Level.DISTRICT, Level.COMMUNE))
    return sorted(children, key=lambda child: fold(child.name))  # by name without diacritics: Đ comes with D


def figures(unit: AdminUnit, day: date, cut_off: time | None = None) -> dict:
    """The report's figures for ``unit`` on ``day`` up to the cut-off hour (the province's by default),
    from the tallies and the published levels."""
    cut_off = cut_off or cut_off_of(unit)
    depth = len(unit.path.strip("/").split("/")) + 1
    total = Sums()
    by_child: dict[str, Sums] = {}
    for row in [*_sums_by_path(unit.path, day), *_cut_off_rows(unit.path, day, cut_off)]:
        total.add(row)
        parts = row["unit_path"].strip("/").split("/")
        if len(parts) >= depth:
            child_path = "/" + "/".join(parts[:depth]) + "/"
            by_child.setdefault(child_path, Sums()).add(row)
    children = children_of(unit)
    child_levels = {}
    if children:
        child_levels = {item.row.code: item for item in risk.published(day, parent=unit)}
    return {
        "v": VERSION,
        "unit": {"code": unit.code, "name": unit.name, "level": unit.level},
        "day": day.isoformat(),
        "cut_off": cut_off.strftime("%H:%M"),
        "values": _values(total),
        "capacity": _capacity(total),
        "level": _level(risk.published_level(unit.code, day)),
        "children": [
            {
                "code": child.code,
                "name": child.name,
                "level": _level(child_levels.get(child.code)),
                "values": _child_values(by_child.get(child.path, Sums())),
            }
            for child in children
        ],
    }


# --- comparing a stored snapshot with the live figures -------------------------------------------


@dataclass
class Change:
    label: str
    before: int | str
    after: int | str
    unit: str = ""


def changes(stored: dict, live: dict) -> list[Change]:
    """What differs between a report's stored figures and the live ones (labels in the active language)."""
    found: list[Change] = []
    for block in BLOCKS:
        for row in block.rows:
            old, new = stored.get("values", {}).get(row.key), live.get("values", {}).get(row.key)
            if row.kind != MISSING and old != new:
                found.append(Change(str(row.label), _pair(old), _pair(new)))
    for kind, label, _places, _occupied in CAPACITY:
        old, new = stored.get("capacity", {}).get(kind), live.get("capacity", {}).get(kind)
        if old != new:
            found.append(Change(str(label), _pair(old), _pair(new)))
    labels = dict(CHILD_COLUMNS)
    live_children = {child["code"]: child for child in live.get("children", [])}
    for child in stored.get("children", []):
        now = live_children.get(child["code"], {}).get("values", {})
        for key, value in child.get("values", {}).items():
            if now.get(key) != value:
                found.append(Change(str(labels.get(key, key)), value, now.get(key, "—"), child["name"]))
    return found


def _pair(value) -> str:
    return "—" if value is None else " / ".join(str(v) for v in value)


# --- what the page, the PDF and the Excel sheet show ----------------------------------------------


@dataclass
class Line:
    label: str
    kind: str
    indent: int
    day: int | None = None  # of the day (flow) or change of the day (stock)
    total: int | None = None  # cumulative (flow) or current (stock)

    @property
    def missing(self) -> bool:
        return self.kind == MISSING


@dataclass
class Section:
    number: int
    key: str
    title: str
    missing: bool
    note: str
    table: str
    lines: list[Line]


@dataclass
class CapacityLine:
    label: str
    places: int
    occupied: int

    @property
    def free(self) -> int:
        return self.places - self.occupied


@dataclass
class ChildLine:
    code: str
    name: str
    level: dict | None
    values: list[int]


@dataclass
class Layout:
    sections: list[Section]
    capacity: list[CapacityLine]
    level: dict | None
    children: list[ChildLine]
    child_totals: list[int]
    child_columns: list[str]
    colour_counts: list[tuple[str, int]]


def colour_of(level: dict | None) -> str:
    return (risk.colour_of(level.get("framework", ""), level.get("level")) or "") if level else ""


def layout(snapshot: dict) -> Layout:
    """Rows ready to show, from a stored or live snapshot (labels in the active language)."""
    values = snapshot.get("values", {})
    sections = []
    for number, block in enumerate(BLOCKS, start=1):
        lines = []
        for row in block.rows:
            pair = values.get(row.key) if row.kind != MISSING else None
            lines.append(Line(str(row.label), row.kind, row.indent, *(pair or (None, None))))
        sections.append(
            Section(number, block.key, str(block.title), block.missing, str(block.note), block.table, lines)
        )
    capacity = [
        CapacityLine(str(label), *snapshot.get("capacity", {}).get(kind, (0, 0)))
        for kind, label, _places, _occupied in CAPACITY
    ]
    keys = [key for key, _label in CHILD_COLUMNS]
    children = [
        ChildLine(child["code"], child["name"], child.get("level"), [child["values"].get(k, 0) for k in keys])
        for child in snapshot.get("children", [])
    ]
    totals = [sum(line.values[i] for line in children) for i in range(len(keys))]
    counts: dict[str, int] = {}
    for child in children:
        colour = colour_of(child.level) or "none"
        counts[colour] = counts.get(colour, 0) + 1
    order = ("red", "orange", "yellow", "green", "none")
    return Layout(
        sections,
        capacity,
        snapshot.get("level"),
        children,
        totals,
        [str(label) for _key, label in CHILD_COLUMNS],
        [(colour, counts[colour]) for colour in order if counts.get(colour)],
    )
