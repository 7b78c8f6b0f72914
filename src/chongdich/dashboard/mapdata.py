"""The epidemic map's data, compact: a province's 300 communes with 60 days of levels weigh ~35 KB.

    map_payload(place, day, days=60) -> dict      units of the map, active cases, levels per day
    shapes_payload(place) -> dict                  packed boundaries of the same units (if loaded)

The map of a province or district shows its communes; of a commune, the commune; of the whole
country, the provinces (the page loads a province's communes when the user zooms in), so 10,035
communes never travel at once.  Payload::

    {"v": 1, "tier": "commune", "day": "2021-08-20", "start": "2021-06-22",
     "u": [[code, name, lat, lon, active, new_7d], …],         lat/lon rounded to 4 decimals
     "lv": ["0012-…", …],                                      one string per day, one character per unit
     "cv": [[dose1, full], …],                                 vaccination coverage of adults (%, 1 decimal)
     "shapes": 0}                                              number of units with a boundary

``cv`` holds, per unit, the share of people 18+ with a first dose and with the full primary series
at the end of the day (``tallies.coverage``; null where the coverage is unknown: no record in the
province, or no population by age); the map's coverage layer colours by it (``dashboard_tags.COVERAGE_BANDS``).

A level character tells the framework and the level (``LEVEL_CHARS``): 2686 levels 0–3 are "0"–"3",
4800 levels 1–4 "a"–"d", 218 levels 1–4 "A"–"D", "-" no level; ``legend()`` gives their colours and
names.  The level of a day is the level in force at its end (now, for today), as on the risk pages.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Case, CharField, F, IntegerField, Q, Sum, Value, When, Window
from django.db.models.functions import Cast, Concat, Lag

from chongdich.dashboard.boundaries import pack_geometry
from chongdich.dashboard.models import UnitBoundary
from chongdich.dashboard.selectors import Place
from chongdich.risk.models import RiskAssessment, level_label
from chongdich.risk.names import STYLES
from chongdich.risk.rules import scale
from chongdich.risk.selectors import moment
from chongdich.tallies.coverage import coverage_by_child, coverage_by_commune
from chongdich.tallies.models import ACTIVE_FIELDS, DailyTally
from chongdich.territory.models import AdminUnit, Level

LEVEL_CHARS = {"2686": "0123", "4800": "abcd", "218": "ABCD"}
NO_LEVEL = "-"
DEFAULT_DAYS = 60
MAX_DAYS = 120
CARRY_DAYS = 14  # a level is read from the latest assessment up to 14 days before the first day


def _coverage(place: Place, tier: str, units: list[tuple], day: date) -> list[list[float | None]]:
    """[first-dose %, full-series %] of adults per unit (``units`` order): one grouped query."""
    paths = {code: path for _pk, code, _name, _lat, _lon, path in units}
    if tier == Level.PROVINCE:
        found = coverage_by_child("/", paths, day, dropout=False)
    else:
        found = coverage_by_commune(place.path, paths, day, dropout=False)
    result = []
    for _pk, code, *_rest in units:
        coverage = found[code]
        result.append([_one_decimal(coverage.dose1_pct), _one_decimal(coverage.full_pct)])
    return result


def _one_decimal(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def level_char(framework: str, level: int | None) -> str:
    chars = LEVEL_CHARS.get(framework)
    if level is None or not chars:
        return NO_LEVEL
    index = level - scale(framework).lowest
    return chars[index] if 0 <= index < len(chars) else NO_LEVEL


CHARS = {(framework, level): level_char(framework, level) for framework in LEVEL_CHARS for level in range(0, 5)}


def legend(lang: str = "vi") -> dict[str, dict]:
    """Every level character: framework, colour and label in the user's language."""
    result = {}
    for framework, chars in LEVEL_CHARS.items():
        levels = scale(framework)
        for level, char in zip(levels.levels, chars, strict=True):
            name = levels.name_en(level) if lang == "en" else levels.name_vi(level)
            result[char] = {
                "fw": framework,
                "c": levels.colour(level),
                "t": level_label(framework, level, lang),
                "n": name,
            }
    return result


def map_units(place: Place):
    """The units drawn for a place (see the module docstring), in path order."""
    if place.is_nation:
        return AdminUnit.objects.filter(level=Level.PROVINCE), Level.PROVINCE
    if place.tier == Level.COMMUNE:
        return AdminUnit.objects.filter(pk=place.unit.pk), Level.COMMUNE
    return AdminUnit.objects.filter(path__startswith=place.path, level=Level.COMMUNE), Level.COMMUNE


def _figures(place: Place, tier: str, day: date) -> dict[str, tuple[int, int]]:
    """{unit code or id: (active cases at the end of ``day``, new cases in the 7 days to ``day``)} —
    one grouped query on tallies."""
    tallies = DailyTally.objects.filter(day__lte=day)
    if not place.is_nation:
        tallies = tallies.filter(unit_path__startswith=place.path)
    key = "province_code" if tier == Level.PROVINCE else "unit_id"
    active = sum((F(f) for f in ACTIVE_FIELDS[1:]), F(ACTIVE_FIELDS[0]))
    new = F("cases_new_community") + F("cases_new_isolated")
    rows = (
        tallies.values(key)
        .annotate(
            active=Sum(active),
            new7=Sum(Case(When(day__gt=day - timedelta(days=7), then=new), default=0, output_field=IntegerField())),
        )
        .order_by()
    )
    return {row[key]: (row["active"] or 0, row["new7"] or 0) for row in rows}


