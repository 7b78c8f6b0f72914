"""The epidemic map's data, compact: a province's 300 communes with 60 days of levels weigh ~35 KB.

    map_payload(place, day, days=60, user=None) -> dict   units of the map, their areas, active cases,
                                                          levels per day, Rt and growth (forecast.view)
    shapes_payload(place) -> dict                         packed boundaries of the same units and areas

The map of a province or district shows its communes as circles inside the outlines of their districts
(all the province's districts; the district itself); of a commune, the commune; of the whole country,
the provinces (the page loads a province's communes and districts when the user zooms in), so 10,035
communes never travel at once.  Payload::

    {"v": 2, "tier": "commune", "unit": "691", "day": "2021-08-20", "start": "2021-06-22",
     "u": [[code, name, lat, lon, active, new_7d, area], …],   lat/lon rounded to 4 decimals; area =
                                                               index of the unit's district in "d" (or null)
     "lv": ["0012-…", …],                                      one string per day, one character per unit
     "cv": [[dose1, full], …],                                 vaccination coverage of adults (%, 1 decimal)
     "d": [[code, name, lat, lon, active, new_7d], …],         the areas outlined around the units: a
                                                               province map's districts, a district map's
                                                               district ([] for a commune or the country)
     "dlv": ["01…", …],                                        levels of "d" per day (as "lv")
     "rt": {"day": "2021-08-20",                               only for a user with forecast.view: the
            "u": [[rt, lo, hi, wow, cases_7d], …],             nightly estimates (forecast.Estimate) of the
            "d": [[rt, lo, hi, wow, cases_7d], …]},            day (or the latest of the 7 days before):
                                                               rt/lo/hi null when too few cases, wow (week-
                                                               over-week growth, 0.25 = +25%) null when the
                                                               week before had no case; a row null when the
                                                               unit has no estimate
     "shapes": 0}                                              number of units and areas with a boundary

``cv`` holds, per unit, the share of people 18+ with a first dose and with the full primary series
at the end of the day (``tallies.coverage``; null where the coverage is unknown: no record in the
province, or no population by age); the map's coverage layer colours by it (``dashboard_tags.COVERAGE_BANDS``).
The Rt and growth layers colour by ``RT_BANDS`` and ``GROWTH_BANDS``.

A level character tells the framework and the level (``LEVEL_CHARS``): 2686 levels 0–3 are "0"–"3",
4800 levels 1–4 "a"–"d", 218 levels 1–4 "A"–"D", "-" no level; ``legend()`` gives their colours and
names.  The level of a day is the level in force at its end (now, for today), as on the risk pages.

``shapes_payload`` answers ``{"v": 1, "s": {code: [[packed ring, …], …]}, "src": [source, …]}``: the
outlines of "u" and "d" and where they come from (``UnitBoundary.source``, shown as the map's attribution).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Case, CharField, F, IntegerField, Q, Sum, Value, When, Window
from django.db.models.functions import Cast, Concat, Lag

from chongdich.core.scoping import has_capability
from chongdich.dashboard.boundaries import pack_geometry
from chongdich.dashboard.models import UnitBoundary
from chongdich.dashboard.selectors import Place
from chongdich.forecast.models import VIEW as FORECAST_VIEW
from chongdich.forecast.models import Estimate
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
ESTIMATE_DAYS = 7  # Rt is read from the day's estimates, or the latest of the 7 days before

# Colour bands of the Rt and growth layers: (lower bound, colour); the colours of the levels' scale.
RT_BANDS = [(0.0, "green"), (0.8, "lightgreen"), (1.0, "yellow"), (1.2, "orange"), (1.5, "red")]
# Growth = week-over-week change of new cases (0.25 = +25%): falling fast, falling, rising, fast, doubling.
GROWTH_BANDS = [(-1.0, "green"), (-0.2, "lightgreen"), (0.0, "yellow"), (0.25, "orange"), (1.0, "red")]


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


def map_areas(place: Place):
    """The areas outlined around the units of a place's map (the ``d`` of the payload), in path order:
    a province's districts, a district itself; none for a commune or the whole country."""
    if place.is_nation or place.tier == Level.COMMUNE:
        return AdminUnit.objects.none()
    if place.tier == Level.DISTRICT:
        return AdminUnit.objects.filter(pk=place.unit.pk)
    return AdminUnit.objects.filter(path__startswith=place.path, level=Level.DISTRICT)


