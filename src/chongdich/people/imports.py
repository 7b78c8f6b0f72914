"""Import of person lists from Excel/CSV: background task, dry run, rejected rows, idempotent.

A row is matched to an existing person by CCCD, else by phone + name + year of birth, else by
name + year of birth + village; a matched row updates that person (or is skipped when nothing
changed), so importing the same file twice adds nobody.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.instance_loaders import BaseInstanceLoader
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from chongdich.core.imports import Column, Importer, ImportResource, register, rows_of
from chongdich.core.roles import Cap
from chongdich.core.scoping import in_scope
from chongdich.core.text import fold, fold_words
from chongdich.people.actions import PERSON_FIELDS
from chongdich.people.duplicates import deferred_disclosures, import_row_elsewhere
from chongdich.people.models import Household, Person, Relation
from chongdich.people.rows import ParsedPerson, parse_row
from chongdich.territory.models import AdminUnit, Level

# What a row writes: the person's fields (the form's) and their place (``Person.place_in``).
PLACE_FIELDS = ("unit", "unit_path", "province_code", "commune_code")
# Compared by id, so that an unchanged row is recognised without fetching its household and unit.
IMPORTED_FIELDS = tuple(f"{f}_id" if f in ("household", "unit") else f for f in (*PERSON_FIELDS, *PLACE_FIELDS))
UPDATE_FIELDS = [*PERSON_FIELDS, *PLACE_FIELDS, "folded_name", "updated_at"]
_UNIT_PREFIXES = (
    "xa ",
    "phuong ",
    "thi tran ",
    "thon ",
    "ap ",
    "to dan pho ",
    "to ",
    "khu pho ",
    "ban ",
    "bon ",
    "xom ",
)


def unit_key(name: str) -> str:
    """Folded unit name without its kind word: "Thôn 3" and "3" match, "Xã Đức Hạnh" and "Duc Hanh" match."""
    folded = fold_words(name)
    for prefix in _UNIT_PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix) :].strip()
    return folded


class UnitResolver:
    """Finds the commune and village of a row among the units under the import's target unit."""

    def __init__(self, target: AdminUnit):
        self.target = target
        units = list(AdminUnit.objects.within(target).filter(level__in=[Level.COMMUNE, Level.VILLAGE]))
        self.communes: dict[str, AdminUnit] = {}
        self.villages: dict[tuple[int, str], AdminUnit] = {}
        by_id = {u.pk: u for u in units}
        for unit in units:
            if unit.level == Level.COMMUNE:
                self.communes[unit.code] = unit
                self.communes.setdefault(unit_key(unit.name), unit)
            else:
                commune = by_id.get(unit.parent_id)
                if commune:
                    self.villages[(commune.pk, unit.code)] = unit
                    self.villages.setdefault((commune.pk, unit_key(unit.name)), unit)
        if target.level == Level.VILLAGE:
            self.default_commune = target.parent
        else:
            self.default_commune = target if target.level == Level.COMMUNE else None

    def resolve(self, commune_text: str, village_text: str) -> AdminUnit:
        if self.target.level == Level.VILLAGE:
            return self.target
        commune = self.default_commune
        if commune_text:
            commune = self.communes.get(commune_text) or self.communes.get(unit_key(commune_text))
            if commune is None:
                raise ValidationError(
                    {
                        "commune": _("“%(value)s” is not a commune of %(unit)s.")
                        % {"value": commune_text, "unit": self.target}
                    }
                )
        if commune is None:
            raise ValidationError(
                {
                    "commune": _(
                        "The commune is missing: this file is imported for all of %(unit)s, so every row needs its commune."
                    )
                    % {"unit": self.target}
                }
            )
        if not village_text:
            return commune
        village = self.villages.get((commune.pk, village_text)) or self.villages.get(
            (commune.pk, unit_key(village_text))
        )
        if village is None:
            raise ValidationError(
                {
                    "village": _(
                        "%(commune)s has no village “%(value)s”. Create it on the commune's page first, or correct the name."
                    )
                    % {"commune": commune, "value": village_text}
                }
            )
        return village


