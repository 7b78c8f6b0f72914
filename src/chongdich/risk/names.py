"""Names people read for the risk engine's internal identifiers: rule versions ("measures.2686.v1"),
assessment methods ("shares_at_or_above"), rule lines ("R-11") and missing inputs ("25229.clusters").

The identifiers stay in the stored assessments and the API (they are stable keys); every page shows
these names instead.  A version a province typed itself ("Hà Nội KH 243") is already a name and is
shown as typed.
"""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from chongdich.risk.rules.input_names import input_name

# Level badges: a colour with its text colour (the badge always carries the level's name too).
STYLES = {
    "green": "background:#146c43;color:#fff",
    "yellow": "background:#ffc107;color:#000",
    "orange": "background:#fd7e14;color:#000",
    "red": "background:#b02a37;color:#fff",
}


def lang() -> str:
    """The engine's language for texts it writes itself (reasons, measures): "en" or "vi"."""
    return "en" if (get_language() or "vi").startswith("en") else "vi"


VERSION_NAMES = {
    "2686.v1": _("Decision 2686/QĐ-BCĐQG of 31/5/2021"),
    "2686.v1 TP.HCM": _("Ho Chi Minh City's adjustment (Decision 3989/QĐ-BYT)"),
    "4800.v1": _("Resolution 128/NQ-CP and Decision 4800/QĐ-BYT"),
    "218.v1": _("Decision 218/QĐ-BYT of 27/1/2022"),
    "measures.2686.v1": _("Measures by level of Decision 2686/QĐ-BCĐQG"),
    "measures.128.v1": _("Measures by level of Resolution 128/NQ-CP"),
    "directives.v1": _("Directives 15, 16 and 19/CT-TTg (2020)"),
    "scenarios.v1": _("Response scenarios by number of cases"),
}

METHOD_NAMES = {
    "commune_factors": _("epidemiological factors of the commune"),
    "shares_at_or_above": _("share of sub-units at each level or higher"),
    "shares_exactly": _("share of sub-units at each level"),
    "own_inputs": _("the unit's own figures"),
    "totals": _("totals of the sub-units"),
    "highest_child": _("highest level among the sub-units"),
}

RULE_HEADINGS = {  # the spec's rule lines (R-10 …) by what they weigh
    "R-01": _("Framework in force"),
    "R-10": _("Commune factors"),
    "R-11": _("Communes of the district"),
    "R-12": _("Districts of the province"),
    "R-13": _("Measures by level"),
    "R-14": _("Local rule"),
    "R-20": _("New community cases per 100,000 in 7 days"),
    "R-21": _("Vaccination coverage"),
    "R-22": _("Treatment capacity"),
    "R-23": _("Vaccination of people aged 50+"),
    "R-25": _("Level of the district or province"),
    "R-30": _("Transmission level"),
    "R-31": _("Vaccination coverage"),
    "R-32": _("Deaths"),
    "R-33": _("Treatment capacity"),
    "R-34": _("Level from transmission and capacity"),
    "R-40": _("Directives 15, 16 and 19"),
    "R-41": _("Local directive"),
}


def version_name(version: str) -> str:
    """A stored version (possibly "national + province", e.g. "2686.v1 + 2686.v1 TP.HCM") by name."""
    if not version:
        return ""
    return " + ".join(str(VERSION_NAMES.get(part.strip(), part.strip())) for part in version.split(" + "))


def method_name(method: str) -> str:
    return str(METHOD_NAMES.get(method, method))


def rule_heading(rule: str) -> str:
    return str(RULE_HEADINGS.get(rule, rule))


def missing_input(ref: str, unit_names: dict[str, str] | None = None) -> str:
    return input_name(ref, lang(), (unit_names or {}).get)
