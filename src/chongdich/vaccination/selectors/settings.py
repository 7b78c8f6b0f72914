"""The catalogue in force for a province on a day, as a page shows it, and the province's overrides."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from django.utils.translation import get_language

from chongdich.core.scoping import has_capability, in_scope
from chongdich.core.versioning import NoRuleInForce
from chongdich.territory.models import AdminUnit, Level
from chongdich.vaccination.configuration import config_for
from chongdich.vaccination.models import EDIT, VIEW, ProvinceVaccinationSetting


@dataclass(frozen=True)
class ProductLine:
    code: str
    name: str
    doses: int
    intervals: tuple[tuple[int, int], ...]  # (minimum, recommended) days per gap
    ages: str
    follow_ups: tuple[str, ...]
    boosters: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    on: date
    products: tuple[ProductLine, ...]
    groups: tuple  # rules.PriorityGroup
    target_pct: float | None
    booster_min_months: int | None
    additional_min_days: int | None


def provinces_for(user) -> list[AdminUnit]:
    """Provinces whose rules the user may read: those of the units in their scope."""
    units = AdminUnit.objects.for_user(user, VIEW)
    codes = set(units.values_list("province_code", flat=True).distinct()[:100])
    return list(AdminUnit.objects.filter(level=Level.PROVINCE, code__in=codes).order_by("name"))


def catalogue(province_code: str | None, on: date) -> Catalogue | None:
    """What the rules say on ``on`` for the province (None before the first catalogue)."""
    cfg = config_for(province_code)
    try:
        products = cfg.products(on, province_code)
        groups = cfg.groups(on, province_code)
        extras = cfg.products_rule(on, province_code)
        target = cfg.coverage_target_pct(on, province_code)
    except NoRuleInForce:
        return None
    lines = []
    for code, product in products.items():
        ages = f"{product.min_age or 0}+" if product.max_age is None else f"{product.min_age or 0}–{product.max_age}"
        lines.append(
            ProductLine(
                code=code,
                name=product.name,
                doses=product.primary_doses,
                intervals=tuple((gap.min_days, gap.recommended_days) for gap in product.intervals),
                ages=ages,
                follow_ups=tuple(product.follow_ups),
                boosters=tuple(product.booster_products),
            )
        )
    booster, additional = getattr(extras, "booster", None), getattr(extras, "additional", None)
    return Catalogue(
        on=on,
        products=tuple(lines),
        groups=tuple(groups),
        target_pct=float(target) if target is not None else None,
        booster_min_months=booster.min_months if booster is not None and booster.allowed else None,
        additional_min_days=additional.min_days if additional is not None and additional.allowed else None,
    )


def overrides_text(province: AdminUnit) -> str:
    versions = ProvinceVaccinationSetting.objects.filter(province=province).values_list("versions", flat=True).first()
    return json.dumps(versions or [], ensure_ascii=False, indent=2)


def may_edit(user, province: AdminUnit) -> bool:
    return has_capability(user, EDIT) and in_scope(user, EDIT, province)


def group_name(group, language: str | None = None) -> str:
    return group.name_vi if (language or get_language() or "vi").startswith("vi") else group.name_en
