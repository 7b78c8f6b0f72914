"""A level's text (colour with its name, never colour alone) in the active language, and texts of
the rule catalogue cleaned for citizens."""

from __future__ import annotations

import re

from django import template

from chongdich.risk.models import level_label
from chongdich.risk.rules import scale
from chongdich.risk.templatetags.risk_tags import lang

register = template.Library()


@register.simple_tag
def level_name(framework, level) -> str:
    """ "Đỏ · Nguy cơ rất cao" / "Red · Very high risk"; "—" without a level."""
    if level is None or not framework:
        return "—"
    levels = scale(framework)
    name = levels.name_en(level) if lang() == "en" else levels.name_vi(level)
    return f"{level_label(framework, level, lang()).capitalize()} · {name}"


RULE_CODE = re.compile(r"\s*\((?:R-\d+(?:,\s*)?)+\)")


@register.filter
def without_rule_codes(text: str) -> str:
    """The catalogue cites the rules of the specification ("… (R-40)") for officers; citizens get
    the sentence without them."""
    return RULE_CODE.sub("", str(text))
