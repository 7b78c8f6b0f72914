"""Quarantine and treatment facilities with beds by type, stays, home quarantine / home care orders,
daily monitoring and alerts."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chongdich.core.recorded import Recorded, scoped_history
from chongdich.core.scoping import ScopedModel
from chongdich.tallies.engine import UNITS, Contribution


class FacilityKind(models.TextChoices):
    CONCENTRATED_QUARANTINE = "concentrated_quarantine", _("Concentrated quarantine")
    HOTEL = "hotel", _("Hotel quarantine")
    FIELD_HOSPITAL = "field_hospital", _("Field hospital")
    TREATMENT_AREA = "treatment_area", _("Treatment area")
    HOSPITAL = "hospital", _("Hospital")


class BedType(models.TextChoices):
    QUARANTINE = "quarantine", _("Quarantine place")
    TREATMENT = "treatment", _("Treatment bed")
    OXYGEN = "oxygen", _("Oxygen bed")
    ICU = "icu", _("ICU bed")


CAPACITY_FIELD = {b: f"{b}_capacity" for b in BedType.values}
OCCUPIED_FIELD = {b: f"{b}_occupied" for b in BedType.values}


class Facility(ScopedModel, Recorded):
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=24, choices=FacilityKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    ready_within_24h = models.BooleanField(_("can open within 24 hours"), default=False)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    managers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="facilities")

    history = scoped_history()
    scope_capability = "care.view"

    class Meta(ScopedModel.Meta, Recorded.Meta):
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")

    def get_absolute_url(self) -> str:
        return reverse("care:facility", args=[self.pk])

    def __str__(self) -> str:
        return self.name


class CapacityChange(Recorded):
    """Beds of a type added (or removed) on a day: the facility's capacity is their running sum."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="capacity_changes")
    bed_type = models.CharField(_("bed type"), max_length=12, choices=BedType.choices)
    day = models.DateField(_("from"))
    delta = models.IntegerField(_("beds added"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta(Recorded.Meta):
        verbose_name = _("capacity change")
        verbose_name_plural = _("capacity changes")
        ordering = ["day", "pk"]

    def tally_contributions(self):
        yield Contribution(UNITS.of(self.facility), self.day, CAPACITY_FIELD[self.bed_type], self.delta)


class CaseFacility(models.Model):
    """The facility treating a case (its current or last place), a fact of care: surveillance records the
    kind of place only (``Case.treatment_place``) and never refers to care.  No row: treated at home or in
    a hospital outside the system.  Kept by ``actions.case_sync`` from the case services' ``case_changed``."""

    case = models.OneToOneField(
        "surveillance.Case", on_delete=models.CASCADE, primary_key=True, related_name="care_facility"
    )
    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="case_links", verbose_name=_("facility")
    )

    class Meta:
        verbose_name = _("facility of a case")
        verbose_name_plural = _("facilities of cases")

    def __str__(self) -> str:
        return f"{self.case_id} → {self.facility_id}"


class EpisodeFacility(models.Model):
    """The facility of one treatment episode of a case (see ``CaseFacility``)."""

    episode = models.OneToOneField(
        "surveillance.TreatmentEpisode", on_delete=models.CASCADE, primary_key=True, related_name="care_facility"
    )
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="+", verbose_name=_("facility"))

    class Meta:
        verbose_name = _("facility of a treatment episode")
        verbose_name_plural = _("facilities of treatment episodes")

    def __str__(self) -> str:
        return f"{self.episode_id} → {self.facility_id}"


class StayPurpose(models.TextChoices):
    QUARANTINE_F1 = "quarantine_f1", _("Quarantine of an F1")
    QUARANTINE_ENTRANT = "quarantine_entrant", _("Quarantine of an entrant")
    TREATMENT = "treatment", _("Treatment of a case")


class DischargeReason(models.TextChoices):
    COMPLETED = "completed", _("Quarantine completed")
    RECOVERED = "recovered", _("Recovered")
    TRANSFERRED = "transferred", _("Transferred")
    BECAME_CASE = "became_case", _("Tested positive")
    DIED = "died", _("Died")
    OTHER = "other", _("Other")


