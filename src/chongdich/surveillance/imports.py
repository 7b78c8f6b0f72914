"""Imports of case lists (F0) and F1 lists from Excel/CSV, through the case services.

Each row names a person as officers write them (the person columns and the matching of the person
list import: CCCD, else phone + name + year, else name + year + village) and is written by the
services, exactly as if typed in the form: ``do_confirm_case`` for a case, ``do_record_exposure``
for a contact, so chains, contact ranks, tallies and the audit follow.  A person not yet registered
is registered (``do_create_person``).  Rows are idempotent: a case on the same person and
confirmation date, or an exposure of the same F0, person, kind and day, is skipped, so importing a
file twice adds nothing.  The dry run runs the same services inside a transaction that is rolled
back, so it reports exactly the rows the import will refuse.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chongdich.core import dates
from chongdich.core.imports import Column, Importer, register, rows_of
from chongdich.core.roles import Cap
from chongdich.core.text import fold
from chongdich.people.actions import do_create_person
from chongdich.people.imports import PersonImporter, PersonLoader, PersonRowResource
from chongdich.people.models import ResidenceStatus
from chongdich.people.rows import ParsedPerson, text
from chongdich.surveillance import cells, placement
from chongdich.surveillance.actions import NAMED_FACILITY_PLACES, do_confirm_case, do_record_exposure
from chongdich.surveillance.models import Case, Cluster, Exposure, TreatmentPlace
from chongdich.surveillance.selectors import canonical_case_number, cases_for
from chongdich.surveillance.tracing import exposure_bounds

# The person columns are those of the person list import (same names, same aliases).
PERSON_KEYS = (
    "stt",
    "full_name",
    "date_of_birth",
    "birth_year",
    "sex",
    "cccd",
    "phone",
    "address",
    "village",
    "commune",
)
PERSON_COLUMNS = tuple(c for key in PERSON_KEYS for c in PersonImporter.columns if c.key == key)


def windowed_day(value, window: str) -> tuple:
    """(date, error) from a cell: a date the officer wrote, refused outside its plausible window
    (``core.dates``) with the same message as the form."""
    day, error = cells.parse_day(value)
    return (None, dates.problem(window, day)) if day and dates.problem(window, day) else (day, error)


class ServiceRowResource(PersonRowResource):
    """Rows written one by one through a service; the person part is prepared per chunk."""

    capability = Cap.CASES_EDIT

    class Meta(PersonRowResource.Meta):
        use_bulk = False

    def __init__(self, job):
        super().__init__(job)
        self.details: dict[int, tuple[dict, dict]] = {}  # row → (values of the service, errors)

    # -- hook of ServiceRowLoader -----------------------------------------------------------------
    def prepare_rows(self, dataset, loader: PersonLoader) -> None:
        raise NotImplementedError

    # -- per row ----------------------------------------------------------------------------------
    def before_import_row(self, row, **kwargs):
        number = row["_row"]
        values, more_errors = self.details.pop(number)
        parsed, unit = self.placed_person(number, more_errors)
        self.check_first(self.row_key(parsed, unit, values), number, "__all__", _("Same as row %(row)s of this file."))
        row["_parsed"], row["_unit"], row["_values"] = parsed, unit, values

    def row_key(self, parsed: ParsedPerson, unit, values: dict) -> tuple:
        return (parsed.cccd or (parsed.phone, parsed.folded_name, parsed.birth_year, unit.pk),)

    def get_instance(self, instance_loader, row):
        person = self.find_person(instance_loader, row, None)
        row["_person"] = person
        return self.existing(row, person) if person is not None else None

    def existing(self, row, person):
        """The record this row already is (then the row is skipped), or None."""
        raise NotImplementedError

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return bool(instance.pk) and not import_validation_errors

    def save_instance(self, instance, is_create, row, **kwargs):
        try:
            with transaction.atomic():  # a refused row leaves nothing, not even the person it registered
                person = row["_person"] or self.register(row["_parsed"], row["_unit"])
                saved = self.write(person, row["_values"])
        except PermissionDenied as exc:
            raise ValidationError({"commune": str(exc)}) from exc
        instance.pk = saved.pk  # for the row result; the record itself was written by the service

    def write(self, person, values: dict):
        raise NotImplementedError

    def register(self, parsed: ParsedPerson, unit):
        data = {
            "full_name": parsed.full_name,
            "sex": parsed.sex,
            "date_of_birth": parsed.date_of_birth,
            "birth_year": parsed.birth_year,
            "cccd": parsed.cccd,
            "phone": parsed.phone,
            "address": parsed.address,
            "residence_status": parsed.residence_status or ResidenceStatus.PERMANENT,
            "occupation_group": parsed.occupation_group,
            "notes": parsed.notes,
        }
        # The chunk was searched for this person already (PersonLoader): this is a new person.
        person, _created = do_create_person(self.actor, unit=unit, data=data, confirm_new=True)
        return person


class ServiceRowLoader(PersonLoader):
    """PersonLoader (parse, place and find the people of a chunk), then the resource's own columns."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        resource.prepare_rows(dataset, self)

    def people_ids(self) -> set[int]:
        return {p.pk for p in (*self.by_cccd.values(), *self.by_phone.values(), *self.by_name.values())}


