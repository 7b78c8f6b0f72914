"""Serious reactions after vaccination (AEFI) not yet acknowledged by the district.

A serious report waits in the AEFI inbox of everyone holding ``vaccination.view`` over the report's
district until someone there acknowledges it (``vaccination.actions.aefi``).  The notice is about the
*district* (so the fan-out reaches the district's and the province's health staff and committees, as
the inbox does; the commune that reported it already knows).  Key: ``aefi:<report id>`` — once per
report; an acknowledged report is not sent.  Serious reports are rare: no look-back bound is needed.
"""

from __future__ import annotations

from datetime import datetime

from chongdich.forecast.watch import kinds
from chongdich.forecast.watch.base import Candidate
from chongdich.territory.models import AdminUnit
from chongdich.vaccination.models import AefiReport, Severity
from chongdich.vaccination.selectors.aefi import district_path


def candidates(now: datetime) -> list[Candidate]:
    reports = list(
        AefiReport.objects.filter(severity=Severity.SERIOUS, alerted_at__isnull=True)
        .select_related("unit")
        .order_by("onset_at", "pk")
    )
    districts = {
        unit.path: unit for unit in AdminUnit.objects.filter(path__in={district_path(r.unit_path) for r in reports})
    }
    found = []
    for report in reports:
        district = districts.get(district_path(report.unit_path))
        if district is None:
            continue
        found.append(
            Candidate(
                kinds.AEFI_SERIOUS.code,
                district,
                f"aefi:{report.pk}",
                {"district": district.name, "unit": report.unit.name},
                link=report.get_absolute_url(),
            )
        )
    return found
