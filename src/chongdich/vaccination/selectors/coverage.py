"""Coverage: what the vaccination app gives the tallies (the grouped rebuild of the vaccination
tallies) — reads only.  The indicators themselves are computed from the tallies
(``chongdich.tallies.coverage``), where the risk engine, the dashboard and the reports can read them.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from django.db.models import Count, F, IntegerField, Value
from django.db.models.functions import Cast

from chongdich.core.versioning import NoRuleInForce
from chongdich.tallies.registry import CoverageParameters
from chongdich.vaccination.configuration import config_for
from chongdich.vaccination.models import Dose, Enrolment
from chongdich.vaccination.rules import ConfigError

KEY = ("commune_code", "unit_id", "product", "kind", "number", "completes_primary", "age_band", "priority_group")


def grouped_doses():
    """Valid doses per tally key and day (what ``Dose.tally_contributions`` adds, summed in SQL)."""
    return Dose.objects.valid().values(*KEY, "high_risk", day=F("given_on")).annotate(doses=Count("pk")).order_by()


def grouped_enrolments():
    """People enrolled per priority group, high-risk flag and day (``Enrolment.tally_contributions``)."""
    return (
        Enrolment.objects.values(
            "commune_code",
            "unit_id",
            "high_risk",
            day=F("since"),
            product=Value(""),
            kind=Value(""),
            number=Cast(Value(0), IntegerField()),
            completes_primary=Value(False),
            age_band=Value(""),
            priority_group=F("group"),
        )
        .annotate(enrolled=Count("pk"))
        .order_by()
    )


def coverage_parameters(day: date, province_code: str | None) -> CoverageParameters:
    """What the coverage indicators read from the catalogue on ``day`` (registered with the tallies):
    the priority groups' target, each product's recommended interval between dose 1 and dose 2, the
    groups' names (Vietnamese, English)."""
    config = config_for(province_code)
    try:
        target = Fraction(config.coverage_target_pct(day, province_code))
        products = config.products(day, province_code)
        groups = config.groups(day, province_code)
    except (NoRuleInForce, ConfigError):
        return CoverageParameters()
    intervals = {}
    for code, product in products.items():
        first_gap = product.interval(1)
        if first_gap is not None:
            intervals[code] = first_gap.recommended_days
    names = {group.code: (group.name_vi, group.name_en) for group in groups}
    return CoverageParameters(target_pct=target, intervals=intervals, groups=names)