# -- the case list ----------------------------------------------------------------------------


class CaseResource(ServiceRowResource):
    class Meta(ServiceRowResource.Meta):
        model = Case
        instance_loader_class = ServiceRowLoader

    def __init__(self, job):
        super().__init__(job)
        self.clusters: dict[str, Cluster] | None = None  # folded name → cluster, loaded once per import
        self.facilities: dict[str, Any] = {}
        self.cases: dict[tuple[int, object], Case] = {}

    def prepare_rows(self, dataset, loader):
        if self.clusters is None:
            self._load_reference()
        self.cases = {
            (c.person_id, c.confirmed_on): c
            for c in Case.objects.filter(person_id__in=loader.people_ids()).only(
                "pk", "person_id", "confirmed_on", "case_number"
            )
        }
        for row in rows_of(dataset):
            self.details[row["_row"]] = self.parse_case(row)

    def _load_reference(self) -> None:
        self.clusters = {}
        for cluster in Cluster.objects.for_user(self.actor, Cap.CASES_VIEW).filter(
            province_code=self.target.province_code
        ):
            self.clusters.setdefault(fold(cluster.name), cluster)
        for name, facility in placement.facilities().named(self.target.province_code):
            self.facilities.setdefault(fold(name), facility)

    def parse_case(self, row: dict) -> tuple[dict, dict]:
        errors: dict[str, str] = {}
        values: dict[str, Any] = {}

        def take(key: str, result: tuple) -> None:
            value, error = result
            if error:
                errors[key] = error
            values[key] = value

        take("confirmed_on", windowed_day(row.get("confirmed_on"), "case.confirmed_on"))
        if not values["confirmed_on"] and "confirmed_on" not in errors:
            errors["confirmed_on"] = _("The confirmation date is missing.")
        take("onset_date", windowed_day(row.get("onset_date"), "case.onset_date"))
        take("test_type", cells.parse_test_type(row.get("test_type")))
        take("detected_in", cells.parse_detected_in(row.get("detected_in")))
        take("severity", cells.parse_severity(row.get("severity")))
        values["source_known"], source_note = cells.parse_source_known(row.get("source_known"))
        values["setting"], setting_note = cells.parse_setting(row.get("setting"))
        values["sample_code"] = text(row.get("sample_code"))[:40]
        notes = [
            text(row.get("case_notes")),
            f"{_('Setting')}: {setting_note}" if setting_note else "",
            f"{_('Source of infection')}: {source_note}" if source_note else "",
        ]  # "F1 của BN 70-00012"
        values["notes"] = "; ".join(n for n in notes if n)
        cluster_name = text(row.get("cluster"))
        values["cluster"] = None
        if cluster_name:
            values["cluster"] = self.clusters.get(fold(cluster_name))
            if values["cluster"] is None:
                errors["cluster"] = _(
                    "There is no cluster “%(value)s” in your area: create it on the Clusters page "
                    "first, or leave the cell empty."
                ) % {"value": cluster_name}
        place_text = text(row.get("treatment_place"))
        facility = self.facilities.get(fold(place_text)) if place_text else None
        values["facility"] = facility
        if facility is not None:
            values["treatment_place"] = placement.facilities().place_of(facility)
        elif place_text:
            values["treatment_place"] = cells.parse_place(place_text)
            if values["treatment_place"] is None:
                errors["treatment_place"] = _(
                    "“%(value)s” is neither a treatment place (“Tại nhà”, “Bệnh viện”, "
                    "“BV dã chiến”, “Khu điều trị”, “Cách ly tập trung”) nor a facility of the "
                    "province."
                ) % {"value": place_text}
        else:
            values["treatment_place"] = TreatmentPlace.HOME
        if values["treatment_place"] in NAMED_FACILITY_PLACES and facility is None and "treatment_place" not in errors:
            errors["treatment_place"] = _(
                "“%(value)s”: write the name of the facility (as on the Facilities page) rather than the kind of place."
            ) % {"value": place_text}
        return values, errors

    def row_key(self, parsed, unit, values):
        return (*super().row_key(parsed, unit, values), values["confirmed_on"])

    def existing(self, row, person):
        return self.cases.get((person.pk, row["_values"]["confirmed_on"]))

    def write(self, person, values: dict):
        case, _created = do_confirm_case(self.actor, person, **values)
        return case


