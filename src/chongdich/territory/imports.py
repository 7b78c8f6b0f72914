"""Population and adjacency imports: all-or-nothing, previewed, scoped to the importer's area."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.instance_loaders import BaseInstanceLoader

from chongdich.core.imports import Column, Importer, ImportResource, register
from chongdich.core.roles import Cap
from chongdich.core.text import cell_text as text
from chongdich.core.text import fold_words
from chongdich.territory.actions import validate_population
from chongdich.territory.models import AGE_BANDS, Adjacency, AdminUnit

_TRUE = {"co", "x", "1", "yes", "true", "bien gioi", "y"}
_FALSE = {"", "khong", "0", "no", "false", "n"}


def _number(value, label: str) -> int | None:
    raw = text(value).replace(".", "").replace(",", "").replace(" ", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise ValidationError(_("%(label)s: “%(value)s” is not a whole number.") % {"label": label, "value": value})
    return int(raw)


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = text(value)
    if not raw:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    if raw.isdigit() and len(raw) == 4:
        return date(int(raw), 1, 1)
    raise ValidationError({"population_as_of": _("“%(value)s” is not a date (dd/mm/yyyy).") % {"value": raw}})


class _ScopedUnitsResource(ImportResource):
    capability = Cap.UNITS_EDIT

    def __init__(self, job):
        super().__init__(job)
        self.units = {u.code: u for u in AdminUnit.objects.within(job.unit)}

    def unit(self, code_value, field: str) -> AdminUnit:
        code = text(code_value)
        unit = self.units.get(code)
        if unit is None:
            raise ValidationError(
                {field: _("There is no unit with code “%(code)s” in %(area)s.") % {"code": code, "area": self.job.unit}}
            )
        self.check_area(unit, field)
        return unit


class _ByUnitLoader(BaseInstanceLoader):
    def get_instance(self, row):
        return self.resource.unit(row.get("code"), "code")


class PopulationResource(_ScopedUnitsResource):
    class Meta(_ScopedUnitsResource.Meta):
        model = AdminUnit
        instance_loader_class = _ByUnitLoader

    def get_instance(self, instance_loader, row):
        return instance_loader.get_instance(row)

    def init_instance(self, row=None):
        raise ValidationError({"code": _("The unit code is missing.")})

    def import_instance(self, instance, row, **kwargs):
        labels = {c.key: str(c.label) for c in PopulationImporter.columns}
        errors = {}
        for field in ("population_total", *AGE_BANDS):
            try:
                value = _number(row.get(field), labels[field])
            except ValidationError as exc:
                errors[field] = exc.messages
                continue
            if value is not None:
                setattr(instance, field, value)
        if row.get("area_km2") not in (None, ""):
            try:
                instance.area_km2 = float(str(row["area_km2"]).replace(",", "."))
            except ValueError:
                errors["area_km2"] = [_("“%(value)s” is not a number.") % {"value": row["area_km2"]}]
        border = fold_words(text(row.get("is_border")))
        if border in _TRUE:
            instance.is_border = True
        elif border in _FALSE:
            instance.is_border = instance.is_border if not border else False
        else:
            errors["is_border"] = [_("Write “Có” or “Không”.")]
        as_of = _date(row.get("population_as_of"))
        if as_of:
            instance.population_as_of = as_of
        if errors:
            raise ValidationError(errors)
        validate_population(instance)
        instance._history_user = self.actor


class AdjacencyResource(_ScopedUnitsResource):
    class Meta(_ScopedUnitsResource.Meta):
        model = Adjacency

    def get_instance(self, instance_loader, row):
        unit = self.unit(row.get("code"), "code")
        neighbour = self.unit(row.get("neighbour_code"), "neighbour_code")
        if unit.pk == neighbour.pk:
            raise ValidationError({"neighbour_code": _("A unit cannot be its own neighbour.")})
        if unit.level != neighbour.level:
            raise ValidationError(
                {"neighbour_code": _("%(a)s and %(b)s are not at the same level.") % {"a": unit, "b": neighbour}}
            )
        row["_pair"] = (unit, neighbour)
        return Adjacency.objects.filter(unit=unit, neighbour=neighbour).first()

    def import_instance(self, instance, row, **kwargs):
        instance.unit, instance.neighbour = row["_pair"]
        instance.derived = False
        instance.distance_km = None

    def after_save_instance(self, instance, row, **kwargs):
        unit, neighbour = row["_pair"]
        Adjacency.objects.update_or_create(
            unit=neighbour, neighbour=unit, defaults={"derived": False, "distance_km": None}
        )

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        codes = {text(c) for c in dataset["code"]} | {text(c) for c in dataset["neighbour_code"]}
        parents = set(AdminUnit.objects.filter(code__in=codes).values_list("parent_id", flat=True))
        Adjacency.objects.filter(derived=True, unit__parent_id__in=parents).delete()


@register
class PopulationImporter(Importer):
    kind = "territory.population"
    label = gettext_lazy("Population by age band")
    capability = Cap.UNITS_EDIT
    all_or_nothing = True
    resource_class = PopulationResource
    columns = (
        Column(
            "code",
            gettext_lazy("Unit code"),
            ("ma", "ma don vi", "ma xa", "ma dvhc", "code"),
            required=True,
            example="25222",
        ),
        Column(
            "name",
            gettext_lazy("Unit name"),
            ("ten", "ten don vi", "don vi", "xa phuong", "name"),
            example="Xã Bù Gia Mập",
        ),
        Column(
            "population_total",
            gettext_lazy("Population"),
            ("dan so", "tong dan so", "tong so dan", "population"),
            required=True,
            example=9012,
        ),
        Column("pop_0_17", gettext_lazy("Aged 0–17"), ("0 17", "duoi 18", "tu 0 17 tuoi", "0 17 tuoi"), example=2900),
        Column("pop_18_49", gettext_lazy("Aged 18–49"), ("18 49", "tu 18 49 tuoi", "18 49 tuoi"), example=4300),
        Column("pop_50_64", gettext_lazy("Aged 50–64"), ("50 64", "tu 50 64 tuoi", "50 64 tuoi"), example=1200),
        Column(
            "pop_65_plus",
            gettext_lazy("Aged 65+"),
            ("65", "65 tro len", "tren 65", "tu 65 tuoi tro len", "65+"),
            example=612,
        ),
        Column(
            "population_as_of",
            gettext_lazy("Population as of"),
            ("ngay so lieu", "thoi diem", "nam so lieu", "as of"),
            example="01/04/2021",
        ),
        Column("area_km2", gettext_lazy("Area (km²)"), ("dien tich", "dien tich km2", "area"), example=""),
        Column("is_border", gettext_lazy("Border unit"), ("bien gioi", "xa bien gioi", "border"), example="Có"),
    )


@register
class AdjacencyImporter(Importer):
    kind = "territory.adjacency"
    label = gettext_lazy("Neighbouring units")
    capability = Cap.UNITS_EDIT
    all_or_nothing = True
    resource_class = AdjacencyResource
    columns = (
        Column("code", gettext_lazy("Unit code"), ("ma", "ma don vi", "ma xa", "code"), required=True, example="25222"),
        Column(
            "neighbour_code",
            gettext_lazy("Neighbour code"),
            ("ma giap ranh", "ma don vi giap ranh", "ma xa giap ranh", "giap ranh", "neighbour"),
            required=True,
            example="25225",
        ),
    )
