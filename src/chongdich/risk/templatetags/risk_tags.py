"""Level badges (colour with its name: never colour alone) and texts in the active language."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from chongdich.risk.models import level_label
from chongdich.risk.rules import scale

register = template.Library()

STYLES = {
    "green": "background:#146c43;color:#fff",
    "yellow": "background:#ffc107;color:#000",
    "orange": "background:#fd7e14;color:#000",
    "red": "background:#b02a37;color:#fff",
}


def lang() -> str:
    return "en" if (get_language() or "vi").startswith("en") else "vi"


@register.inclusion_tag("risk/_badge.html")
def level_badge(framework, level, size="", with_name=False):
    colour = None if level is None or not framework else scale(framework).colour(level)
    name = ""
    if with_name and colour:
        levels = scale(framework)
        name = levels.name_en(level) if lang() == "en" else levels.name_vi(level)
    return {"colour": colour or "", "style": STYLES.get(colour or "", ""), "label": level_label(framework, level, lang()),
            "name": name, "size": size}


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
    return f"{reason.get('rule', '')}: {in_lang(reason)}"


@register.filter
def label_in_lang(obj, lang_name=None) -> str:
    """``obj.label(lang)`` for periods and published levels."""
    return obj.label(lang())
