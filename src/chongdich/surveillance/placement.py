"""Where a person is placed — which facility treats a case, when an F1's quarantine began: the one
extension point through which the case pages, forms, exports, imports and contact ranks learn it,
without surveillance referring to care.

Surveillance records the kind of place a case is treated in (``Case.treatment_place`` and its
``TreatmentEpisode`` rows); the facility is care's fact (``care.CaseFacility``, ``care.EpisodeFacility``),
kept by care when the case services send ``signals.case_changed`` with ``facility=``.  Care, above
surveillance, installs its ``Facilities`` with ``register`` in its ``AppConfig.ready()``; without it a case
has no facility (the place alone), which is what this base class answers.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.db.models import CharField, QuerySet, Value


class Facilities:
    """The facilities a case may be treated in.  Facility objects are opaque here: only care reads them."""

    def with_names(self, queryset: QuerySet) -> QuerySet:
        """Cases or treatment episodes annotated with ``facility_name`` (None: no facility)."""
        return queryset.annotate(facility_name=Value(None, output_field=CharField()))

    def field(self, province_code: str) -> forms.Field | None:
        """The form field that picks the facility of a case of the province (None: no such field)."""
        return None

    def check(self, place: str, facility) -> str | None:
        """Why ``facility`` cannot go with the treatment ``place`` (None: they go together)."""
        return None

    def of_episode(self, episode):
        """The facility of a treatment episode, or None."""
        return None

    def named(self, province_code: str) -> list[tuple[str, object]]:
        """The open facilities of the province with their names (the case import reads a name)."""
        return []

    def place_of(self, facility) -> str | None:
        """The treatment place (``TreatmentPlace``) of a facility of that kind."""
        return None

    def isolation_start(self, person_id: int, after: date) -> date | None:
        """When the person started quarantine (home or facility) on or after ``after``, if they did
        (an F1 isolated before meeting others has no F2, R-51)."""
        return None


_installed = Facilities()


def register(facilities: Facilities) -> None:
    global _installed
    _installed = facilities


def facilities() -> Facilities:
    return _installed