class Stay(ScopedModel, Recorded):
    """A person in a facility, from admission to discharge; never two open stays for one person."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="stays", verbose_name=_("person")
    )
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="stays", verbose_name=_("facility"))
    bed_type = models.CharField(_("bed type"), max_length=12, choices=BedType.choices)
    purpose = models.CharField(_("purpose"), max_length=20, choices=StayPurpose.choices)
    admitted_on = models.DateField(_("admitted on"))
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    discharge_reason = models.CharField(
        _("discharge reason"), max_length=12, choices=DischargeReason.choices, blank=True
    )
    transferred_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    overflow = models.BooleanField(_("above capacity (authorised overflow)"), default=False)
    case = models.ForeignKey(
        "surveillance.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="stays"
    )
    contact = models.ForeignKey(
        "surveillance.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="stays"
    )
    rule_version = models.CharField(_("rule"), max_length=120, blank=True)
    test_days = models.JSONField(_("test days"), default=list, blank=True)  # ISO dates from the quarantine plan
    reasons = models.JSONField(default=list, blank=True)  # [{"rule", "vi", "en"}] from the rules
    inputs = models.JSONField(default=dict, blank=True)  # what the rule was given (exposure date, vaccination…)
    note = models.CharField(_("note"), max_length=300, blank=True)
    discharge_note = models.CharField(_("discharge note"), max_length=300, blank=True)
    batch = models.ForeignKey("care.OrderBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="stays")

    history = scoped_history()
    scope_capability = "care.view"

    class Meta(ScopedModel.Meta):
        verbose_name = _("stay")
        verbose_name_plural = _("stays")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(discharged_on__isnull=True), name="one_open_stay_per_person"
            ),
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True) | Q(discharged_on__gte=models.F("admitted_on")),
                name="stay_discharge_after_admission",
            ),
            *Recorded.Meta.constraints,
        ]
        indexes = [
            *ScopedModel.Meta.indexes,
            models.Index(fields=["facility", "discharged_on"], name="stay_facility_open"),
            models.Index(fields=["created_at"], name="stay_created"),
        ]  # the daily report's cut-off

    def __str__(self) -> str:
        return f"{self.person} @ {self.facility}"

    def get_absolute_url(self) -> str:
        return reverse("care:person", args=[self.person_id])  # a stay is shown on its person's care page

    def tally_contributions(self):
        # Beds are counted where the facility is; F1 quarantine where the person lives.
        facility_unit = UNITS.of(self.facility)
        person_unit = UNITS.of(self)
        yield Contribution(facility_unit, self.admitted_on, OCCUPIED_FIELD[self.bed_type], 1)
        if self.discharged_on:
            yield Contribution(facility_unit, self.discharged_on, OCCUPIED_FIELD[self.bed_type], -1)
        if self.purpose == StayPurpose.QUARANTINE_F1:
            yield Contribution(person_unit, self.admitted_on, "f1_facility_quarantine", 1)
            free = self.quarantine_over_on
            if free is not None:
                yield Contribution(person_unit, free, "f1_facility_quarantine", -1)
            if (
                self.planned_end
                and free is not None
                and free == self.planned_end + timedelta(days=1) > self.admitted_on
            ):
                yield Contribution(person_unit, free, "f1_completed", 1)  # ran to its planned end

    @property
    def quarantine_over_on(self):
        """The first day no longer in quarantine: the discharge, or the day after the planned end if that
        comes first.  F1 are counted by these dates, so the figure and the list of people in quarantine on a
        day agree whether or not the stay past its end has been closed yet (``care.services.expiry``)."""
        ends = [d for d in (self.discharged_on, self.planned_end and self.planned_end + timedelta(days=1)) if d]
        return max(min(ends), self.admitted_on) if ends else None


class OrderKind(models.TextChoices):
    HOME_QUARANTINE = "home_quarantine", _("Home quarantine (F1)")
    HOME_CARE = "home_care", _("Home care (F0)")
    SELF_MONITORING = "self_monitoring", _("Self-monitoring")


class OrderStatus(models.TextChoices):
    ACTIVE = "active", _("In progress")
    COMPLETED = "completed", _("Completed")
    CONVERTED = "converted", _("Ended: moved to a facility or became a case")
    CANCELLED = "cancelled", _("Cancelled")


class HomeOrder(ScopedModel, Recorded):
    """Home quarantine of an F1, home care of an F0 or self-monitoring, with its plan and rule version."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="home_orders", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=OrderKind.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("until (planned)"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.ACTIVE)
    test_days = models.JSONField(_("test days"), default=list, blank=True)
    self_monitor_until = models.DateField(_("self-monitoring until"), null=True, blank=True)
    rule_version = models.CharField(_("rule"), max_length=120, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    case = models.ForeignKey(
        "surveillance.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="home_orders"
    )
    contact = models.ForeignKey(
        "surveillance.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="home_orders"
    )
    order_number = models.CharField(_("order number"), max_length=40, blank=True)
    inputs = models.JSONField(default=dict, blank=True)  # what the rule was given (exposure date, vital signs…)
    override_reason = models.CharField(_("reason for departing from the rule"), max_length=300, blank=True)
    end_note = models.CharField(_("note on ending"), max_length=300, blank=True)
    batch = models.ForeignKey(
        "care.OrderBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )

    history = scoped_history()
    scope_capability = "care.view"

    class Meta(ScopedModel.Meta):
        verbose_name = _("home order")
        verbose_name_plural = _("home orders")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"], condition=Q(status="active"), name="one_active_order_per_kind"
            ),
            *Recorded.Meta.constraints,
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="order_end_after_start"),
        ]
        indexes = [
            *ScopedModel.Meta.indexes,
            models.Index(fields=["status", "end"], name="order_status_end"),
            models.Index(fields=["created_at"], name="order_created"),
        ]  # the daily report's cut-off

    def get_absolute_url(self) -> str:
        return reverse("care:order", args=[self.pk])

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.person}"

    @property
    def last_day(self):
        """The last day in quarantine: the planned end, or the day before it ended early."""
        if self.ended_on is not None:
            return min(self.end, self.ended_on - timedelta(days=1))
        return self.end

    def tally_contributions(self):
        if self.kind != OrderKind.HOME_QUARANTINE or self.status == OrderStatus.CANCELLED:
            return
        unit = UNITS.of(self)
        yield Contribution(unit, self.start, "f1_home_quarantine", 1)
        yield Contribution(unit, self.last_day + timedelta(days=1), "f1_home_quarantine", -1)
        if self.last_day == self.end:  # ran to its planned end (not converted or ended early)
            yield Contribution(unit, self.end + timedelta(days=1), "f1_completed", 1)


