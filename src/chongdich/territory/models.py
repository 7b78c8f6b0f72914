"""Vietnam's administrative units as a dated tree, with population, centroids and adjacency."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chongdich.core import clock
from chongdich.core.scoping import ScopedQuerySetMixin
from chongdich.core.text import fold, normalize_text


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    VILLAGE = "village", _("Village")


LEVEL_DEPTH = {Level.PROVINCE: 1, Level.DISTRICT: 2, Level.COMMUNE: 3, Level.VILLAGE: 4}


class Kind(models.TextChoices):
    TINH = "tinh", _("Province (tỉnh)")
    THANH_PHO_TW = "thanh_pho_tw", _("Centrally-run city")
    THANH_PHO = "thanh_pho", _("Provincial city")
    HUYEN = "huyen", _("Rural district (huyện)")
    QUAN = "quan", _("Urban district (quận)")
    THI_XA = "thi_xa", _("Town (thị xã)")
    XA = "xa", _("Commune (xã)")
    PHUONG = "phuong", _("Ward (phường)")
    THI_TRAN = "thi_tran", _("Township (thị trấn)")
    DAC_KHU = "dac_khu", _("Special zone (đặc khu)")
    THON = "thon", _("Village (thôn)")
    AP = "ap", _("Hamlet (ấp)")
    BAN = "ban", _("Village (bản)")
    BON = "bon", _("Village (bon/buôn)")
    XOM = "xom", _("Hamlet (xóm)")
    KHU_PHO = "khu_pho", _("Quarter (khu phố)")
    TO_DAN_PHO = "to_dan_pho", _("Residential group (tổ dân phố)")


LEVEL_KINDS = {
    Level.PROVINCE: {Kind.TINH, Kind.THANH_PHO_TW},
    Level.DISTRICT: {Kind.HUYEN, Kind.QUAN, Kind.THI_XA, Kind.THANH_PHO},
    Level.COMMUNE: {Kind.XA, Kind.PHUONG, Kind.THI_TRAN, Kind.DAC_KHU},
    Level.VILLAGE: {Kind.THON, Kind.AP, Kind.BAN, Kind.BON, Kind.XOM, Kind.KHU_PHO, Kind.TO_DAN_PHO},
}

AGE_BANDS = ("pop_0_17", "pop_18_49", "pop_50_64", "pop_65_plus")


class AdminUnitQuerySet(ScopedQuerySetMixin, models.QuerySet):
    """Units: ``for_user`` keeps the subtrees where a user may use a capability (units.view by default)."""

    path_field = "path"

    def subtree(self, unit: AdminUnit):
        return self.within(unit)

    def communes(self):
        return self.filter(level=Level.COMMUNE)

    def lowest_common(self, paths) -> AdminUnit | None:
        """The lowest unit whose subtree holds every path (``/70/691/25228/`` and ``/70/691/25229-01/`` →
        district 691); None when they share no unit (two provinces: only the national level holds both)."""
        split = [path.strip("/").split("/") for path in paths]
        common: list[str] = []
        for parts in zip(*split, strict=False):  # stops at the shortest path
            if len(set(parts)) != 1:
                break
            common.append(parts[0])
        return self.filter(path="/" + "/".join(common) + "/").first() if common and common[0] else None

    def current(self, on=None):

        on = on or clock.today()
        return self.filter(models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=on)).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on)
        )


class AdminUnit(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    folded_name = models.CharField(max_length=120, db_index=True, editable=False)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    path = models.CharField(max_length=160, unique=True, editable=False)
    province_code = models.CharField(max_length=8, db_index=True, editable=False)
    commune_code = models.CharField(max_length=16, blank=True, editable=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    is_border = models.BooleanField(_("border unit"), default=False)
    population_total = models.PositiveIntegerField(_("population"), null=True, blank=True)
    pop_0_17 = models.PositiveIntegerField(_("aged 0–17"), null=True, blank=True)
    pop_18_49 = models.PositiveIntegerField(_("aged 18–49"), null=True, blank=True)
    pop_50_64 = models.PositiveIntegerField(_("aged 50–64"), null=True, blank=True)
    pop_65_plus = models.PositiveIntegerField(_("aged 65+"), null=True, blank=True)
    population_as_of = models.DateField(_("population as of"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=40, blank=True)

    history = HistoricalRecords(excluded_fields=["folded_name", "path", "province_code", "commune_code"])
    objects = AdminUnitQuerySet.as_manager()
    scope_capability = "units.view"

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["path"]
        indexes = [
            models.Index(fields=["path"], name="unit_path_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["parent", "name"], name="unit_parent_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("territory:detail", args=[self.code])

    # -- tree -----------------------------------------------------------------------------------
    def compute_path(self) -> str:
        return f"{self.parent.path if self.parent_id else '/'}{self.code}/"

    def save(self, *args, **kwargs):
        self.name = normalize_text(self.name)
        self.short_name = normalize_text(self.short_name) or self.name
        self.folded_name = fold(self.name)
        self.path = self.compute_path()
        if self.level == Level.PROVINCE:
            self.province_code = self.code
        elif self.parent_id:
            self.province_code = self.parent.province_code
        if self.level == Level.COMMUNE:
            self.commune_code = self.code
        elif self.level == Level.VILLAGE and self.parent_id:
            self.commune_code = self.parent.commune_code
        super().save(*args, **kwargs)

    def ancestors(self) -> list[AdminUnit]:
        """Units from the province down to this one (inclusive), in one query."""
        codes = [code for code in self.path.strip("/").split("/") if code]
        by_code = {unit.code: unit for unit in AdminUnit.objects.filter(code__in=codes)}
        return [by_code[code] for code in codes if code in by_code]

    @property
    def label_with_parent(self) -> str:
        """ "Thôn Đắk Son, Xã Phú Văn": a name that is unambiguous in messages."""
        return f"{self.name}, {self.parent.name}" if self.parent_id else self.name

    def is_within(self, other: AdminUnit) -> bool:
        return self.path.startswith(other.path)

    # -- population -----------------------------------------------------------------------------
    @property
    def population_18plus(self) -> int | None:
        parts = (self.pop_18_49, self.pop_50_64, self.pop_65_plus)
        return None if any(p is None for p in parts) else sum(parts)

    @property
    def population_50plus(self) -> int | None:
        parts = (self.pop_50_64, self.pop_65_plus)
        return None if any(p is None for p in parts) else sum(parts)

    @property
    def density(self) -> float | None:
        if self.population_total and self.area_km2:
            return self.population_total / self.area_km2
        return None


class Adjacency(models.Model):
    """A neighbour pair, stored in both directions so that neighbours are one indexed lookup."""

    unit = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="adjacency")
    neighbour = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="+")
    derived = models.BooleanField(
        _("derived"), default=False, help_text=_("Derived from centroid distance, not imported.")
    )
    distance_km = models.FloatField(_("distance (km)"), null=True, blank=True)

    class Meta:
        verbose_name = _("adjacency")
        verbose_name_plural = _("adjacencies")
        constraints = [
            models.UniqueConstraint(fields=["unit", "neighbour"], name="adjacency_unique_pair"),
            models.CheckConstraint(condition=~models.Q(unit=models.F("neighbour")), name="adjacency_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} ↔ {self.neighbour}"
