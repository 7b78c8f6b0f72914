"""Vaccination: sites and sessions, lots and stock, invitations, screening, doses, AEFI reports,
priority-group enrolment, the national platform's records awaiting reconciliation, and the
province's rule overrides.

A dose is scoped by the *person's* unit at the time it was given (coverage is counted where people
live); the site and session that gave it are scoped by the site's unit.  The dose's snapshot fields
(``kind``, ``number``, ``completes_primary``, ``age_band``, ``priority_group``, ``high_risk``) are
what the pure rules said when it was recorded, so that the tallies and a rebuild read the same
values from the row and never re-run the rules over history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from chongdich.core.recorded import Recorded, scoped_history
from chongdich.core.scoping import ScopedModel, ScopedQuerySetMixin
from chongdich.tallies.engine import UNITS, VaccinationContribution

VIEW, EDIT = "vaccination.view", "vaccination.edit"


class SiteKind(models.TextChoices):
    HEALTH_STATION = "health_station", _("Commune health station")
    HOSPITAL = "hospital", _("Hospital")
    FIXED = "fixed", _("Fixed vaccination point")
    MOBILE = "mobile", _("Mobile team")
    SCHOOL = "school", _("School")
    WORKPLACE = "workplace", _("Workplace, industrial park")


class Site(ScopedModel, Recorded):
    """A vaccination point (điểm tiêm chủng)."""

    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=16, choices=SiteKind.choices, default=SiteKind.HEALTH_STATION)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    tables = models.PositiveSmallIntegerField(_("vaccination tables"), default=1)
    active = models.BooleanField(pgettext_lazy("vaccination site", "active"), default=True)

    history = scoped_history()
    scope_capability = VIEW

    class Meta(ScopedModel.Meta, Recorded.Meta):
        verbose_name = _("vaccination site")
        verbose_name_plural = _("vaccination sites")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("vaccination:site", args=[self.pk])


class Lot(Recorded):
    """A manufacturer's lot of one product (reference data shared by every site that holds it)."""

    product = models.CharField(_("vaccine"), max_length=8)  # a catalogue code (rules: cfg.products)
    number = models.CharField(_("lot number"), max_length=40)
    expires_on = models.DateField(_("expiry date"))
    doses_per_vial = models.PositiveSmallIntegerField(_("doses per vial"), default=10)
    source = models.CharField(_("source"), max_length=120, blank=True)  # COVAX, purchase, donation…

    history = HistoricalRecords()

    class Meta(Recorded.Meta):
        verbose_name = _("vaccine lot")
        verbose_name_plural = _("vaccine lots")
        constraints = [
            *Recorded.Meta.constraints,
            models.UniqueConstraint(fields=["product", "number"], name="vaccination_lot_product_number"),
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.number}"