class MonitoringEntry(Recorded):
    """A daily check of a person in home quarantine or home care (append-only)."""

    order = models.ForeignKey(HomeOrder, on_delete=models.CASCADE, related_name="entries")
    at = models.DateTimeField(_("time"), default=timezone.now)
    temperature_c = models.DecimalField(_("temperature (°C)"), max_digits=4, decimal_places=1, null=True, blank=True)
    spo2 = models.PositiveSmallIntegerField(_("SpO2 (%)"), null=True, blank=True)
    respiratory_rate = models.PositiveSmallIntegerField(_("breaths per minute"), null=True, blank=True)
    pulse = models.PositiveSmallIntegerField(_("pulse"), null=True, blank=True)
    symptoms = models.JSONField(_("symptoms"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    warning = models.BooleanField(_("warning sign"), default=False)
    signs = models.JSONField(default=list, blank=True)  # warning signs found by the rules, with their details
    rule_version = models.CharField(_("rule"), max_length=120, blank=True)

    class Meta(Recorded.Meta):
        verbose_name = _("monitoring entry")
        verbose_name_plural = _("monitoring entries")
        ordering = ["-at"]
        indexes = [models.Index(fields=["order", "-at"], name="monitoring_order_at")]


class Alert(ScopedModel):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="alerts")
    order = models.ForeignKey(HomeOrder, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts")
    entry = models.ForeignKey(MonitoringEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts")
    message = models.CharField(_("message"), max_length=300)
    signs = models.JSONField(default=list, blank=True)
    raised_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution_note = models.CharField(_("what was done"), max_length=300, blank=True)

    scope_capability = "care.view"

    class Meta(ScopedModel.Meta):
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        indexes = [*ScopedModel.Meta.indexes, models.Index(fields=["resolved_at", "raised_at"], name="alert_open")]

    def __str__(self) -> str:
        return self.message


class BatchKind(models.TextChoices):
    HOME_QUARANTINE = "home_quarantine", _("Home quarantine")
    FACILITY_QUARANTINE = "facility_quarantine", _("Facility quarantine")


class OrderBatch(Recorded):
    """One bulk action: every F1 of a chain or a cluster ordered into quarantine in one step.

    The orders (or stays) it created point back at it, so they can be printed together; the counts
    say how many were ordered and why the others were skipped.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=BatchKind.choices)
    chain = models.ForeignKey("surveillance.Chain", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    cluster = models.ForeignKey(
        "surveillance.Cluster", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    facility = models.ForeignKey(Facility, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    on = models.DateField(_("ordered on"))
    counts = models.JSONField(default=dict, blank=True)
    override_reason = models.CharField(_("reason for departing from the rule"), max_length=300, blank=True)

    class Meta(Recorded.Meta):
        verbose_name = _("bulk quarantine order")
        verbose_name_plural = _("bulk quarantine orders")

    def get_absolute_url(self) -> str:
        return reverse("care:bulk", args=[self.pk])

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()}"
