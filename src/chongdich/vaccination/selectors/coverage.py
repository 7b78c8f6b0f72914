"""Coverage: what the vaccination app gives the tallies (the grouped rebuild of the vaccination
tallies) — reads only.  The indicators themselves are computed from the tallies
(``chongdich.tallies.coverage``), where the risk engine, the dashboard and the reports can read them.
"""

from __future__ import annotations

from django.db.models import Count, F, IntegerField, Value
from django.db.models.functions import Cast

from chongdich.vaccination.models import Dose, Enrolment

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