def _level_changes(codes: list[str], since: date, last: date):
    """Assessment rows of ``codes`` from ``since`` to ``last`` whose publication state differs from
    the unit's row of the day before (a level usually stays for weeks: a few rows instead of one per
    unit and day), ordered by unit and day."""
    state = Concat(
        "in_force_framework",
        Value(":"),
        Cast("in_force_level", CharField()),
        Value(":"),
        "pending_framework",
        Value(":"),
        Cast("pending_level", CharField()),
        Value(":"),
        Cast("pending_from", CharField()),
        output_field=CharField(),
    )
    previous = Window(Lag(state), partition_by=[F("code")], order_by=F("day").asc())
    return (
        RiskAssessment.objects.filter(code__in=codes, day__gte=since, day__lte=last)
        .annotate(state=state, previous=previous)
        .filter(Q(previous__isnull=True) | ~Q(previous=F("state")))
        .order_by("code", "day")
        .values_list(
            "code", "day", "in_force_framework", "in_force_level", "pending_framework", "pending_level", "pending_from"
        )
    )


def _levels_by_day(codes: list[str], first: date, last: date) -> list[str]:
    """One string per day from ``first`` to ``last``: the level character of each unit (``codes``
    order) in force at the end of that day (now, for today)."""
    n = (last - first).days + 1
    moments = [moment(first + timedelta(days=i))[1] for i in range(n)]
    rows_of: dict[str, list[tuple]] = {}
    for row in _level_changes(codes, first - timedelta(days=CARRY_DAYS), last):
        rows_of.setdefault(row[0], []).append(row)
    columns = []
    for code in codes:
        column = [NO_LEVEL] * n
        rows = rows_of.get(code, [])
        for j, (_code, day, in_fw, in_level, p_fw, p_level, p_from) in enumerate(rows):
            start = max(0, (day - first).days)
            end = n if j + 1 == len(rows) else max(0, (rows[j + 1][1] - first).days)
            if end <= start:
                continue
            in_char = CHARS.get((in_fw, in_level), NO_LEVEL)
            if p_from is None:
                column[start:end] = [in_char] * (end - start)
            else:
                p_char = CHARS.get((p_fw, p_level), NO_LEVEL)
                column[start:end] = [p_char if p_from <= moments[i] else in_char for i in range(start, end)]
        columns.append(column)
    return ["".join(day) for day in zip(*columns, strict=True)]


def map_payload(place: Place, day: date, days: int = DEFAULT_DAYS) -> dict:
    days = max(1, min(days, MAX_DAYS))
    first = day - timedelta(days=days - 1)
    units_qs, tier = map_units(place)
    units = list(units_qs.order_by("path").values_list("pk", "code", "name", "lat", "lon", "path"))
    figures = _figures(place, tier, day)
    by_key = (
        (lambda pk, code: figures.get(code, (0, 0)))
        if tier == Level.PROVINCE
        else (lambda pk, code: figures.get(pk, (0, 0)))
    )
    rows = []
    for pk, code, name, lat, lon, _path in units:
        active, new7 = by_key(pk, code)
        rows.append(
            [code, name, None if lat is None else round(lat, 4), None if lon is None else round(lon, 4), active, new7]
        )
    codes = [row[0] for row in rows]
    shapes = boundaries_of(place, tier).count() if codes else 0
    return {
        "v": 1,
        "tier": tier,
        "unit": place.code,
        "day": day.isoformat(),
        "start": first.isoformat(),
        "u": rows,
        "lv": _levels_by_day(codes, first, day) if codes else [],
        "cv": _coverage(place, tier, units, day) if codes else [],
        "shapes": shapes,
    }


def shapes_payload(place: Place) -> dict:
    """{"s": {code: [[packed ring, …], …]}} for the units of the place's map that have a boundary."""
    _units, tier = map_units(place)
    boundaries = boundaries_of(place, tier).values_list("code", "geometry")
    return {"v": 1, "s": {code: pack_geometry(geometry) for code, geometry in boundaries}}


def boundaries_of(place: Place, tier: str):
    """Boundaries of the units drawn for ``place`` (those of ``map_units``)."""
    boundaries = (
        UnitBoundary.objects.all() if place.is_nation else UnitBoundary.objects.filter(unit_path__startswith=place.path)
    )
    return boundaries.filter(unit__level=tier)


def table_rows(payload: dict, legend_items: dict) -> list[dict]:
    """The map's units as rows of the table shown without JavaScript (and to screen readers), with
    their level badge ready to print (300 rows cost no template includes)."""
    today = payload["lv"][-1] if payload["lv"] else ""
    rows = []
    coverage = payload.get("cv") or []
    for i, (code, name, _lat, _lon, active, new7) in enumerate(payload["u"]):
        item = legend_items.get(today[i] if i < len(today) else NO_LEVEL)
        dose1, full = coverage[i] if i < len(coverage) else (None, None)
        rows.append(
            {
                "code": code,
                "dose1": dose1,
                "full": full,
                "name": name,
                "active": active,
                "new7": new7,
                "colour": item["c"] if item else "",
                "style": STYLES.get(item["c"], "") if item else "",
                "label": item["t"] if item else "",
            }
        )
    rows.sort(key=lambda r: (-r["active"], -r["new7"], r["name"]))
    return rows
