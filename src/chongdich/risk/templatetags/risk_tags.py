"""Level badges (colour with its name: never colour alone) and texts in the active language."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from chongdich.risk import names
from chongdich.risk.models import level_label
from chongdich.risk.names import STYLES
from chongdich.risk.rules import scale
from chongdich.territory.models import AdminUnit

register = template.Library()


def lang() -> str:
    return "en" if (get_language() or "vi").startswith("en") else "vi"


@register.inclusion_tag("risk/_badge.html")
def level_badge(framework, level, size="", with_name=False):
    colour = None if level is None or not framework else scale(framework).colour(level)
    name = ""
    if with_name and colour:
        levels = scale(framework)
        name = levels.name_en(level) if lang() == "en" else levels.name_vi(level)
    return {
        "colour": colour or "",
        "style": STYLES.get(colour or "", ""),
        "label": level_label(framework, level, lang()),
        "name": name,
        "size": size,
    }


@register.filter
def in_lang(value, field="") -> str:
    """{"vi": …, "en": …} (or an object with vi/en attributes, or ``field``_vi/_en) in the active language."""
    key = lang()
    if isinstance(value, dict):
        return value.get(key) or value.get("vi") or ""
    if field:
        return getattr(value, f"{field}_{key}", "") or getattr(value, f"{field}_vi", "")
    return getattr(value, key, "") or getattr(value, "vi", "")


@register.filter
def reason_text(reason: dict) -> str:
    """A fired rule line under a heading people understand ("Communes of the district: …"), not its id."""
    rule = reason.get("rule", "")
    return f"{names.rule_heading(rule)}: {in_lang(reason)}" if rule else in_lang(reason)


@register.filter
def version_name(version: str) -> str:
    return names.version_name(version)


@register.filter
def method_name(method: str) -> str:
    return names.method_name(method)


@register.filter
def missing_inputs(refs) -> str:
    """["population", "25229.clusters"] → "dân số, ổ dịch đang hoạt động (Xã Phú Văn)"."""
    refs = list(refs or [])
    codes = {ref.rpartition(".")[0] for ref in refs} - {""}
    unit_names = dict(AdminUnit.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    return ", ".join(names.missing_input(ref, unit_names) for ref in refs)


@register.filter
def label_in_lang(obj, lang_name=None) -> str:
    """``obj.label(lang)`` for periods and published levels."""
    return obj.label(lang())
