"""Movement and declarations: checkpoints and their shifts, passages, green-lane cards and trips,
venues and QR check-ins, the public health declaration, the alerts they raise to the commune, and
the province's settings of all of it.

``Passage``, ``CheckIn`` and ``Declaration`` are the system's highest-volume data (a city logs hundreds
of thousands of scans a day): append-only *event tables*.  Nothing points at them (alerts and reviews
name them by ``source_ref``), so a retention purge drops a month without touching another table; on
PostgreSQL they are partitioned by month of their time column (``core.partitioning``, migration 0001).
Their primary key is (id, time) there, so they carry no unique constraint: a re-sent event is found
by ``client_id`` (indexed) inside the ingest's lock (``movement.ingest``), not by a constraint.  What
the rules or the risk levels said at the time (the origin's level, the passage decision, whether a
declaration was symptomatic) is stored on the row, so tallies and a rebuild read the row and never
re-run rules over history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chongdich.core.recorded import Recorded, scoped_history
from chongdich.core.scoping import ScopedModel
from chongdich.core.text import fold
from chongdich.tallies.engine import UNITS, Contribution

VIEW, EDIT = "movement.view", "movement.edit"


# -- checkpoints ---------------------------------------------------------------------------------------
class CheckpointKind(models.TextChoices):
    PROVINCE_BORDER = "province_border", _("Provincial border")
    DISTRICT_BORDER = "district_border", _("District border")
    INTERNAL = "internal", _("Internal")


class Way(models.TextChoices):
    ROAD = "road", _("Road")
    TRACK = "track", _("Track, trail")
    WATERWAY = "waterway", _("Waterway")
    RAIL = "rail", _("Railway")


class Checkpoint(ScopedModel, Recorded):
    """A checkpoint (chốt kiểm soát): scoped by the commune it stands in."""

    code = models.CharField(_("code"), max_length=24, unique=True)
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=16, choices=CheckpointKind.choices)
    way = models.CharField(_("way"), max_length=10, choices=Way.choices, default=Way.ROAD)
    route = models.CharField(_("road or route"), max_length=120, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    active = models.BooleanField(pgettext_lazy("checkpoint", "active"), default=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = scoped_history()
    scope_capability = VIEW

    class Meta(ScopedModel.Meta, Recorded.Meta):
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("movement:checkpoint", args=[self.pk])


class Shift(ScopedModel, Recorded):
    """A shift at a checkpoint, with the people on duty (scoped like its checkpoint)."""

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.PROTECT, related_name="shifts", verbose_name=_("checkpoint")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    leader = models.CharField(_("shift leader"), max_length=120, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = scoped_history()
    scope_capability = VIEW

    class Meta(ScopedModel.Meta, Recorded.Meta):
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["-starts_at"]
        indexes = [
            *ScopedModel.Meta.indexes,
            models.Index(fields=["checkpoint", "starts_at"], name="movement_shift_cp_start"),
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint} {self.starts_at:%d/%m/%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("movement:shift", args=[self.pk])


class Force(models.TextChoices):
    POLICE = "police", _("Police")
    MILITIA = "militia", _("Militia")
    ARMY = "army", _("Army")
    HEALTH = "health", _("Health")
    VOLUNTEER = "volunteer", _("Volunteer")
    OTHER = "other", _("Other")


class ShiftMember(models.Model):
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="members", verbose_name=_("shift"))
    full_name = models.CharField(_("full name"), max_length=120)
    force = models.CharField(_("force"), max_length=10, choices=Force.choices)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )

    class Meta:
        verbose_name = _("person on duty")
        verbose_name_plural = _("people on duty")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.full_name


# -- devices --------------------------------------------------------------------------------------------
class DeviceToken(ScopedModel, Recorded):
    """The token of a checkpoint's or a venue's device for the API (``Authorization: Device <token>``).
    Only its SHA-256 digest is stored; the token is shown once when made."""

    label = models.CharField(_("label"), max_length=80)
    checkpoint = models.ForeignKey(
        Checkpoint,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="devices",
        verbose_name=_("checkpoint"),
    )
    venue = models.ForeignKey(
        "movement.Venue",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="devices",
        verbose_name=_("venue"),
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("token starts with"), max_length=8, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    history = scoped_history("digest")
    scope_capability = VIEW

    class Meta(ScopedModel.Meta, Recorded.Meta):
        verbose_name = _("device token")
        verbose_name_plural = _("device tokens")
        constraints = [
            *Recorded.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(checkpoint__isnull=False, venue__isnull=True)
                | models.Q(checkpoint__isnull=True, venue__isnull=False),
                name="movement_device_one_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.prefix}…)"


# -- event tables: passages ----------------------------------------------------------------------------
class Direction(models.TextChoices):
    IN = "in", _("Inbound")
    OUT = "out", _("Outbound")


class Subject(models.TextChoices):
    PERSON = "person", _("Person on foot")
    VEHICLE = "vehicle", _("Vehicle")


class VehicleType(models.TextChoices):
    MOTORBIKE = "motorbike", _("Motorbike")
    CAR = "car", _("Car")
    TRUCK = "truck", _("Truck")
    CONTAINER = "container", _("Container truck, tractor")
    COACH = "coach", _("Coach, bus")
    AMBULANCE = "ambulance", _("Ambulance, emergency")
    BOAT = "boat", _("Boat")
    OTHER = "other", _("Other")


class TestResult(models.TextChoices):
    NONE = "", _("No test shown")
    NEGATIVE = "negative", _("Negative")
    POSITIVE = "positive", _("Positive")


class TestKind(models.TextChoices):
    PCR = "pcr", _("RT-PCR")
    RAT = "rat", _("Rapid antigen test")


class PassageAction(models.TextChoices):
    THROUGH = "through", _("Let through")
    TESTED = "tested", _("Tested on site")
    TURNED_BACK = "turned_back", _("Turned back")
    QUARANTINE = "quarantine", _("Sent to quarantine")


class Passage(ScopedModel):
    """A person or a vehicle passing a checkpoint (event table, partitioned by month of ``at``).
    Scoped by the checkpoint's unit."""

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("time"))
    day = models.DateField(_("date"))  # local date of ``at``: the tally day
    received_at = models.DateTimeField(_("received at"))
    client_id = models.CharField(max_length=64, null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    device = models.ForeignKey(
        DeviceToken, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name=_("checkpoint")
    )
    shift = models.ForeignKey(
        Shift,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("shift"),
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices, default=Direction.IN)
    subject = models.CharField(_("who"), max_length=8, choices=Subject.choices, default=Subject.VEHICLE)
    plate = models.CharField(_("plate"), max_length=12, blank=True)  # normalised: 51C12345, 29A123456
    vehicle_type = models.CharField(_("vehicle type"), max_length=10, choices=VehicleType.choices, blank=True)
    people_on_board = models.PositiveSmallIntegerField(_("people on board"), default=1)
    full_name = models.CharField(_("full name"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    cccd = models.CharField(_("ID number"), max_length=12, blank=True)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    origin_commune_code = models.CharField(_("from commune"), max_length=16, blank=True)
    origin_level = models.CharField(_("level of the origin"), max_length=8, blank=True)  # risk level then
    from_watched_area = models.BooleanField(_("from an epidemic area"), default=False)  # the alert rule then
    destination_commune_code = models.CharField(_("to commune"), max_length=16, blank=True)
    green_card = models.ForeignKey(
        "movement.GreenCard",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("green-lane card"),
    )
    trip = models.ForeignKey(
        "movement.Trip", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    declaration_shown = models.BooleanField(_("health declaration shown"), default=False)
    test_result = models.CharField(_("test result"), max_length=8, choices=TestResult.choices, blank=True, default="")
    test_kind = models.CharField(_("test"), max_length=4, choices=TestKind.choices, blank=True)
    test_at = models.DateTimeField(_("test result time"), null=True, blank=True)
    colour = models.CharField(_("vaccination colour"), max_length=8, blank=True)  # green | yellow | red
    temperature = models.DecimalField(_("temperature"), max_digits=3, decimal_places=1, null=True, blank=True)
    action = models.CharField(_("action"), max_length=12, choices=PassageAction.choices)
    advice = models.CharField(_("rule's advice"), max_length=12, choices=PassageAction.choices, blank=True)
    rule_version = models.CharField(max_length=40, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    scope_capability = VIEW

    class Meta(ScopedModel.Meta):
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        indexes = [
            *ScopedModel.Meta.indexes,
            models.Index(fields=["checkpoint", "at"], name="movement_passage_cp_at"),
            models.Index(fields=["commune_code", "day"], name="movement_passage_commune_day"),
            models.Index(fields=["client_id"], name="movement_passage_client"),
            models.Index(fields=["plate", "at"], name="movement_passage_plate"),
        ]

    def __str__(self) -> str:
        return f"{self.plate or self.full_name} {self.at:%d/%m/%Y %H:%M}"

    def tally_contributions(self):
        """A passage on its day at the checkpoint's commune; an inbound one from a watched origin is an
        arrival from an epidemic area too (counted once per passage, not per person on board)."""
        unit = UNITS.of(self)
        yield Contribution(unit, self.day, "passages", 1)
        if self.direction == Direction.IN and self.from_watched_area:
            yield Contribution(unit, self.day, "arrivals_watched", 1)


# -- green lane -----------------------------------------------------------------------------------------
class GreenCard(ScopedModel, Recorded):
    """A green-lane vehicle card (thẻ nhận diện luồng xanh): scoped by the unit that issued it."""

    number = models.CharField(_("card number"), max_length=24, unique=True)
    plate = models.CharField(_("plate"), max_length=12)
    vehicle_type = models.CharField(
        _("vehicle type"), max_length=10, choices=VehicleType.choices, default=VehicleType.TRUCK
    )
    operator = models.CharField(_("transport operator"), max_length=160)
    driver_name = models.CharField(_("driver"), max_length=120)
    driver_phone = models.CharField(_("driver's phone"), max_length=16)
    goods = models.CharField(_("goods"), max_length=200)
    essential = models.BooleanField(_("essential goods"), default=True)
    itinerary = models.CharField(_("itinerary"), max_length=300)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.CharField(_("reason for revoking"), max_length=200, blank=True)

    history = scoped_history()
    scope_capability = VIEW

    class Meta(ScopedModel.Meta, Recorded.Meta):
        verbose_name = _("green-lane card")
        verbose_name_plural = _("green-lane cards")
        indexes = [*ScopedModel.Meta.indexes, models.Index(fields=["plate"], name="movement_card_plate")]

    def __str__(self) -> str:
        return f"{self.number} {self.plate}"

    def get_absolute_url(self) -> str:
        return reverse("movement:card", args=[self.pk])


class TripState(models.TextChoices):
    UNDER_WAY = "under_way", _("Under way")
    ARRIVED = "arrived", _("Arrived")
    CANCELLED = "cancelled", pgettext_lazy("trip", "Cancelled")


class Trip(ScopedModel, Recorded):
    """A green-lane trip from origin to destination: scoped by the *destination* commune, whose
    officers (or a checkpoint) confirm the arrival; the card's issuing area sees it through the card."""

    card = models.ForeignKey(
        GreenCard,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trips",
        verbose_name=_("green-lane card"),
    )
    plate = models.CharField(_("plate"), max_length=12)
    driver_name = models.CharField(_("driver"), max_length=120, blank=True)
    driver_phone = models.CharField(_("driver's phone"), max_length=16, blank=True)
    people_on_board = models.PositiveSmallIntegerField(_("people on board"), default=1)
    goods = models.CharField(_("goods"), max_length=200, blank=True)
    origin = models.ForeignKey(
        "territory.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("origin")
    )
    origin_path = models.CharField(max_length=160, editable=False, blank=True)
    departed_at = models.DateTimeField(_("departed at"))
    expected_at = models.DateTimeField(_("expected arrival"))
    state = models.CharField(_("state"), max_length=10, choices=TripState.choices, default=TripState.UNDER_WAY)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at_checkpoint = models.ForeignKey(
        Checkpoint,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("confirmed at checkpoint"),
    )
    overdue_alerted = models.BooleanField(default=False, editable=False)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = scoped_history()
    scope_capability = VIEW

    class Meta(ScopedModel.Meta, Recorded.Meta):
        verbose_name = _("green-lane trip")
        verbose_name_plural = _("green-lane trips")
        indexes = [
            *ScopedModel.Meta.indexes,
            models.Index(fields=["state", "expected_at"], name="movement_trip_state_due"),
            models.Index(fields=["plate", "departed_at"], name="movement_trip_plate"),
        ]

    def __str__(self) -> str:
        return f"{self.plate} {self.departed_at:%d/%m/%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("movement:trip", args=[self.pk])


# -- venues and check-ins -------------------------------------------------------------------------------
class VenueKind(models.TextChoices):
    OFFICE = "office", _("Office")
    MARKET = "market", _("Market")
    SUPERMARKET = "supermarket", _("Supermarket, shop")
    FACTORY = "factory", _("Factory, industrial park")
    SCHOOL = "school", _("School")
    HEALTH = "health", _("Health facility")
    RESTAURANT = "restaurant", _("Restaurant, café")
    RELIGIOUS = "religious", _("Place of worship")
    TRANSPORT = "transport", _("Station, port")
    OTHER = "other", _("Other")


class Venue(ScopedModel, Recorded):
    """A place with a QR poster: people check in by scanning it, or staff scan them."""

    code = models.CharField(_("code"), max_length=12, unique=True)  # the short public code in the QR
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=12, choices=VenueKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    contact_name = models.CharField(_("person in charge"), max_length=120, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=16, blank=True)
    temperature_check = models.BooleanField(_("temperature checked at the gate"), default=False)
    active = models.BooleanField(pgettext_lazy("venue", "active"), default=True)

    history = scoped_history()
    scope_capability = VIEW

    class Meta(ScopedModel.Meta, Recorded.Meta):
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("movement:venue", args=[self.pk])


class CheckInMethod(models.TextChoices):
    SELF = "self", _("Scanned the venue's code")
    STAFF = "staff", _("Scanned by staff")
    DEVICE = "device", _("Venue's device")


class CheckIn(ScopedModel):
    """A check-in at a venue (event table, partitioned by month of ``at``); scoped by the venue's unit."""

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("time"))
    day = models.DateField(_("date"))
    received_at = models.DateTimeField(_("received at"))
    client_id = models.CharField(max_length=64, null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    device = models.ForeignKey(
        DeviceToken, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", verbose_name=_("venue")
    )
    method = models.CharField(_("how"), max_length=8, choices=CheckInMethod.choices, default=CheckInMethod.SELF)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices, default=Direction.IN)
    phone = models.CharField(_("phone"), max_length=16, blank=True)  # normalised +84…
    full_name = models.CharField(_("full name"), max_length=120, blank=True)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    temperature = models.DecimalField(_("temperature"), max_digits=3, decimal_places=1, null=True, blank=True)

    scope_capability = VIEW

    class Meta(ScopedModel.Meta):
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        indexes = [
            *ScopedModel.Meta.indexes,
            models.Index(fields=["venue", "at"], name="movement_checkin_venue_at"),
            # the check-outs of a venue (candidate contacts: a stay that spans the case's whole stay)
            models.Index(fields=["venue", "at"], name="movement_checkin_out_at", condition=Q(direction="out")),
            models.Index(fields=["phone", "at"], name="movement_checkin_phone_at"),
            models.Index(fields=["person", "at"], name="movement_checkin_person_at"),
            models.Index(fields=["commune_code", "day"], name="movement_checkin_commune_day"),
            models.Index(fields=["client_id"], name="movement_checkin_client"),
        ]

    def __str__(self) -> str:
        return f"{self.venue_id} {self.at:%d/%m/%Y %H:%M}"

    def tally_contributions(self):
        yield Contribution(UNITS.of(self), self.day, "checkins", 1)


# -- declarations ---------------------------------------------------------------------------------------
class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    OTHER = "other", _("Other")


class Transport(models.TextChoices):
    CAR = "car", _("Car")
    MOTORBIKE = "motorbike", _("Motorbike")
    COACH = "coach", _("Coach, bus")
    TRAIN = "train", _("Train")
    PLANE = "plane", _("Plane")
    BOAT = "boat", _("Boat")
    WALK = "walk", _("On foot, bicycle")
    OTHER = "other", _("Other")


class Declaration(ScopedModel):
    """A health declaration sent from the public form or the API (event table, partitioned by month of
    ``received_at``).  Scoped by the commune (or village) where the declarant stays."""

    id = models.BigAutoField(primary_key=True)
    received_at = models.DateTimeField(_("received at"))
    day = models.DateField(_("date"))
    client_id = models.CharField(max_length=64, null=True, blank=True, editable=False)
    receipt = models.CharField(_("receipt"), max_length=12)  # short public code, shown with a QR
    language = models.CharField(max_length=5, blank=True)
    full_name = models.CharField(_("full name"), max_length=120)
    folded_name = models.CharField(max_length=120, blank=True, default="", editable=False)  # found without diacritics
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    phone = models.CharField(_("phone"), max_length=16)
    cccd = models.CharField(_("ID number"), max_length=12, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)  # house number, street
    arrived_from_commune_code = models.CharField(_("came from (commune)"), max_length=16, blank=True)
    arrived_from_level = models.CharField(_("level of the origin"), max_length=8, blank=True)
    arrived_from_text = models.CharField(_("came from"), max_length=160, blank=True)  # abroad, or not listed
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True)
    transport = models.CharField(_("transport"), max_length=10, choices=Transport.choices, blank=True)
    transport_detail = models.CharField(_("flight, train or plate"), max_length=60, blank=True)
    symptoms = models.JSONField(_("symptoms"), default=list, blank=True)  # codes (movement.rules)
    exposures = models.JSONField(_("exposures"), default=list, blank=True)
    symptomatic = models.BooleanField(_("with symptoms"), default=False)
    from_watched_area = models.BooleanField(_("from an epidemic area"), default=False)

    scope_capability = VIEW

    class Meta(ScopedModel.Meta):
        verbose_name = _("health declaration")
        verbose_name_plural = _("health declarations")
        indexes = [
            *ScopedModel.Meta.indexes,
            models.Index(fields=["receipt"], name="movement_decl_receipt"),
            models.Index(fields=["client_id"], name="movement_decl_client"),
            models.Index(fields=["commune_code", "day"], name="movement_decl_commune_day"),
            models.Index(fields=["phone", "received_at"], name="movement_decl_phone"),
        ]

    def before_insert(self) -> None:
        """Called by the ingest on every new row before its bulk insert (no ``save()`` runs)."""
        self.folded_name = fold(self.full_name)[:120]

    def __str__(self) -> str:
        return f"{self.receipt} {self.full_name}"

    def get_absolute_url(self) -> str:
        return reverse("movement:declaration", args=[self.pk])

    def tally_contributions(self):
        unit = UNITS.of(self)
        yield Contribution(unit, self.day, "declarations", 1)
        if self.symptomatic:
            yield Contribution(unit, self.day, "declarations_symptomatic", 1)
        if self.from_watched_area:
            yield Contribution(unit, self.day, "arrivals_watched", 1)


# -- alerts ---------------------------------------------------------------------------------------------
class AlertKind(models.TextChoices):
    WATCHED_ARRIVAL = "arrival", _("Arrival from an epidemic area")
    SYMPTOMS = "symptoms", _("Declaration with symptoms")
    UNDECLARED = "undeclared", _("Undeclared arrival reported")
    TRIP_OVERDUE = "trip_overdue", _("Green-lane trip overdue")


class AlertState(models.TextChoices):
    NEW = "new", pgettext_lazy("alert", "New")
    TAKEN = "taken", pgettext_lazy("alert", "Taken")
    DONE = "done", pgettext_lazy("alert", "Done")


class AlertOutcome(models.TextChoices):
    QUARANTINE = "quarantine", _("Quarantine ordered")
    MONITORING = "monitoring", _("Health monitoring ordered")
    TESTED = "tested", _("Sampled for a test")
    ARRIVED = "arrived", _("Arrival confirmed")
    NOT_FOUND = "not_found", _("Not found at the address")
    NO_ACTION = "no_action", _("No action needed")


class Alert(ScopedModel, Recorded):
    """Something a commune must act on, raised by a declaration, a passage, a trip or a tip-off.
    Scoped by the commune that must act.  One alert per (kind, source): a re-sent source never
    raises a second one."""

    kind = models.CharField(_("kind"), max_length=12, choices=AlertKind.choices)
    state = models.CharField(_("state"), max_length=6, choices=AlertState.choices, default=AlertState.NEW)
    source_ref = models.CharField(max_length=40, editable=False)  # "declaration:123", "passage:45", "trip:6"
    raised_at = models.DateTimeField(_("raised at"))
    day = models.DateField(_("date"))
    full_name = models.CharField(_("full name"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("person")
    )
    origin_commune_code = models.CharField(_("came from (commune)"), max_length=16, blank=True)
    origin_level = models.CharField(_("level of the origin"), max_length=8, blank=True)
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True)
    trip = models.ForeignKey(
        Trip, null=True, blank=True, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("trip")
    )
    detail = models.JSONField(default=dict, blank=True)  # what raised it: symptoms, the plan the rules gave
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=AlertOutcome.choices, blank=True)
    outcome_note = models.CharField(_("note"), max_length=300, blank=True)

    history = scoped_history()
    scope_capability = VIEW

    class Meta(ScopedModel.Meta, Recorded.Meta):
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            *Recorded.Meta.constraints,
            models.UniqueConstraint(fields=["kind", "source_ref"], name="movement_alert_one_per_source"),
        ]
        indexes = [
            *ScopedModel.Meta.indexes,
            models.Index(fields=["state", "commune_code"], name="movement_alert_state"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.full_name}"

    def get_absolute_url(self) -> str:
        return reverse("movement:alert", args=[self.pk])

    def tally_contributions(self):
        """Alerts raised on their day; open alerts as a stock from that day to the day they were done."""
        unit = UNITS.of(self)
        yield Contribution(unit, self.day, "alerts_new", 1)
        yield Contribution(unit, self.day, "alerts_open", 1)
        if self.state == AlertState.DONE and self.done_at is not None:
            yield Contribution(unit, timezone.localtime(self.done_at).date(), "alerts_open", -1)


# -- candidate contacts from check-ins ------------------------------------------------------------------
class CandidateDecision(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed as F1")
    DISMISSED = "dismissed", _("Not a contact")


class CandidateReview(ScopedModel, Recorded):
    """An officer's decision on a candidate contact that a case's check-ins gave (same venue,
    overlapping time): scoped like the case.  The candidates themselves are computed from the check-ins."""

    case = models.ForeignKey("surveillance.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("case"))
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="+", verbose_name=_("venue"))
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("person")
    )
    decision = models.CharField(_("decision"), max_length=10, choices=CandidateDecision.choices)
    exposure = models.ForeignKey(
        "surveillance.Exposure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("exposure"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = scoped_history()
    scope_capability = "cases.view"

    class Meta(ScopedModel.Meta, Recorded.Meta):
        verbose_name = _("candidate contact review")
        verbose_name_plural = _("candidate contact reviews")
        constraints = [
            *Recorded.Meta.constraints,
            models.UniqueConstraint(fields=["case", "venue", "phone"], name="movement_candidate_once"),
        ]


# -- the province's settings ----------------------------------------------------------------------------
class MovementSetting(ScopedModel):
    """A province's settings (unit = the province): which origins raise an arrival alert, the green lane's
    grace period, the check-in overlap for candidate contacts.  (How long events are kept is the
    deployment's: ``CHONGDICH_MOVEMENT_RETENTION_DAYS``, since a purge drops whole months.)"""

    alert_levels = models.JSONField(default=list, blank=True)  # e.g. ["red"], ["orange", "red"], ["4"]
    watched_units = models.JSONField(default=list, blank=True)  # unit codes the province lists (subtrees)
    trip_grace_minutes = models.PositiveIntegerField(_("grace period of a trip (minutes)"), default=360)
    checkin_stay_minutes = models.PositiveIntegerField(_("assumed stay at a venue (minutes)"), default=60)
    checkin_margin_minutes = models.PositiveIntegerField(_("overlap margin (minutes)"), default=30)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = scoped_history()
    scope_capability = VIEW

    class Meta(ScopedModel.Meta):
        verbose_name = _("movement settings")
        verbose_name_plural = _("movement settings")
        constraints = [models.UniqueConstraint(fields=["unit"], name="movement_setting_one_per_province")]
