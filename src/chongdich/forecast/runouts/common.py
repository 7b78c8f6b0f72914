"""What every kind of threshold shares: the day's projections of districts and provinces, the
catchment of an object (the district its unit lies in, or the province for an object of the province's
own level), the Vietnamese label of a bed type, and the ``Runout`` row itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
from django.conf import settings
from django.utils import translation

from chongdich.care.models import BedType
from chongdich.forecast import rules
from chongdich.forecast.models import Method, Projection, Runout
from chongdich.forecast.runouts.paths import NEVER, pad
from chongdich.territory.models import AdminUnit, Level


def district_path(unit_path: str) -> str:
    """The catchment of a unit: its district ("/70/691/25228/" → "/70/691/"), or the province itself for
    a unit of the province's own level ("/70/" → "/70/")."""
    parts = [p for p in unit_path.split("/") if p]
    return "/" + "/".join(parts[:2]) + "/"


def province_path(unit_path: str) -> str:
    parts = [p for p in unit_path.split("/") if p]
    return "/" + parts[0] + "/"


def is_province_level(unit_path: str) -> bool:
    return unit_path.count("/") == 2


@dataclass(frozen=True)
class Place:
    """The unit a row belongs to (scope: ``for_user`` keeps a commune officer to his area)."""

    unit_id: int
    unit_path: str
    province_code: str
    commune_code: str = ""
    name: str = ""
    code: str = ""

    @classmethod
    def of_record(cls, values: dict, name: str = "") -> Place:
        """The place of a scoped record read with ``values()`` (unit_id, unit_path, province_code, commune_code)."""
        return cls(values["unit_id"], values["unit_path"], values["province_code"], values["commune_code"] or "", name)


@dataclass
class Projected:
    """A unit's projection of the day: demand paths by measure and quantile."""

    place: Place
    level: str
    horizon: int
    demand: dict

    def path(self, measure: str, quantile: str, width: int) -> np.ndarray:
        values = (self.demand.get(measure) or {}).get(quantile)
        return pad([values], width)[0]


@dataclass
class Day:
    """Everything the kinds read about the day, loaded once."""

    day: date
    projections: dict[str, Projected] = field(default_factory=dict)  # by unit path (districts and provinces)
    horizon: int = 28

    @classmethod
    def load(cls, day: date) -> Day:
        rows = (
            Projection.objects.filter(
                as_of=day, method=Method.RENEWAL, unit__level__in=(Level.DISTRICT, Level.PROVINCE)
            )
            .values(
                "unit_id",
                "unit_path",
                "province_code",
                "horizon",
                "demand",
                "unit__name",
                "unit__code",
                "unit__level",
            )
            .order_by()
        )
        projections = {}
        for row in rows:
            place = Place(
                row["unit_id"], row["unit_path"], row["province_code"], "", row["unit__name"], row["unit__code"]
            )
            projections[row["unit_path"]] = Projected(place, row["unit__level"], row["horizon"], row["demand"] or {})
        # The longest horizon of the day's projections; without any, the rules' default (vaccine stock
        # still runs out on a day nothing was projected).
        horizon = max((p.horizon for p in projections.values()), default=0) or rules.config(on=day).horizon
        return cls(day, projections, horizon)

    def districts(self) -> list[Projected]:
        return [p for p in self.projections.values() if p.level == Level.DISTRICT]

    def provinces(self) -> list[Projected]:
        return [p for p in self.projections.values() if p.level == Level.PROVINCE]

    def units(self, paths) -> dict[str, Place]:
        """Places of units by path (one query), for rows about a district or a province."""
        known = {path: p.place for path, p in self.projections.items() if path in paths}
        missing = set(paths) - set(known)
        if missing:
            for row in AdminUnit.objects.filter(path__in=missing).values(
                "pk", "path", "province_code", "commune_code", "name", "code"
            ):
                known[row["path"]] = Place(
                    row["pk"], row["path"], row["province_code"], row["commune_code"], row["name"], row["code"]
                )
        return known


def bed_label(bed_type: str) -> str:
    """The bed type's name in the site's language (the stored label reads the same for everyone; the
    page can name the type again from ``detail["bed_type"]``)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(BedType(bed_type).label)


def runout(
    day: date,
    kind: str,
    place: Place,
    *,
    subject: str,
    ref: str,
    link: str,
    capacity,
    current,
    days: int,
    early: int,
    detail: dict,
) -> Runout:
    """One row; ``days``/``early`` as from ``paths.crossing_days`` (``NEVER`` → null)."""
    days_value = None if days == NEVER else int(days)
    early_value = None if early == NEVER else int(early)
    return Runout(
        as_of=day,
        kind=kind,
        subject=subject[:200],
        subject_ref=ref[:80],
        link=link[:200],
        capacity=int(round(capacity)),
        current=int(round(current)),
        days=days_value,
        days_early=early_value,
        on_day=None if days_value is None else day + timedelta(days=days_value),
        detail=detail,
        unit_id=place.unit_id,
        unit_path=place.unit_path,
        province_code=place.province_code,
        commune_code=place.commune_code or "",
    )