@register
class CaseImporter(Importer):
    kind = "surveillance.cases"
    label = gettext_lazy("Case list (F0)")
    capability = Cap.CASES_EDIT
    resource_class = CaseResource
    columns = (
        *PERSON_COLUMNS,
        Column(
            "confirmed_on",
            gettext_lazy("Confirmation date"),
            (
                "ngay xac dinh",
                "ngay co ket qua",
                "ngay duong tinh",
                "ngay xac dinh duong tinh",
                "ngay xac dinh f0",
                "ngay ket qua",
                "ngay phat hien",
                "confirmed on",
            ),
            required=True,
            example="12/07/2021",
        ),
        Column(
            "test_type",
            gettext_lazy("Test"),
            ("loai xet nghiem", "xet nghiem", "loai xn", "phuong phap xet nghiem", "confirmed by", "test"),
            example="RT-PCR",
        ),
        Column(
            "sample_code", gettext_lazy("Sample code"), ("ma mau", "ma so mau", "sample", "sample code"), example=""
        ),
        Column(
            "detected_in",
            gettext_lazy("Detected"),
            ("phat hien tai", "noi phat hien", "phat hien", "detected", "detected in"),
            example="Cộng đồng",
            help=gettext_lazy("Empty: in the community."),
        ),
        Column(
            "source_known",
            gettext_lazy("Source of infection"),
            ("nguon lay", "nguon lay nhiem", "nguon", "source"),
            example="Chưa rõ",
            help=gettext_lazy("“Rõ” or a description (“F1 của BN 70-00012”): known; “Chưa rõ” or empty: unknown."),
        ),
        Column(
            "setting",
            gettext_lazy("Setting"),
            ("boi canh", "noi lay nhiem", "moi truong lay nhiem", "setting"),
            example="Chợ",
        ),
        Column("cluster", gettext_lazy("Cluster"), ("o dich", "ten o dich", "thuoc o dich", "cluster"), example=""),
        Column(
            "treatment_place",
            gettext_lazy("Treatment place"),
            ("noi dieu tri", "noi cach ly dieu tri", "co so dieu tri", "noi dieu tri cach ly", "treatment place"),
            example="Tại nhà",
            help=gettext_lazy("A kind of place or the name of a facility of the province."),
        ),
        Column("severity", gettext_lazy("Severity"), ("muc do", "muc do benh", "phan do", "severity"), example="Nhẹ"),
        Column(
            "onset_date",
            gettext_lazy("Symptom onset"),
            ("ngay khoi phat", "ngay khoi phat trieu chung", "khoi phat", "symptom onset", "onset"),
            example="",
        ),
        Column("case_notes", gettext_lazy("Notes"), ("ghi chu", "notes"), example=""),
    )