class MovementKind(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("vaccine stock", "Received")
    TRANSFER_IN = "transfer_in", pgettext_lazy("vaccine stock", "Transferred in")
    TRANSFER_OUT = "transfer_out", pgettext_lazy("vaccine stock", "Transferred out")
    DISCARDED_CLOSED = "discarded_closed", pgettext_lazy("vaccine stock", "Discarded, closed vial")
    DISCARDED_OPENED = "discarded_opened", pgettext_lazy("vaccine stock", "Discarded, opened vial")
    ADJUSTED = "adjusted", pgettext_lazy("vaccine stock", "Count adjusted")


# Sign of a movement on the site's stock (doses).  Doses given are not movements: they are the doses.
MOVEMENT_SIGN = {
    MovementKind.RECEIVED: 1,
    MovementKind.TRANSFER_IN: 1,
    MovementKind.TRANSFER_OUT: -1,
    MovementKind.DISCARDED_CLOSED: -1,
    MovementKind.DISCARDED_OPENED: -1,
    MovementKind.ADJUSTED: 1,  # doses may be negative
}


class StockMovement(ScopedModel, Recorded):
    """Doses of a lot entering or leaving a site's stock (besides the doses given, counted from ``Dose``)."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="movements", verbose_name=_("site"))
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="movements", verbose_name=_("lot"))
    kind = models.CharField(_("movement"), max_length=16, choices=MovementKind.choices)
    day = models.DateField(_("date"))
    doses = models.IntegerField(_("doses"))  # positive; the sign comes from the kind (ADJUSTED: signed)
    counterpart = models.ForeignKey(
        Site,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("other site"),
    )  # a transfer's other end
    transfer = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )  # the matching movement of a transfer
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = scoped_history()
    scope_capability = VIEW

    class Meta(ScopedModel.Meta, Recorded.Meta):
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        indexes = [
            *ScopedModel.Meta.indexes,
            models.Index(fields=["site", "lot", "day"], name="vacc_movement_site_lot_day"),
        ]

    @property
    def signed_doses(self) -> int:
        return MOVEMENT_SIGN[MovementKind(self.kind)] * self.doses


class Shift(models.TextChoices):
    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")
    EVENING = "evening", _("Evening")
    ALL_DAY = "all_day", _("All day")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class Session(ScopedModel, Recorded):
    """A vaccination session (buổi tiêm) at a site on a day: shifts, planned number, lots in use, staff."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("site"))
    day = models.DateField(_("date"))
    shift = models.CharField(_("shift"), max_length=10, choices=Shift.choices, default=Shift.ALL_DAY)
    planned = models.PositiveIntegerField(_("planned number"), default=0)
    lots = models.ManyToManyField(Lot, blank=True, related_name="sessions", verbose_name=_("lots in use"))
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="vaccination_sessions", verbose_name=_("staff")
    )
    staff_note = models.CharField(_("team"), max_length=300, blank=True)  # doctors, nurses by name
    status = models.CharField(_("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = scoped_history()
    scope_capability = VIEW

    class Meta(ScopedModel.Meta, Recorded.Meta):
        verbose_name = _("vaccination session")
        verbose_name_plural = _("vaccination sessions")
        indexes = [*ScopedModel.Meta.indexes, models.Index(fields=["day"], name="vacc_session_day")]

    def __str__(self) -> str:
        return f"{self.site} {self.day:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("vaccination:session", args=[self.pk])


class Enrolment(ScopedModel, Recorded):
    """A person counted in a priority group (the target lists and the group coverage denominators)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="vaccination_groups", verbose_name=_("person")
    )
    group = models.CharField(_("priority group"), max_length=8)  # a catalogue code (rules: cfg.groups)
    high_risk = models.BooleanField(_("high-risk group"), default=False)  # snapshot of the group's flag
    since = models.DateField(_("from"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = scoped_history()
    scope_capability = VIEW

    class Meta(ScopedModel.Meta, Recorded.Meta):
        verbose_name = _("priority group enrolment")
        verbose_name_plural = _("priority group enrolments")
        constraints = [
            *Recorded.Meta.constraints,
            models.UniqueConstraint(fields=["person", "group"], name="vaccination_enrolment_person_group"),
        ]

    def tally_contributions(self):
        """One person in the group from ``since`` (the group's coverage denominator, a stock)."""
        yield VaccinationContribution(
            UNITS.of(self), self.since, "enrolled", 1, priority_group=self.group, high_risk=self.high_risk
        )


class InvitationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    CAME = "came", _("Came")
    VACCINATED = "vaccinated", _("Vaccinated")
    POSTPONED = "postponed", _("Postponed")
    ABSENT = "absent", _("Did not come")


class Invitation(ScopedModel, Recorded):
    """A person invited to a session; ``token`` is what the slip's QR code carries."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("session")
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="vaccination_invitations", verbose_name=_("person")
    )
    token = models.CharField(max_length=32, unique=True, editable=False)
    dose_kind = models.CharField(_("dose"), max_length=12, blank=True)  # primary / additional / booster
    dose_number = models.PositiveSmallIntegerField(_("dose number"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.INVITED
    )

    history = scoped_history()
    scope_capability = VIEW

    class Meta(ScopedModel.Meta, Recorded.Meta):
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            *Recorded.Meta.constraints,
            models.UniqueConstraint(fields=["session", "person"], name="vaccination_invitation_session_person"),
        ]


class ScreeningOutcome(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    CAUTION = "caution", _("Eligible with caution")
    POSTPONE = "postpone", _("Postpone")
    CONTRAINDICATED = "contraindicated", _("Contraindicated")


class Screening(ScopedModel, Recorded):
    """Pre-vaccination screening (khám sàng lọc): the checklist's answers and the outcome."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="vaccination_screenings", verbose_name=_("person")
    )
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="screenings", verbose_name=_("session")
    )
    screened_at = models.DateTimeField(_("screened at"))
    answers = models.JSONField(_("answers"), default=dict)
    temperature = models.DecimalField(_("temperature (°C)"), max_digits=3, decimal_places=1, null=True, blank=True)
    blood_pressure = models.CharField(_("blood pressure"), max_length=12, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=ScreeningOutcome.choices)
    reasons = models.JSONField(default=list)  # the rules' reasons
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = scoped_history()
    scope_capability = VIEW

    class Meta(ScopedModel.Meta, Recorded.Meta):
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")


class DoseKind(models.TextChoices):
    PRIMARY = "primary", _("Primary series")
    ADDITIONAL = "additional", _("Additional dose")
    BOOSTER = "booster", _("Booster")


class DoseSource(models.TextChoices):
    TABLE = "table", _("Vaccination table")
    MANUAL = "manual", _("Entered afterwards")
    PLATFORM = "platform", _("National platform import")
    DEMO = "demo", _("Demo data")


class DoseQuerySet(ScopedQuerySetMixin, models.QuerySet):
    def valid(self):
        return self.filter(voided_at__isnull=True)


class Dose(ScopedModel, Recorded):
    """One dose given to a person (scoped by the person's unit when it was given)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="vaccine_doses", verbose_name=_("person")
    )
    product = models.CharField(_("vaccine"), max_length=8)  # a catalogue code
    lot = models.ForeignKey(
        Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="doses", verbose_name=_("lot")
    )
    lot_number = models.CharField(_("lot number"), max_length=40, blank=True)  # as recorded (imports)
    given_on = models.DateField(_("date given"))
    given_at = models.DateTimeField(_("time given"), null=True, blank=True)
    site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.PROTECT, related_name="doses", verbose_name=_("site")
    )
    site_name = models.CharField(_("vaccination site"), max_length=160, blank=True)  # imports, other provinces
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="doses", verbose_name=_("session")
    )
    screening = models.ForeignKey(
        Screening, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("screening")
    )
    source = models.CharField(_("source"), max_length=10, choices=DoseSource.choices, default=DoseSource.TABLE)
    external_id = models.CharField(max_length=64, null=True, blank=True, editable=False)  # platform record key

    # What the rules said when it was recorded (read by tallies, never recomputed over history).
    kind = models.CharField(_("dose"), max_length=12, choices=DoseKind.choices, default=DoseKind.PRIMARY)
    number = models.PositiveSmallIntegerField(_("dose number"))  # 1-based within its kind
    completes_primary = models.BooleanField(_("completes the primary series"), default=False)
    age_band = models.CharField(max_length=12, blank=True)  # territory AGE_BANDS on the day given
    priority_group = models.CharField(_("priority group"), max_length=8, blank=True)
    high_risk = models.BooleanField(default=False)
    problems = models.JSONField(default=list)  # rule problems overridden when recording
    override_reason = models.CharField(_("reason for overriding the checks"), max_length=300, blank=True)

    observed_until = models.DateTimeField(_("observe until"), null=True, blank=True)
    observation_done = models.BooleanField(_("observation finished"), default=False)
    voided_at = models.DateTimeField(null=True, blank=True, editable=False)
    void_reason = models.CharField(_("reason for voiding"), max_length=300, blank=True)

    objects = DoseQuerySet.as_manager()
    history = scoped_history()
    scope_capability = VIEW

    class Meta(ScopedModel.Meta, Recorded.Meta):
        verbose_name = _("vaccine dose")
        verbose_name_plural = _("vaccine doses")
        constraints = [
            *Recorded.Meta.constraints,
            # A person's valid dose of a kind and number exists once: a re-sent or re-imported record
            # updates it, never adds a second.
            models.UniqueConstraint(
                fields=["person", "kind", "number"],
                condition=Q(voided_at__isnull=True),
                name="vaccination_dose_person_kind_number",
            ),
            models.UniqueConstraint(
                fields=["external_id"], condition=Q(external_id__isnull=False), name="vaccination_dose_external_id"
            ),
        ]
        indexes = [
            *ScopedModel.Meta.indexes,
            models.Index(fields=["person", "given_on"], name="vacc_dose_person_day"),
            models.Index(fields=["given_on"], name="vacc_dose_day"),
            models.Index(fields=["lot", "site"], name="vacc_dose_lot_site"),
        ]

    def __str__(self) -> str:
        return f"{self.product} #{self.number} {self.given_on}"

    def tally_contributions(self):
        """The dose on its day with its snapshot (what the rules said when it was recorded); a voided
        dose counts nothing."""
        if self.voided_at is not None:
            return
        yield VaccinationContribution(
            UNITS.of(self),
            self.given_on,
            "doses",
            1,
            product=self.product,
            kind=self.kind,
            number=self.number,
            completes_primary=self.completes_primary,
            age_band=self.age_band,
            priority_group=self.priority_group,
            high_risk=self.high_risk,
        )

    def get_absolute_url(self) -> str:
        return reverse("vaccination:dose", args=[self.pk])


class Severity(models.TextChoices):
    MINOR = "minor", _("Common, not serious")
    SERIOUS = "serious", _("Serious")


class Causality(models.TextChoices):
    """WHO AEFI causality assessment (2nd edition, 2018)."""

    PENDING = "pending", _("Not yet assessed")
    A1 = "a1", _("A1 — vaccine product-related")
    A2 = "a2", _("A2 — vaccine quality defect-related")
    A3 = "a3", _("A3 — immunization error-related")
    A4 = "a4", _("A4 — immunization anxiety-related")
    B1 = "b1", _("B1 — indeterminate, consistent temporal relationship")
    B2 = "b2", _("B2 — indeterminate, conflicting trends")
    C = "c", _("C — coincidental")
    D = "d", _("D — unclassifiable")


class AefiOutcome(models.TextChoices):
    RECOVERING = "recovering", _("Recovering")
    RECOVERED = "recovered", _("Recovered")
    SEQUELAE = "sequelae", _("Recovered with sequelae")
    DIED = "died", _("Died")
    UNKNOWN = "unknown", _("Unknown")


class AefiReport(ScopedModel, Recorded):
    """An adverse event following immunization (phản ứng sau tiêm)."""

    dose = models.ForeignKey(Dose, on_delete=models.PROTECT, related_name="aefi_reports", verbose_name=_("dose"))
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="aefi_reports", verbose_name=_("person")
    )
    onset_at = models.DateTimeField(_("onset"))
    manifestation = models.CharField(_("manifestation"), max_length=300)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.MINOR)
    treatment = models.CharField(_("treatment"), max_length=300, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=AefiOutcome.choices, default=AefiOutcome.UNKNOWN)
    reporter = models.CharField(_("reported by"), max_length=120, blank=True)
    causality = models.CharField(_("causality"), max_length=8, choices=Causality.choices, default=Causality.PENDING)
    alerted_at = models.DateTimeField(null=True, blank=True, editable=False)  # serious: district alerted
    note = models.TextField(_("note"), blank=True)

    history = scoped_history()
    scope_capability = VIEW

    class Meta(ScopedModel.Meta, Recorded.Meta):
        verbose_name = _("AEFI report")
        verbose_name_plural = _("AEFI reports")

    def get_absolute_url(self) -> str:
        return reverse("vaccination:aefi", args=[self.pk])


class Mismatch(models.TextChoices):
    NO_MATCH = "no_match", _("Matches nobody in the registry")
    SEVERAL = "several", _("Matches several people")
    IDENTITY = "identity", _("Contradicts the registry (name, date of birth)")
    DOSE_CONFLICT = "dose_conflict", _("Contradicts a recorded dose")
    OUT_OF_SCOPE = "out_of_scope", _("Person lives outside the importing area")
    BAD_RECORD = "bad_record", _("Product, date or dose number not usable")


class ReconcileStatus(models.TextChoices):
    OPEN = "open", _("To resolve")
    RESOLVED = "resolved", _("Resolved")
    DISMISSED = "dismissed", _("Dismissed")


class PlatformRecord(ScopedModel, Recorded):
    """A dose record from the national platform that could not be applied as it is: the reconciliation
    work list.  ``record_key`` (a hash of the record's identity) makes a re-imported file upsert."""

    record_key = models.CharField(max_length=64, unique=True, editable=False)
    cccd = models.CharField(_("citizen ID (CCCD)"), max_length=12, blank=True)
    full_name = models.CharField(_("full name"), max_length=120)
    folded_name = models.CharField(max_length=120, editable=False)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    product = models.CharField(_("vaccine"), max_length=40)
    lot_number = models.CharField(_("lot number"), max_length=40, blank=True)
    given_on = models.DateField(_("date given"), null=True, blank=True)
    dose_number = models.PositiveSmallIntegerField(_("dose number"), null=True, blank=True)
    site_name = models.CharField(_("vaccination site"), max_length=160, blank=True)
    problem = models.CharField(_("problem"), max_length=16, choices=Mismatch.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    candidates = models.ManyToManyField("people.Person", blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=ReconcileStatus.choices, default=ReconcileStatus.OPEN)
    resolution = models.CharField(_("resolution"), max_length=300, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    dose = models.ForeignKey(Dose, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    import_job = models.ForeignKey("core.ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    history = scoped_history()
    scope_capability = VIEW

    class Meta(ScopedModel.Meta, Recorded.Meta):
        verbose_name = _("platform record to reconcile")
        verbose_name_plural = _("platform records to reconcile")
        indexes = [
            models.Index(fields=["unit_path"], name="vacc_platform_path", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["status", "problem"], name="vacc_platform_status"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("vaccination:reconcile", args=[self.pk])


class ProvinceVaccinationSetting(models.Model):
    """A province's overrides of the catalogue (rule versions as JSON, ``core.versioning`` mappings):
    its own priority-group list, the AstraZeneca 4-week interval from 20/9/2021, its coverage target."""

    province = models.OneToOneField("territory.AdminUnit", on_delete=models.CASCADE, related_name="+")
    versions = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("province vaccination setting")
        verbose_name_plural = _("province vaccination settings")
