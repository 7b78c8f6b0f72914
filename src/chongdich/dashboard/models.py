"""Unit boundaries for the epidemic map, loaded from a GeoJSON file (``load_boundaries``).

Boundaries are reference data like the units themselves: one simplified geometry per unit, read by
the map of any scope that contains the unit.  Without boundaries the map draws circles at the units'
centroids.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UnitBoundary(models.Model):
    unit = models.OneToOneField(
        "territory.AdminUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("administrative unit")
    )
    code = models.CharField(_("code"), max_length=20)
    unit_path = models.CharField(max_length=160, editable=False)
    # GeoJSON geometry (Polygon or MultiPolygon, WGS 84), simplified and rounded to 4 decimals on load.
    geometry = models.JSONField(_("geometry"))
    vertices = models.PositiveIntegerField(_("vertices"), default=0)
    source = models.CharField(_("source"), max_length=200, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("unit boundary")
        verbose_name_plural = _("unit boundaries")
        indexes = [
            models.Index(fields=["unit_path"], name="boundary_path", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.code