# -- the F1 list --------------------------------------------------------------------------------


class ContactResource(ServiceRowResource):
    class Meta(ServiceRowResource.Meta):
        model = Exposure
        instance_loader_class = ServiceRowLoader

    def __init__(self, job):
        super().__init__(job)
        self.index_cases: dict[str, Case] = {}
        self.known: dict[tuple[int, int, str, object], int] = {}  # (source, contact, kind, day) → exposure

    def prepare_rows(self, dataset, loader):
        rows = list(rows_of(dataset))
        self._load_index_cases({text(row.get("index_case")) for row in rows} - {""})
        sources = {case.person_id for case in self.index_cases.values() if case is not None}
        people = loader.people_ids()
        self.known = {}
        if sources and people:
            for pk, source, contact, kind, start in Exposure.objects.filter(
                Q(source_id__in=sources, contact_id__in=people) | Q(source_id__in=people, contact_id__in=sources)
            ).values_list("pk", "source_id", "contact_id", "kind", "start"):
                day = timezone.localtime(start).date()
                self.known[(source, contact, kind, day)] = self.known[(contact, source, kind, day)] = pk
        for row in rows:
            self.details[row["_row"]] = self.parse_contact(row)

    def _load_index_cases(self, numbers: set[str]) -> None:
        """The F0s the chunk names, among the cases the officer can see (the same answer for an unknown
        case and one outside the area, so that an import does not reveal cases elsewhere)."""
        wanted = {n: canonical_case_number(n, self.target.province_code) for n in numbers if n not in self.index_cases}
        if not wanted:
            return
        found = {
            c.case_number: c
            for c in cases_for(self.actor)
            .filter(case_number__in={v for v in wanted.values() if v})
            .select_related("person")
        }
        for written, number in wanted.items():
            self.index_cases[written] = found.get(number)

    def parse_contact(self, row: dict) -> tuple[dict, dict]:
        errors: dict[str, str] = {}
        rank = fold(text(row.get("rank"))).replace(" ", "")
        if rank and rank not in ("f1", "1"):
            # An F2 is a contact of an F1, not of this F0: recording it here would make them an F1.
            return {}, {
                "rank": _(
                    "This row is an %(rank)s: only F1 (direct contacts of the F0) are imported here; "
                    "record an F2 as a contact of their F1 (“Record contacts” on the F1's row of the tracing list)."
                )
                % {"rank": text(row.get("rank"))}
            }
        number = text(row.get("index_case"))
        case = self.index_cases.get(number) if number else None
        if not number:
            errors["index_case"] = _("The F0's case number is missing.")
        elif case is None:
            errors["index_case"] = _("There is no case %(value)s in your area: check the number (e.g. 70-00012).") % {
                "value": number
            }
        masked, error = cells.parse_masked(row.get("masked"))
        if error:
            errors["masked"] = error
        kind, error = cells.parse_kind(row.get("kind"), masked)
        if error:
            errors["kind"] = error
        last, error = windowed_day(row.get("last_exposure"), "exposure.end")
        if error:
            errors["last_exposure"] = error
        elif last is None:
            errors["last_exposure"] = _("The date of the last exposure is missing.")
        first, error = windowed_day(row.get("first_exposure"), "exposure.start")
        if error:
            errors["first_exposure"] = error
        distance, error = cells.parse_distance(row.get("distance"))
        if error:
            errors["distance"] = error
        minutes, error = cells.parse_minutes(row.get("duration"))
        if error:
            errors["duration"] = error
        if errors:
            return {}, errors
        if first and first > last:
            return {}, {"first_exposure": _("The first exposure is after the last one: check the two dates.")}
        start, end = exposure_bounds(first or last, None, last)
        return {
            "case": case,
            "kind": kind,
            "start": start,
            "end": end,
            "masked": masked,
            "distance_m": distance,
            "duration_min": minutes,
            "place": text(row.get("place"))[:200],
            "day": (first or last),
        }, {}

    def row_key(self, parsed, unit, values):
        return (*super().row_key(parsed, unit, values), values["case"].pk, values["kind"], values["day"])

    def existing(self, row, person):
        values = row["_values"]
        pk = self.known.get((values["case"].person_id, person.pk, values["kind"], values["day"]))
        return Exposure(pk=pk) if pk else None  # already recorded: the row is skipped

    def write(self, person, values: dict):
        values = dict(values)
        case, _day = values.pop("case"), values.pop("day")
        exposure, _created = do_record_exposure(self.actor, source=case.person, contact=person, **values)
        return exposure


