"""What the public portal shows — public information only: units (reference data), published risk
levels, the measures of a level, announcements and hotlines.  Nothing here reads a table of people,
cases or internal notes (override reasons, assessment inputs, report comments)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from chongdich.core import clock
from chongdich.core.roles import Cap
from chongdich.core.scoping import for_user, in_scope
from chongdich.core.text import fold, fold_words
from chongdich.portal.models import Announcement, Hotline
from chongdich.risk import selectors as risk
from chongdich.risk.measures import measures_in_force
from chongdich.risk.models import level_label
from chongdich.territory.models import AdminUnit, Level

PUBLIC_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
SEVERITY = {"red": 0, "orange": 1, "yellow": 2, "green": 3}


def public_unit_or_none(code: str) -> AdminUnit | None:
    return AdminUnit.objects.select_related("parent").filter(code=code, level__in=PUBLIC_LEVELS).first()


@dataclass
class UnitLevel:
    """A unit with the level in force (and a change announced but not yet in force)."""

    unit: AdminUnit
    published: risk.PublishedLevel | None

    @property
    def framework(self) -> str:
        return self.published.framework if self.published else ""

    @property
    def level(self) -> int | None:
        return self.published.level if self.published else None

    @property
    def colour(self) -> str:
        return (self.published.colour if self.published else None) or ""

    @property
    def pending(self):
        return self.published.pending if self.published else None

    @property
    def since(self):
        return self.published.since if self.published else None


def levels_of_children(parent: AdminUnit | None, day: date | None = None) -> list[UnitLevel]:
    """Every sub-unit of ``parent`` (the provinces when None) with its level, by name."""
    day = day or clock.today()
    if parent is None:
        units = AdminUnit.objects.filter(level=Level.PROVINCE)
    else:
        units = AdminUnit.objects.filter(parent=parent, level__in=PUBLIC_LEVELS)
    published = {item.row.code: item for item in risk.published(day, parent=parent)}
    items = [UnitLevel(unit, published.get(unit.code)) for unit in units]
    items.sort(key=lambda item: fold(item.unit.name))
    return items


def level_of(unit: AdminUnit, day: date | None = None) -> UnitLevel:
    return UnitLevel(unit, risk.published_level(unit.code, day))


def nation_level(day: date | None = None) -> risk.PublishedLevel | None:
    return risk.nation_level(day)


def counts(items: list[UnitLevel]) -> list[tuple[str, int]]:
    found: dict[str, int] = {}
    for item in items:
        found[item.colour or "none"] = found.get(item.colour or "none", 0) + 1
    return [(colour, found[colour]) for colour in ("red", "orange", "yellow", "green", "none") if colour in found]


def map_points(items: list[UnitLevel], lang: str, highlight: str = "") -> list[dict]:
    """Circles for the map: units with a centroid, coloured by level, with the level's text."""
    points = []
    for item in items:
        unit = item.unit
        if unit.lat is None or unit.lon is None:
            continue
        points.append(
            {
                "code": unit.code,
                "name": unit.name,
                "lat": round(unit.lat, 5),
                "lon": round(unit.lon, 5),
                "colour": item.colour or "none",
                "label": level_label(item.framework, item.level, lang),
                "url": reverse("portal:unit", args=[unit.code]),
                "current": unit.code == highlight,
            }
        )
    return points


def measures_of(item: UnitLevel, day: date | None = None):
    """(measures in force, measures of the announced level) for the unit's level, with its province's changes."""
    day = day or clock.today()
    if item.published is None:
        return None, None
    province = item.unit.province_code or None
    current = measures_in_force(item.framework, item.level, on=day, province=province)
    upcoming = None
    if item.pending:
        framework, level, _start = item.pending
        upcoming = measures_in_force(framework, level, on=day, province=province)
    return current, upcoming


def announcements_for(unit: AdminUnit | None, limit: int = 20) -> list[Announcement]:
    """Public announcements for ``unit`` and the areas above it, newest first (without a unit: those
    of provinces and districts — a commune's are on its page and its district's)."""
    rows = Announcement.objects.public(clock.now()).select_related("unit")
    if unit is not None:
        codes = [code for code in unit.path.strip("/").split("/") if code]
        rows = rows.filter(unit__code__in=codes)
    else:
        rows = rows.filter(unit__level__in=(Level.PROVINCE, Level.DISTRICT))
    return list(rows.order_by("-publish_at", "-pk")[:limit])


