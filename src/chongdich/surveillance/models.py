"""Cases (F0), exposures between people, contacts (F1/F2…) derived from them, clusters and chains."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.core.recorded import Recorded, scoped_history
from chongdich.core.scoping import ScopedModel, ScopedQuerySet
from chongdich.tallies.engine import UNITS, ClusterContribution, Contribution


class Setting(models.TextChoices):
    INDUSTRIAL_PARK = "industrial_park", _("Industrial park, factory")
    SCHOOL = "school", _("School")
    MARKET = "market", _("Traditional market")
    SUPERMARKET = "supermarket", _("Supermarket, shopping centre")
    HOSPITAL = "hospital", _("Hospital, health facility")
    HOUSEHOLD = "household", _("Household")
    OTHER = "other", _("Other")


HIGH_CONTACT_SETTINGS = {Setting.INDUSTRIAL_PARK, Setting.SCHOOL, Setting.MARKET, Setting.SUPERMARKET, Setting.HOSPITAL}


class Cluster(ScopedModel):
    """A named outbreak site (a market, a factory); separate from transmission chains, linked to them."""

    name = models.CharField(_("name"), max_length=160)
    setting = models.CharField(_("setting"), max_length=20, choices=Setting.choices)
    source_known = models.BooleanField(_("source known"), default=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    opened_on = models.DateField(_("first case"), default=clock.today)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = scoped_history()
    scope_capability = "cases.view"

    class Meta(ScopedModel.Meta):
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("surveillance:cluster", args=[self.pk])

    def tally_contributions(self):
        """Open from ``opened_on`` until ``closed_on`` in its commune's cluster tallies (the risk
        engine's clusters); its cases are counted by ``Case.tally_contributions``."""
        if not self.commune_code:
            return
        key = {"commune_code": self.commune_code, "setting": self.setting, "source_known": self.source_known}
        yield ClusterContribution(self.pk, self.opened_on, "opened", 1, **key)
        if self.closed_on is not None:
            yield ClusterContribution(self.pk, self.closed_on, "opened", -1, **key)


class Chain(models.Model):
    """A connected group of cases linked through exposures, kept as a persisted union-find.

    Every chain points at its root (``parent`` is null for a root, else a root: depth ≤ 1), so a
    case's chain is one join; a merge re-parents the smaller root and the chains under it.
    """

    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="absorbed")
    province_code = models.CharField(max_length=8, db_index=True)
    size = models.PositiveIntegerField(default=0)
    active = models.PositiveIntegerField(_("active cases"), default=0)
    first_date = models.DateField(_("first case"), null=True, blank=True)
    last_date = models.DateField(_("latest case"), null=True, blank=True)
    clusters = models.ManyToManyField(Cluster, blank=True, related_name="chains")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("transmission chain")
        verbose_name_plural = _("transmission chains")
        indexes = [
            models.Index(fields=["parent"], name="chain_parent"),
            models.Index(fields=["-size"], name="chain_size"),
        ]

    def __str__(self) -> str:
        return f"#{self.root_id}"

    def get_absolute_url(self) -> str:
        return reverse("surveillance:chain", args=[self.root_id])

    @property
    def root_id(self) -> int:
        return self.parent_id or self.pk


class CaseCounter(models.Model):
    """The last case number given in a province (numbers are per province, gap-free)."""

    province_code = models.CharField(max_length=8, primary_key=True)
    last = models.PositiveIntegerField(default=0)


class TestType(models.TextChoices):
    RT_PCR = "rt_pcr", _("RT-PCR")
    POOLED_RT_PCR = "pooled_rt_pcr", _("Pooled RT-PCR, confirmed individually")
    RAPID_ANTIGEN = "rapid_antigen", _("Rapid antigen test")
    CLINICAL_RAT = "clinical_rat", _("Symptoms + rapid antigen test")


class DetectedIn(models.TextChoices):
    COMMUNITY = "community", _("In the community")
    QUARANTINE = "quarantine", _("In concentrated quarantine")
    LOCKDOWN = "lockdown", _("In a locked-down area")
    BORDER = "border", _("At the border")


class Severity(models.TextChoices):
    ASYMPTOMATIC = "asymptomatic", _("Asymptomatic")
    MILD = "mild", _("Mild")
    MODERATE = "moderate", _("Moderate")
    SEVERE = "severe", _("Severe")
    CRITICAL = "critical", _("Critical")


class TreatmentPlace(models.TextChoices):
    HOSPITAL = "hospital", _("Hospital")
    FIELD_HOSPITAL = "field_hospital", _("Field hospital")
    TREATMENT_AREA = "treatment_area", _("Treatment area")
    CONCENTRATED = "concentrated", _("Concentrated facility")
    HOME = "home", _("Home care")