@register
class ContactImporter(Importer):
    kind = "surveillance.contacts"
    label = gettext_lazy("Contact list (F1) of a case")
    capability = Cap.CASES_EDIT
    resource_class = ContactResource
    columns = (
        Column(
            "index_case",
            gettext_lazy("F0 case number"),
            (
                "ma ca f0",
                "so ca f0",
                "ma f0",
                "f0",
                "ma benh nhan",
                "ma bn",
                "bn",
                "f0 lien quan",
                "tiep xuc voi f0",
                "tiep xuc voi",
                "case number",
            ),
            required=True,
            example="70-00012",
        ),
        Column(
            "rank",
            gettext_lazy("Rank"),
            ("phan loai", "loai", "f1 f2", "rank"),
            example="F1",
            help=gettext_lazy("Empty or F1: rows of F2 are refused (record their exposure with the F1)."),
        ),
        *PERSON_COLUMNS,
        Column(
            "kind",
            gettext_lazy("Kind of exposure"),
            ("hinh thuc tiep xuc", "loai tiep xuc", "kieu tiep xuc", "tiep xuc", "kind of exposure"),
            example="Sống cùng nhà",
        ),
        Column(
            "first_exposure",
            gettext_lazy("First exposure"),
            ("ngay tiep xuc dau", "ngay tiep xuc dau tien", "tiep xuc tu ngay", "first exposure"),
            example="",
        ),
        Column(
            "last_exposure",
            gettext_lazy("Last exposure"),
            ("ngay tiep xuc cuoi", "ngay tiep xuc cuoi cung", "ngay tiep xuc", "lan tiep xuc cuoi", "last exposure"),
            required=True,
            example="10/07/2021",
        ),
        Column(
            "distance",
            gettext_lazy("Distance (m)"),
            ("khoang cach", "khoang cach tiep xuc", "khoang cach m", "distance", "distance m"),
            example="1",
        ),
        Column(
            "masked",
            gettext_lazy("Wearing a mask"),
            ("deo khau trang", "khau trang", "co deo khau trang", "wearing a mask", "mask"),
            example="Không",
        ),
        Column(
            "duration",
            gettext_lazy("Duration (minutes)"),
            ("thoi gian tiep xuc", "thoi gian tiep xuc phut", "so phut", "duration", "duration minutes"),
            example="30",
        ),
        Column(
            "place",
            gettext_lazy("Place of exposure"),
            ("dia diem tiep xuc", "noi tiep xuc", "dia diem", "place of exposure"),
            example="",
        ),
    )