class PersonLoader(BaseInstanceLoader):
    """Prepares one chunk in a handful of queries: parses and places every row once, fetches every
    existing person a row may be, and creates the chunk's missing households in one insert."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        prepared: dict[int, tuple] = {}
        for row in rows_of(dataset):
            parsed, errors = parse_row(row, resource.today)
            unit = None
            if parsed is not None:
                try:
                    unit = resource.units.resolve(parsed.commune, parsed.village)
                except ValidationError as error:
                    errors = error.message_dict
            prepared[row["_row"]] = (parsed, unit, errors)
        resource.prepared = prepared
        ready = [(p, u) for p, u, e in prepared.values() if p is not None and u is not None]
        cccds = {p.cccd for p, _u in ready if p.cccd}
        phones = {p.phone for p, _u in ready if p.phone}
        names = {p.folded_name for p, _u in ready if not p.cccd and not p.phone}
        self.by_cccd: dict[str, Person] = {}
        self.by_phone: dict[tuple[str, str, int], Person] = {}
        self.by_name: dict[tuple[str, int, int, int | None], Person] = {}
        people = Person.objects.active()
        for person in people.filter(cccd__in=cccds) if cccds else []:
            self.by_cccd[person.cccd] = person
        for person in people.filter(phone__in=phones) if phones else []:
            self.by_phone[(person.phone, person.folded_name, person.birth_year)] = person
        if names:
            for person in people.within(resource.target).filter(folded_name__in=names):
                self.by_name[(person.folded_name, person.birth_year, person.unit_id, person.household_id)] = person
        resource.prepare_households(ready)

    def find(self, parsed: ParsedPerson, unit: AdminUnit, household_id: int | None) -> Person | None:
        if parsed.cccd and parsed.cccd in self.by_cccd:
            return self.by_cccd[parsed.cccd]
        if parsed.phone:
            match = self.by_phone.get((parsed.phone, parsed.folded_name, parsed.birth_year))
            if match is not None:
                return match
        # No ID and no phone (mostly children): the same name and year in the same household and village.
        return self.by_name.get((parsed.folded_name, parsed.birth_year, unit.pk, household_id))


class PersonRowResource(ImportResource):
    """Rows that name a person, as the person list does (and the lists of other apps whose rows name one):
    ``PersonLoader`` parses and places the person of every row of a chunk and fetches the people they may be;
    a row is refused for its errors or a unit outside the actor's area, and matched to its person."""

    def __init__(self, job):
        super().__init__(job)
        self.units = UnitResolver(self.target)
        self.prepared: dict[int, tuple] = {}  # row → (parsed person, unit, errors), by PersonLoader

    def import_data(self, dataset, dry_run=False, **kwargs):
        with deferred_disclosures():  # audited after import-export's transaction (a dry run rolls it back)
            return super().import_data(dataset, dry_run=dry_run, **kwargs)

    def prepare_households(self, ready: list[tuple[ParsedPerson, AdminUnit]]) -> None:
        """Hook of PersonLoader: the households of the chunk (lists without a household column have none)."""

    def placed_person(self, number: int, more_errors: dict | None = None) -> tuple[ParsedPerson, AdminUnit]:
        """The parsed person and unit of row ``number``; its errors (with ``more_errors`` of the row's other
        columns) refuse the row, as does a unit outside the actor's area."""
        parsed, unit, errors = self.prepared.pop(number)
        errors = {**(errors or {}), **(more_errors or {})}
        if errors:
            raise ValidationError(errors)
        self.check_area(unit)
        return parsed, unit

    def find_person(self, instance_loader, row, household_id: int | None) -> Person | None:
        """The registered person the row names, or None; one outside the actor's area refuses the row
        (with the audited warning that lets the officer ask for a transfer)."""
        person = instance_loader.find(row["_parsed"], row["_unit"], household_id)
        if person is not None and not in_scope(self.actor, self.capability, person):
            raise import_row_elsewhere(
                self.actor, person, job=self.job, unit=row["_unit"], typed_name=row["_parsed"].full_name
            )
        return person


