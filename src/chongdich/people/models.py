"""People and households: the registry every case, contact, dose and declaration points at."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.core.recorded import Recorded, scoped_history
from chongdich.core.scoping import ScopedModel, ScopedQuerySet
from chongdich.core.text import fold, normalize_text
from chongdich.people.identity import display_phone


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class ResidenceStatus(models.TextChoices):
    PERMANENT = "permanent", _("Permanent resident (thường trú)")
    TEMPORARY = "temporary", _("Temporary resident (tạm trú)")
    SOJOURN = "sojourn", _("Short stay (lưu trú)")


class OccupationGroup(models.TextChoices):
    HEALTH = "health", _("Health worker")
    SECURITY = "security", _("Police, army, militia")
    EDUCATION = "education", _("Teacher, education staff")
    STUDENT = "student", _("Pupil or student")
    FACTORY = "factory", _("Factory or industrial-park worker")
    MARKET = "market", _("Market trader")
    DRIVER = "driver", _("Driver, transport")
    DELIVERY = "delivery", _("Delivery, shipper")
    FARMER = "farmer", _("Farmer, plantation worker")
    SERVICES = "services", _("Business, services")
    OFFICE = "office", _("Office worker, civil servant")
    RETIRED = "retired", _("Retired")
    CHILD = "child", _("Child (not at school)")
    UNEMPLOYED = "unemployed", _("Not working")
    OTHER = "other", _("Other")


class Relation(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDPARENT = "grandparent", _("Grandparent")
    GRANDCHILD = "grandchild", _("Grandchild")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other")


class Household(ScopedModel):
    code = models.CharField(_("household code"), max_length=40, unique=True)
    head = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("head")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = scoped_history()

    class Meta(ScopedModel.Meta):
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        head = self.head.full_name if self.head_id else ""
        return f"{self.code} {head}".strip()

    def get_absolute_url(self) -> str:
        return reverse("people:household", args=[self.pk])


class PersonQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(merged_into__isnull=True)


# Who a person is, in the order forms, actions and the merge page list them.
IDENTITY_FIELDS = ("full_name", "sex", "date_of_birth", "birth_year", "cccd", "phone")


class Person(ScopedModel, Recorded):
    full_name = models.CharField(_("full name"), max_length=120)
    folded_name = models.CharField(max_length=120, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), db_index=True)
    cccd = models.CharField(_("citizen ID (CCCD)"), max_length=12, null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True, db_index=True)
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="members", verbose_name=_("household")
    )
    relation = models.CharField(_("relation to head"), max_length=12, choices=Relation.choices, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    residence_status = models.CharField(
        _("residence status"), max_length=10, choices=ResidenceStatus.choices, default=ResidenceStatus.PERMANENT
    )
    occupation_group = models.CharField(_("occupation"), max_length=12, choices=OccupationGroup.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from", editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = scoped_history("folded_name")
    objects = PersonQuerySet.as_manager()

    class Meta(ScopedModel.Meta):
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(fields=["cccd"], condition=Q(cccd__isnull=False), name="person_cccd_unique"),
            *Recorded.Meta.constraints,
        ]
        indexes = [
            *ScopedModel.Meta.indexes,
            # Equality, IN and ORDER BY on the folded name; "contains" uses the trigram index (PostgreSQL).
            models.Index(fields=["folded_name"], name="person_folded_name"),
            models.Index(fields=["phone", "birth_year"], name="person_phone_year"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.birth_year})"

    def get_absolute_url(self) -> str:
        return reverse("people:detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.full_name = normalize_text(self.full_name)
        self.folded_name = fold(self.full_name)
        if self.date_of_birth:
            self.birth_year = self.date_of_birth.year
        if self.cccd == "":
            self.cccd = None
        super().save(*args, **kwargs)

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)

    def age_on(self, day) -> int:
        if self.date_of_birth:
            dob = self.date_of_birth
            return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
        return day.year - self.birth_year

    @property
    def age(self) -> int:
        return self.age_on(clock.today())


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved: the person was moved")
    REFUSED = "refused", _("Refused")


class TransferRequest(Recorded):
    """An officer found that the person they were registering is already registered in another area,
    and asks the lowest level above both areas to move the record to theirs.

    The request belongs to that common level (``unit_path`` is its path, empty for the national level):
    its officers see and decide it.  The requester sees their own requests, and the person only once
    the move puts them in the requester's area.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="transfer_requests")
    from_unit = models.ForeignKey("territory.AdminUnit", on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(
        "territory.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("move to")
    )
    common_unit = models.ForeignKey(
        "territory.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit_path = models.CharField(max_length=160, blank=True, editable=False)
    reference = models.CharField(max_length=12, editable=False)  # of the audited duplicate warning
    typed_name = models.CharField(_("name typed"), max_length=120, blank=True)
    note = models.CharField(_("why the person should move"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decision_note = models.CharField(_("answer"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_capability = "people.edit"

    class Meta(Recorded.Meta):
        verbose_name = _("transfer request")
        verbose_name_plural = _("transfer requests")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["unit_path"], name="transfer_path", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["created_by", "-created_at"], name="transfer_requester"),
        ]

    def __str__(self) -> str:
        return _("Transfer request #%(n)s") % {"n": self.pk}

    def get_absolute_url(self) -> str:
        return reverse("people:transfer", args=[self.pk])