PLACE_FIELD = {
    TreatmentPlace.HOSPITAL: "active_hospital",
    TreatmentPlace.FIELD_HOSPITAL: "active_field_hospital",
    TreatmentPlace.TREATMENT_AREA: "active_treatment_area",
    TreatmentPlace.CONCENTRATED: "active_concentrated",
    TreatmentPlace.HOME: "active_home",
}


class Outcome(models.TextChoices):
    ACTIVE = "active", _("Under treatment")
    RECOVERED = "recovered", _("Recovered")
    DIED = "died", _("Died")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out of the province")


class CaseQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(outcome=Outcome.ACTIVE)


# What an officer states about a case besides who and when (the confirm and edit forms, do_update_case).
CASE_DETAIL_FIELDS = (
    "detected_in",
    "symptomatic",
    "onset_date",
    "source_known",
    "setting",
    "cluster",
    "severity",
    "notes",
    "test_type",
    "sample_code",
)


class Case(ScopedModel, Recorded):
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="cases", verbose_name=_("person")
    )
    case_number = models.CharField(_("case number"), max_length=24)
    confirmed_on = models.DateField(_("confirmed on"))
    test_type = models.CharField(_("confirmed by"), max_length=16, choices=TestType.choices, default=TestType.RT_PCR)
    sample_code = models.CharField(_("sample"), max_length=40, blank=True)
    detected_in = models.CharField(
        _("detected"), max_length=12, choices=DetectedIn.choices, default=DetectedIn.COMMUNITY
    )
    symptomatic = models.BooleanField(_("symptomatic"), default=False)
    onset_date = models.DateField(_("symptom onset"), null=True, blank=True)
    source_known = models.BooleanField(_("source known"), default=True)
    setting = models.CharField(_("setting"), max_length=20, choices=Setting.choices, blank=True)
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases", verbose_name=_("cluster")
    )
    severity = models.CharField(_("severity"), max_length=12, choices=Severity.choices, default=Severity.ASYMPTOMATIC)
    treatment_place = models.CharField(
        _("treatment place"), max_length=16, choices=TreatmentPlace.choices, default=TreatmentPlace.HOME
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.ACTIVE)
    outcome_on = models.DateField(_("outcome date"), null=True, blank=True)
    chain = models.ForeignKey(Chain, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases")
    notes = models.TextField(_("notes"), blank=True)

    history = scoped_history()
    objects = CaseQuerySet.as_manager()
    scope_capability = "cases.view"

    class Meta(ScopedModel.Meta):
        verbose_name = _("case (F0)")
        verbose_name_plural = _("cases (F0)")
        constraints = [
            models.UniqueConstraint(fields=["province_code", "case_number"], name="case_number_per_province"),
            models.UniqueConstraint(
                fields=["person"], condition=Q(outcome="active"), name="one_active_case_per_person"
            ),
            *Recorded.Meta.constraints,
        ]
        indexes = [
            *ScopedModel.Meta.indexes,
            models.Index(fields=["confirmed_on"], name="case_confirmed"),
            models.Index(fields=["chain"], name="case_chain"),
            models.Index(fields=["outcome", "confirmed_on"], name="case_outcome"),
            models.Index(fields=["created_at"], name="case_created"),  # the daily report's cut-off
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {self.person.full_name if self.person_id else ''}".strip()

    def get_absolute_url(self) -> str:
        return reverse("surveillance:detail", args=[self.pk])

    @property
    def is_community(self) -> bool:
        return self.detected_in == DetectedIn.COMMUNITY

    def tally_contributions(self):
        unit = UNITS.of(self)
        day = self.confirmed_on
        if self.cluster_id:
            yield ClusterContribution(self.cluster_id, day, "cases", 1)
        if self.is_community:
            yield Contribution(unit, day, "cases_new_community", 1)
            if not self.source_known:
                yield Contribution(unit, day, "cases_new_community_unknown_source", 1)
        else:
            yield Contribution(unit, day, "cases_new_isolated", 1)
        for episode in self.episodes.all():
            yield Contribution(unit, episode.start, PLACE_FIELD[episode.place], 1)
            if episode.end is not None:
                yield Contribution(unit, episode.end, PLACE_FIELD[episode.place], -1)
            if episode.place in (TreatmentPlace.HOSPITAL, TreatmentPlace.FIELD_HOSPITAL):
                yield Contribution(unit, episode.start, "cases_hospitalised", 1)
        if self.outcome != Outcome.ACTIVE and self.outcome_on:
            field = {
                Outcome.RECOVERED: "cases_recovered",
                Outcome.DIED: "cases_died",
                Outcome.TRANSFERRED_OUT: "cases_transferred_out",
            }[self.outcome]
            yield Contribution(unit, self.outcome_on, field, 1)


class TreatmentEpisode(models.Model):
    """Where a case was treated from ``start`` until ``end`` (exclusive; null while it continues).

    Episodes of a case are contiguous from confirmation to outcome, so the active count always equals
    the sum over treatment places (R-55).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="episodes")
    place = models.CharField(_("treatment place"), max_length=16, choices=TreatmentPlace.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("treatment episode")
        verbose_name_plural = _("treatment episodes")


class ExposureKind(models.TextChoices):
    HOUSEHOLD = "household", _("Same household")
    PHYSICAL_CONTACT = "physical_contact", _("Physical contact")
    CLOSE_MASKED = "close_masked", _("Close, masked, 15 minutes or more")
    CLOSE_UNMASKED = "close_unmasked", _("Close, without a mask")
    SAME_ENCLOSED_SPACE = "same_enclosed_space", _("Same small enclosed space")
    CARE_WITHOUT_PPE = "care_without_ppe", _("Care without full protective equipment")
    OTHER = "other", _("Other")


class Exposure(ScopedModel, Recorded):
    """Two people were together in a way that can transmit the virus (source → contact)."""

    source = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="exposures_out", verbose_name=_("source")
    )
    contact = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="exposures_in", verbose_name=_("contact")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ExposureKind.choices)
    masked = models.BooleanField(_("masked"), null=True, blank=True)
    distance_m = models.DecimalField(_("distance (m)"), max_digits=5, decimal_places=1, null=True, blank=True)
    duration_min = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    cluster = models.ForeignKey(Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="exposures")

    scope_capability = "cases.view"

    class Meta(ScopedModel.Meta):
        verbose_name = _("exposure")
        verbose_name_plural = _("exposures")
        constraints = [
            models.CheckConstraint(condition=~Q(source=models.F("contact")), name="exposure_not_self"),
            *Recorded.Meta.constraints,
        ]
        indexes = [
            *ScopedModel.Meta.indexes,
            models.Index(fields=["source", "start"], name="exposure_source"),
            models.Index(fields=["contact", "start"], name="exposure_contact"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.contact_id} ({self.kind})"


class ContactStatus(models.TextChoices):
    TO_FIND = "to_find", _("To find")
    REACHED = "reached", _("Reached")
    TESTED = "tested", _("Tested")
    ISOLATED = "isolated", _("Isolated")
    RELEASED = "released", _("Released")
    BECAME_CASE = "became_case", _("Became a case")


class Contact(ScopedModel):
    """A person's rank (F1, F2, …) relative to an index case, derived from exposures.

    Unit and scope are the contact's residence, so that the commune where the F1 lives sees them on
    its work list even when the case lives elsewhere.
    """

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="contact_records", verbose_name=_("person")
    )
    index_case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("index case")
    )
    rank = models.PositiveSmallIntegerField(_("rank (F1=1)"))
    via = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("through")
    )
    first_exposure = models.DateField(_("first exposure"))
    last_exposure = models.DateField(_("last exposure"))
    definition_version = models.CharField(_("definition"), max_length=80, blank=True)
    status = models.CharField(
        _("tracing status"), max_length=12, choices=ContactStatus.choices, default=ContactStatus.TO_FIND
    )
    created_at = models.DateTimeField(
        default=timezone.now, null=True, editable=False
    )  # null: recorded before it was kept
    updated_at = models.DateTimeField(auto_now=True)

    history = scoped_history()
    scope_capability = "cases.view"

    class Meta(ScopedModel.Meta):
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [models.UniqueConstraint(fields=["person", "index_case"], name="contact_once_per_case")]
        indexes = [
            *ScopedModel.Meta.indexes,
            models.Index(fields=["index_case", "rank"], name="contact_case_rank"),
            models.Index(fields=["person", "rank"], name="contact_person_rank"),
            models.Index(fields=["created_at"], name="contact_created"),  # the daily report's cut-off
        ]

    def __str__(self) -> str:
        return f"F{self.rank} {self.person_id} ← {self.index_case_id}"

    @property
    def found_on(self):
        """The day the person became this contact: the index case's confirmation, or the first exposure
        when it came later (a household member exposed to a case isolating at home)."""
        return max(self.index_case.confirmed_on, self.first_exposure)

    def tally_contributions(self):
        field = {1: "f1_new", 2: "f2_new"}.get(self.rank)
        if field is not None:
            yield Contribution(UNITS.of(self), self.found_on, field, 1)