class PersonResource(PersonRowResource):
    """The person list.  A dry run checks every row in Python (identity, units, duplicates, scope) and writes
    nothing: the database constraints it could hit (unique CCCD) are checked here first."""

    capability = Cap.PEOPLE_IMPORT

    class Meta(PersonRowResource.Meta):
        model = Person
        use_bulk = True
        instance_loader_class = PersonLoader

    def __init__(self, job):
        super().__init__(job)
        self.households: dict[str, Household] = {}
        self.heads: list[Person] = []

    # -- per row --------------------------------------------------------------------------------
    def before_import_row(self, row, **kwargs):
        number = row["_row"]
        parsed, unit = self.placed_person(number)
        household = self.household_for(parsed, unit)
        key = parsed.cccd or (
            parsed.phone,
            parsed.folded_name,
            parsed.birth_year,
            unit.pk,
            household.code if household else None,
        )
        self.check_first(key, number, "__all__", _("Same person as row %(row)s of this file."))
        row["_parsed"], row["_unit"], row["_household"] = parsed, unit, household

    def get_instance(self, instance_loader, row):
        household = row["_household"]
        return self.find_person(instance_loader, row, household.pk if household and household.pk else None)

    def import_instance(self, instance, row, **kwargs):
        parsed: ParsedPerson = row["_parsed"]
        unit: AdminUnit = row["_unit"]
        instance._before = {f: getattr(instance, f) for f in IMPORTED_FIELDS} if instance.pk else None
        household = row["_household"]
        values = {
            "full_name": parsed.full_name,
            "sex": parsed.sex,
            "birth_year": parsed.birth_year,
            "residence_status": parsed.residence_status,
        }
        # On an update, an empty cell keeps what is stored rather than erasing it.
        optional = {
            "date_of_birth": parsed.date_of_birth,
            "cccd": parsed.cccd,
            "phone": parsed.phone,
            "household": household,
            "relation": parsed.relation,
            "address": parsed.address,
            "occupation_group": parsed.occupation_group,
            "notes": parsed.notes,
        }
        values.update({k: v for k, v in optional.items() if v or not instance.pk})
        for name, value in values.items():
            setattr(instance, name, value)
        instance.folded_name = fold(instance.full_name)
        if not instance.pk or instance.unit_id != unit.pk:
            instance.place_in(unit)
        if not instance.pk:
            instance.created_by = self.actor
        if household and parsed.relation == Relation.HEAD and not household.head_id:
            self.heads.append(instance)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        before = getattr(instance, "_before", None)
        if import_validation_errors or before is None:
            return False
        return all(before[f] == getattr(instance, f) for f in IMPORTED_FIELDS)

    @staticmethod
    def household_code(parsed: ParsedPerson, unit: AdminUnit) -> str:
        commune_code = unit.commune_code or unit.code
        code = parsed.household_code
        return code if code.startswith(commune_code) else f"{commune_code}-{code}"

    def prepare_households(self, ready: list[tuple[ParsedPerson, AdminUnit]]) -> None:
        """Fetch the chunk's households and create the missing ones in one insert (with history).

        The cache starts empty for every chunk: a chunk that was rolled back (a dry run, an error)
        must not leave households behind that exist only in memory.
        """
        self.households = {}
        wanted: dict[str, AdminUnit] = {}
        for parsed, unit in ready:
            if parsed.household_code:
                wanted.setdefault(self.household_code(parsed, unit), unit)
        missing = set(wanted)
        if not missing:
            return
        for household in Household.objects.filter(code__in=missing):
            self.households[household.code] = household
        new = []
        for code in sorted(missing - set(self.households)):
            household = Household(code=code, address=wanted[code].name)
            household.place_in(wanted[code])
            new.append(household)
        if self.dry_run:
            self.households.update((h.code, h) for h in new)  # unsaved: nothing is written in a dry run
            return
        for household in bulk_create_with_history(new, Household, batch_size=1000, default_user=self.actor):
            self.households[household.code] = household

    def household_for(self, parsed: ParsedPerson, unit: AdminUnit) -> Household | None:
        return self.households.get(self.household_code(parsed, unit)) if parsed.household_code else None

    # -- batches with history -------------------------------------------------------------------
    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if dry_run:
            self.create_instances.clear()
            return
        if self.create_instances:
            try:
                bulk_create_with_history(self.create_instances, Person, batch_size=batch_size, default_user=self.actor)
            except Exception as exc:  # noqa: BLE001
                self.handle_import_error(result, exc, raise_errors)
            finally:
                self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if dry_run:
            self.update_instances.clear()
            return
        if self.update_instances:
            try:
                now = timezone.now()
                for person in self.update_instances:
                    person.updated_at = now
                bulk_update_with_history(
                    self.update_instances, Person, UPDATE_FIELDS, batch_size=batch_size, default_user=self.actor
                )
            except Exception as exc:  # noqa: BLE001
                self.handle_import_error(result, exc, raise_errors)
            finally:
                self.update_instances.clear()

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        heads = {p.household_id: p for p in self.heads if p.pk}
        households = list(Household.objects.filter(pk__in=list(heads), head__isnull=True))
        for household in households:
            household.head = heads[household.pk]
        Household.objects.bulk_update(households, ["head"], batch_size=500)
        self.heads.clear()


