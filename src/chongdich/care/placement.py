"""Care's side of ``surveillance.placement``: the facility treating a case, named on the case pages,
picked on the case forms, read by the case imports — and kept (``link``) when a case service says where
the case now is.  Installed in ``CareConfig.ready()``."""

from __future__ import annotations

from datetime import date

from django import forms
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chongdich.care.models import CaseFacility, EpisodeFacility, Facility, FacilityKind, HomeOrder, OrderKind, Stay
from chongdich.surveillance import placement
from chongdich.surveillance.actions import NAMED_FACILITY_PLACES
from chongdich.surveillance.models import Case, TreatmentEpisode, TreatmentPlace

PLACE_OF_KIND = {
    FacilityKind.HOSPITAL: TreatmentPlace.HOSPITAL,
    FacilityKind.FIELD_HOSPITAL: TreatmentPlace.FIELD_HOSPITAL,
    FacilityKind.TREATMENT_AREA: TreatmentPlace.TREATMENT_AREA,
    FacilityKind.CONCENTRATED_QUARANTINE: TreatmentPlace.CONCENTRATED,
    FacilityKind.HOTEL: TreatmentPlace.CONCENTRATED,
}


def open_facilities(province_code: str):
    """Treatment and quarantine facilities of the case's province that are open (reference data)."""
    return Facility.objects.filter(province_code=province_code, closed_on__isnull=True).order_by("kind", "name")


class FacilityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, facility):
        return f"{facility.name} ({facility.get_kind_display()})"


class CareFacilities(placement.Facilities):
    def with_names(self, queryset: QuerySet) -> QuerySet:
        links = CaseFacility if queryset.model is Case else EpisodeFacility
        key = "case" if queryset.model is Case else "episode"
        name = links.objects.filter(**{key: OuterRef("pk")}).values("facility__name")[:1]
        return queryset.annotate(facility_name=Subquery(name))

    def field(self, province_code: str) -> forms.Field:
        return FacilityChoiceField(
            label=gettext_lazy("Facility"), queryset=open_facilities(province_code), required=False
        )

    def check(self, place: str, facility) -> str | None:
        if place in NAMED_FACILITY_PLACES and facility is None:
            return _("Choose the facility where the case is treated.")
        if facility is not None and place == TreatmentPlace.HOME:
            return _("Home care has no facility: leave it empty.")
        if facility is not None and PLACE_OF_KIND.get(facility.kind) != place:
            return _("%(facility)s is a %(kind)s: choose the matching treatment place.") % {
                "facility": facility.name,
                "kind": facility.get_kind_display().lower(),
            }
        return None

    def of_episode(self, episode: TreatmentEpisode) -> Facility | None:
        return facility_of_episode(episode)

    def named(self, province_code: str) -> list[tuple[str, Facility]]:
        return [
            (facility.name, facility)
            for facility in Facility.objects.filter(province_code=province_code, closed_on__isnull=True)
        ]

    def place_of(self, facility: Facility) -> str | None:
        return PLACE_OF_KIND.get(facility.kind)

    def isolation_start(self, person_id: int, after: date) -> date | None:
        starts = [
            d
            for d in (
                HomeOrder.objects.filter(person_id=person_id, kind=OrderKind.HOME_QUARANTINE, start__gte=after)
                .order_by("start")
                .values_list("start", flat=True)
                .first(),
                Stay.objects.filter(person_id=person_id, admitted_on__gte=after)
                .order_by("admitted_on")
                .values_list("admitted_on", flat=True)
                .first(),
            )
            if d is not None
        ]
        return min(starts) if starts else None


def facility_of(case: Case) -> Facility | None:
    """The facility treating the case (its current or last place), or None."""
    link = CaseFacility.objects.filter(case=case).select_related("facility").first()
    return link.facility if link else None


def facility_of_episode(episode: TreatmentEpisode | None) -> Facility | None:
    if episode is None:
        return None
    link = EpisodeFacility.objects.filter(episode=episode).select_related("facility").first()
    return link.facility if link else None


def facility_id_of_episode(episode: TreatmentEpisode | None) -> int | None:
    if episode is None:
        return None
    return EpisodeFacility.objects.filter(episode=episode).values_list("facility_id", flat=True).first()