def _rounded(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def estimates(user, unit_ids: list[int], day: date) -> tuple[date | None, dict[int, list]]:
    """(the day read, {unit id: [rt, lo, hi, wow, cases_7d]}) from the nightly ``forecast.Estimate``
    rows of ``unit_ids`` that ``user`` may see (forecast.view): those of ``day``, or of the latest day
    of the 7 before it that has any (the night's run may not have happened yet)."""
    if user is None or not unit_ids:
        return None, {}
    rows = Estimate.objects.for_user(user, FORECAST_VIEW).filter(
        unit_id__in=unit_ids, day__lte=day, day__gt=day - timedelta(days=ESTIMATE_DAYS)
    )
    latest = rows.order_by("-day").values_list("day", flat=True).first()
    if latest is None:
        return None, {}
    found = {}
    for unit_id, reliable, rt, lo, hi, wow, cases_7d in rows.filter(day=latest).values_list(
        "unit_id", "reliable", "rt_mean", "rt_lo", "rt_hi", "growth_wow", "cases_7d"
    ):
        if reliable and rt is not None:
            found[unit_id] = [_rounded(rt), _rounded(lo), _rounded(hi), _rounded(wow, 3), cases_7d]
        else:
            found[unit_id] = [None, None, None, _rounded(wow, 3), cases_7d]
    return latest, found


def _point(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def map_payload(place: Place, day: date, days: int = DEFAULT_DAYS, user=None) -> dict:
    """The map's payload (module docstring); with ``user`` holding forecast.view, also ``rt``."""
    days = max(1, min(days, MAX_DAYS))
    first = day - timedelta(days=days - 1)
    units_qs, tier = map_units(place)
    units = list(units_qs.order_by("path").values_list("pk", "code", "name", "lat", "lon", "path"))
    areas = list(map_areas(place).order_by("path").values_list("pk", "code", "name", "lat", "lon", "path"))
    figures = _figures(place, tier, day)
    by_key = (
        (lambda pk, code: figures.get(code, (0, 0)))
        if tier == Level.PROVINCE
        else (lambda pk, code: figures.get(pk, (0, 0)))
    )
    area_of = {path: index for index, (_pk, _code, _name, _lat, _lon, path) in enumerate(areas)}
    area_sums = [[0, 0] for _area in areas]
    rows = []
    for pk, code, name, lat, lon, path in units:
        active, new7 = by_key(pk, code)
        area = next((area_of[p] for p in _ancestors(path) if p in area_of), None)
        if area is not None:
            area_sums[area][0] += active
            area_sums[area][1] += new7
        rows.append([code, name, _point(lat), _point(lon), active, new7, area])
    area_rows = [
        [code, name, _point(lat), _point(lon), *area_sums[i]]
        for i, (_pk, code, name, lat, lon, _path) in enumerate(areas)
    ]
    codes = [row[0] for row in rows]
    area_codes = [row[0] for row in area_rows]
    shapes = boundaries_of(place, tier).count() if codes or area_codes else 0
    payload = {
        "v": 2,
        "tier": tier,
        "unit": place.code,
        "day": day.isoformat(),
        "start": first.isoformat(),
        "u": rows,
        "lv": _levels_by_day(codes, first, day) if codes else [],
        "cv": _coverage(place, tier, units, day) if codes else [],
        "d": area_rows,
        "dlv": _levels_by_day(area_codes, first, day) if area_codes else [],
        "shapes": shapes,
    }
    if user is not None and has_capability(user, FORECAST_VIEW):
        read_on, found = estimates(user, [pk for pk, *_rest in units] + [pk for pk, *_rest in areas], day)
        payload["rt"] = {
            "day": read_on.isoformat() if read_on else None,
            "u": [found.get(pk) for pk, *_rest in units],
            "d": [found.get(pk) for pk, *_rest in areas],
        }
    return payload


def _ancestors(path: str) -> list[str]:
    """ "/70/691/25228/" → ["/70/691/25228/", "/70/691/", "/70/"] (the paths a unit lies under)."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:n]) + "/" for n in range(len(parts), 0, -1)]


def shapes_payload(place: Place) -> dict:
    """{"s": {code: [[packed ring, …], …]}, "src": [sources]} for the units and areas of the place's map
    that have a boundary."""
    _units, tier = map_units(place)
    boundaries = list(boundaries_of(place, tier).order_by("unit_path").values_list("code", "geometry", "source"))
    return {
        "v": 1,
        "s": {code: pack_geometry(geometry) for code, geometry, _source in boundaries},
        "src": sorted({source for _code, _geometry, source in boundaries if source}),
    }


def boundaries_of(place: Place, tier: str):
    """Boundaries of the units drawn for ``place`` (those of ``map_units``) and of its areas (``map_areas``)."""
    if place.is_nation:
        return UnitBoundary.objects.filter(unit__level=tier)
    if place.tier == Level.COMMUNE:
        return UnitBoundary.objects.filter(unit_id=place.unit.pk)
    within = UnitBoundary.objects.filter(unit_path__startswith=place.path)
    if place.tier == Level.DISTRICT:
        return within.filter(Q(unit__level=tier) | Q(unit_id=place.unit.pk))
    return within.filter(unit__level__in=[tier, Level.DISTRICT])


def table_rows(payload: dict, legend_items: dict) -> list[dict]:
    """The map's units as rows of the table shown without JavaScript (and to screen readers), with
    their level badge ready to print (300 rows cost no template includes)."""
    today = payload["lv"][-1] if payload["lv"] else ""
    rows = []
    coverage = payload.get("cv") or []
    for i, (code, name, _lat, _lon, active, new7, *_area) in enumerate(payload["u"]):
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