@register
class PersonImporter(Importer):
    kind = "people.persons"
    label = gettext_lazy("Person list")
    capability = Cap.PEOPLE_IMPORT
    resource_class = PersonResource
    columns = (
        Column("stt", gettext_lazy("No."), ("stt", "tt", "so tt", "so thu tu"), example=1),
        Column(
            "full_name",
            gettext_lazy("Full name"),
            ("ho va ten", "ho ten", "ten", "ho ten nguoi dan", "name", "full name"),
            required=True,
            example="Nguyễn Văn An",
        ),
        Column(
            "sex", gettext_lazy("Sex"), ("gioi tinh", "gt", "nam nu", "nam/nu", "sex"), required=True, example="Nam"
        ),
        Column(
            "date_of_birth",
            gettext_lazy("Date of birth"),
            ("ngay sinh", "ngay thang nam sinh", "ngay/thang/nam sinh", "dob", "date of birth"),
            example="05/09/1987",
        ),
        Column("birth_year", gettext_lazy("Year of birth"), ("nam sinh", "year of birth"), example=""),
        Column(
            "cccd",
            gettext_lazy("Citizen ID (CCCD)"),
            (
                "cccd",
                "so cccd",
                "cccd cmnd",
                "cmnd cccd",
                "so cmnd cccd",
                "so cccd cmnd",
                "so dinh danh",
                "so dinh danh ca nhan",
                "cmnd",
                "citizen id",
            ),
            example="070087001234",
        ),
        Column(
            "phone",
            gettext_lazy("Phone"),
            ("so dien thoai", "dien thoai", "sdt", "so dt", "dt", "phone"),
            example="0912345678",
        ),
        Column(
            "village",
            gettext_lazy("Village / residential group"),
            ("thon", "ap", "thon ap", "thon/ap", "to dan pho", "thon to", "thon/to", "khu pho", "village"),
            example="Thôn 3",
        ),
        Column(
            "commune",
            gettext_lazy("Commune / ward"),
            ("xa", "phuong", "xa phuong", "xa/phuong", "xa phuong thi tran", "ma xa", "commune"),
            example="",
        ),
        Column(
            "address",
            gettext_lazy("Address"),
            ("dia chi", "so nha", "dia chi cu tru", "noi o hien nay", "address"),
            example="Tổ 2",
        ),
        Column(
            "household",
            gettext_lazy("Household code"),
            ("ma ho", "so ho", "ho so", "so ho khau", "ma ho gia dinh", "household"),
            example="H012",
        ),
        Column(
            "relation",
            gettext_lazy("Relation to head"),
            ("quan he", "quan he voi chu ho", "qh voi chu ho", "relation"),
            example="Chủ hộ",
        ),
        Column(
            "residence_status",
            gettext_lazy("Residence status"),
            ("tinh trang cu tru", "cu tru", "loai cu tru", "residence"),
            example="Thường trú",
        ),
        Column(
            "occupation",
            gettext_lazy("Occupation"),
            ("nghe nghiep", "nghe", "cong viec", "occupation"),
            example="Nông dân",
        ),
        Column("notes", gettext_lazy("Notes"), ("ghi chu", "notes"), example=""),
    )