def public_announcements(unit: AdminUnit | None = None):
    """Public announcements newest first; for a unit, those of its area and of the areas above it."""
    rows = Announcement.objects.public(clock.now()).select_related("unit").order_by("-publish_at", "-pk")
    if unit is not None:
        rows = rows.filter(
            Q(unit_path__startswith=unit.path) | Q(unit__code__in=[c for c in unit.path.strip("/").split("/") if c])
        )
    return rows


def announcements_below(unit: AdminUnit | None, limit: int = 20) -> list[Announcement]:
    """Public announcements of the areas inside ``unit`` (its sub-units' level changes, …)."""
    rows = Announcement.objects.public(clock.now()).select_related("unit")
    if unit is not None:
        rows = rows.filter(unit_path__startswith=unit.path).exclude(unit=unit)
    return list(rows.order_by("-publish_at", "-pk")[:limit])


@dataclass
class Number:
    label: str
    number: str
    area: str = ""

    @property
    def dial(self) -> str:
        return "".join(ch for ch in self.number if ch.isdigit() or ch == "+")


def hotlines_for(unit: AdminUnit | None) -> list[Number]:
    """The unit's hotlines and those of the areas above it (nearest first), then the national line."""
    numbers: list[Number] = []
    if unit is not None:
        paths = []
        path = "/"
        for code in unit.path.strip("/").split("/"):
            path += f"{code}/"
            paths.append(path)
        found = Hotline.objects.filter(unit_path__in=paths).select_related("unit")
        for hotline in sorted(found, key=lambda h: (-len(h.unit_path), h.position, h.pk)):
            numbers.append(Number(hotline.label, hotline.number, hotline.unit.name))
    if settings.CHONGDICH_HOTLINE:
        numbers.append(Number(_("National hotline"), settings.CHONGDICH_HOTLINE))
    return numbers


def declaration_url() -> str | None:
    """The health-declaration form, once the module that provides it is installed (never a dead link)."""
    try:
        return reverse("movement:declare")
    except NoReverseMatch:
        return None


SEARCH_CANDIDATES = 5_000  # units read to rank one query (the whole country has about 11,000)
LEVEL_RANK = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}


def match_rank(words: list[str], folded_name: str) -> int:
    """0 when every word typed is a whole word of the name ("duc hanh" → Đức Hạnh), 1 when each begins
    a word ("duc han"), 2 when they only occur inside words ("hanh" in "Đức Chánh")."""
    name_words = folded_name.split()
    if all(word in name_words for word in words):
        return 0
    if all(any(name_word.startswith(word) for name_word in name_words) for word in words):
        return 1
    return 2


def search_units(query: str, limit: int = 20) -> list[AdminUnit]:
    """Communes, districts and provinces whose name contains the words typed (diacritics optional),
    best match first: whole words, then word beginnings, then the rest; a province or district
    before communes of the same name, so that higher levels are never pushed out by the limit."""
    words = fold_words(query).split()[:5]
    if not words:
        return []
    condition = Q()
    for word in words:
        condition &= Q(folded_name__contains=word)
    candidates = (
        AdminUnit.objects.filter(condition, level__in=PUBLIC_LEVELS)
        .order_by("-level")  # province, district, commune (alphabetical by chance): higher levels kept
        .values_list("pk", "folded_name", "level")[:SEARCH_CANDIDATES]
    )
    ranked = sorted(candidates, key=lambda row: (match_rank(words, row[1]), LEVEL_RANK[row[2]], row[1], row[0]))
    ids = [pk for pk, _name, _level in ranked[:limit]]
    units = AdminUnit.objects.select_related("parent").in_bulk(ids)
    return [units[pk] for pk in ids]


# --- the committees' pages -----------------------------------------------------------------------


def unit_to_edit(user, code: str) -> AdminUnit | None:
    """A commune, district or province by code where ``user``'s committee may publish, else None."""
    unit = public_unit_or_none((code or "").strip())
    return unit if unit is not None and in_scope(user, Cap.UNITS_EDIT, unit) else None


def units_to_edit(user) -> list[AdminUnit]:
    """Units offered in the area field (at most 300; beyond that, type the code)."""
    rows = for_user(AdminUnit.objects.filter(level__in=PUBLIC_LEVELS), user, Cap.UNITS_EDIT, path_field="path")
    return list(rows.order_by("path")[:300])


def managed_announcements(user):
    """The announcements of the user's area, newest first."""
    return (
        Announcement.objects.for_user(user, Cap.UNITS_EDIT)
        .select_related("unit", "created_by")
        .order_by("-publish_at", "-pk")
    )


def managed_hotlines(user):
    return Hotline.objects.for_user(user, Cap.UNITS_EDIT).select_related("unit")[:200]
