"""Import of the national vaccination platform's dose records (Excel/CSV), on the house's import framework.

Upload → check → confirm → import with progress, resumable after a crash (each chunk and its progress in
one transaction), idempotent: a record's key (``vaccination.platform.record_key``) is the dose's
``external_id`` and the work-list record's ``record_key``, so the same file imported twice changes nothing
and a record whose lot or site changed updates its dose.

A chunk is prepared in a handful of queries whatever its size — the chunk's doses by key, its work-list
records by key, its people by CCCD and by phone, their doses and priority groups — then written in bulk
(doses with their history, tallies applied once).  The rows are sorted by person and date before the first
chunk (the same order on every run, so a resumed import continues where it stopped), so that a person's
doses of one file are numbered in the order they were given.

A record that matches nobody, several people, or contradicts the registry or a recorded dose, or cannot be
used, goes to the reconciliation work list (``PlatformRecord``), counted as saved: the job's page says how
many and links to them.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field, make_dataclass, replace
from datetime import date
from operator import attrgetter, itemgetter
from typing import NamedTuple

import tablib
from django.conf import settings
from django.db import connection
from django.db.models import F, Lookup
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from chongdich.core import clock
from chongdich.core.imports import Column, Importer, Outcome, read_limits, register, rows_of
from chongdich.core.models import ImportJob
from chongdich.core.scoping import scope_for
from chongdich.core.spreadsheets import ReadLimits
from chongdich.core.text import cell_text, fold
from chongdich.people.identity import clean_cccd
from chongdich.people.models import Person
from chongdich.tallies import engine
from chongdich.vaccination.models import EDIT, Dose, DoseSource, Enrolment, Mismatch, PlatformRecord, ReconcileStatus
from chongdich.vaccination.platform import Held, PlatformRow, age_band, decide, match, read_date, read_row

KIND = "vaccination.platform"
DOSE_UPDATE_FIELDS = ["lot_number", "site_name", "external_id"]
RECORD_FIELDS = (
    "cccd",
    "full_name",
    "folded_name",
    "date_of_birth",
    "phone",
    "product",
    "lot_number",
    "given_on",
    "dose_number",
    "site_name",
    "problem",
    "detail",
)


DOSE_COLUMNS = [f.attname for f in Dose._meta.concrete_fields]
DOSE_DEFAULTS = {f.attname: (None if f.primary_key else f.get_default()) for f in Dose._meta.concrete_fields}


@dataclass
class PlatformOutcome(Outcome):
    reconcile: int = 0  # records of the chunk now on the work list (new or updated), included in new/update

    def as_summary(self) -> dict:
        return {**super().as_summary(), "reconcile": self.reconcile}


class PlatformBatch:
    """What an import of one job keeps between chunks: the actor, the area, the rows already seen."""

    def __init__(self, job: ImportJob):
        self.job = job
        self.actor = job.created_by
        self.target = job.unit
        self.today = clock.today()
        self.scope = scope_for(self.actor, EDIT)
        self.seen: dict[str, int] = {}  # key → first row of the file with it
        self.unsaved: dict[int, list[Held]] = {}  # a dry run: the doses its previous chunk would have added

    def in_area(self, person) -> bool:
        return person.unit_path.startswith(self.target.path) and self.scope.contains(person.unit_path)


# A dose the import adds, as the values of ``vaccination_dose``'s columns in their order (lighter than a model
# instance: a million are built).  ``Dose.tally_contributions`` reads it as it reads a dose, so the tallies of
# an imported dose are the ones a rebuild counts.
NewDose = make_dataclass(
    "NewDose",
    [*((name, object) for name in DOSE_COLUMNS), ("pk", object, field(default=None))],
    slots=True,
    namespace={"tally_contributions": Dose.tally_contributions},
)
_DOSE_VALUES = attrgetter(*DOSE_COLUMNS)
_PROBLEMS_AT = DOSE_COLUMNS.index("problems")
# What a dose's tally contributions depend on (``Dose.tally_contributions``): doses alike in these count alike.
_TALLY_KEY = attrgetter(
    "unit_id",
    "commune_code",
    "given_on",
    "voided_at",
    "product",
    "kind",
    "number",
    "completes_primary",
    "age_band",
    "priority_group",
    "high_risk",
)


def dose_of(person, row: PlatformRow, numbered, groups: tuple[str, bool], actor, now=None) -> NewDose:
    """The unsaved dose a platform record gives ``person`` (scoped by the person's unit on that day); ``as_dose``
    makes it a model instance."""
    values = dict(DOSE_DEFAULTS)
    values.update(
        unit_id=person.unit_id,
        unit_path=person.unit_path,
        province_code=person.province_code,
        commune_code=person.commune_code,
        created_at=now or timezone.now(),
        created_by_id=getattr(actor, "pk", None),
        person_id=person.pk,
        product=row.product,
        lot_number=row.lot_number,
        given_on=row.given_on,
        site_name=row.site_name,
        source=DoseSource.PLATFORM,
        external_id=row.key,
        kind=numbered.kind,
        number=numbered.number,
        completes_primary=numbered.completes_primary,
        age_band=age_band(person.date_of_birth, person.birth_year, row.given_on),
        priority_group=groups[0],
        high_risk=groups[1],
        problems=list(numbered.problems),
    )
    return NewDose(**values)


def place_like(record, person) -> None:
    """Scope a record where ``person`` lives, from the person's own columns (no fetch of the unit)."""
    record.unit_id, record.unit_path = person.unit_id, person.unit_path
    record.province_code, record.commune_code = person.province_code, person.commune_code


class Someone(NamedTuple):
    """What matching and a dose need of a registered person (lighter than a model instance, fetched by the
    thousand)."""

    pk: int
    full_name: str
    folded_name: str
    date_of_birth: date | None
    birth_year: int
    cccd: str | None
    phone: str
    unit_id: int
    unit_path: str
    province_code: str
    commune_code: str


class AnyOf(Lookup):
    """``field = ANY(%s)``: one array parameter instead of an IN list of thousands (PostgreSQL)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if all(isinstance(v, str) and "," not in v for v in values):
            # keys, CCCDs, phones: one text parameter (quoting an array of thousands costs more than the query)
            return f"{lhs} = ANY(string_to_array(%s, ','))", [*lhs_params, ",".join(values)]
        return f"{lhs} = ANY(%s)", [*lhs_params, values]


def among(queryset, field: str, values):
    """``queryset.filter(field__in=values)``; on PostgreSQL as ``field = ANY(array)`` (Django prepares an IN
    list value by value, and a chunk asks for thousands)."""
    values = list(values)
    if connection.vendor != "postgresql":
        return queryset.filter(**{f"{field}__in": values})
    return queryset.filter(AnyOf(F(field), values))


def someone_of(queryset) -> list[Someone]:
    return [Someone(*values) for values in queryset.values_list(*Someone._fields)]


def groups_of(enrolments) -> dict[int, tuple[str, bool]]:
    """person id → (highest-priority group code, any high-risk group)."""
    found: dict[int, list] = defaultdict(list)
    for person_id, group, high_risk in enrolments:
        found[person_id].append((group, high_risk))
    return {pid: (min(g for g, _h in items), any(h for _g, h in items)) for pid, items in found.items()}


def held_doses(person_ids) -> dict[int, list[Held]]:
    held: dict[int, list[Held]] = defaultdict(list)
    rows = (
        Dose.objects.valid()
        .filter(person_id__in=person_ids)
        .order_by("given_on", "pk")
        .values_list("person_id", "pk", "product", "given_on", "external_id", "lot_number", "site_name")
    )
    for person_id, *values in rows:
        held[person_id].append(Held(*values))
    return held


HISTORY_COLUMNS = [c for c in DOSE_COLUMNS if c not in ("unit_path", "province_code", "commune_code")]


def as_dose(dose) -> Dose:
    """A ``NewDose`` as an unsaved ``Dose``."""
    return Dose(*_DOSE_VALUES(dose))


def insert_doses(doses: list, actor) -> None:
    """Insert new doses (``NewDose``) and their history rows.  On PostgreSQL with COPY (ids drawn from the
    sequence first, so the doses keep their pk for the tallies and the work list); elsewhere with
    bulk_create."""
    if connection.vendor != "postgresql":
        models = [as_dose(dose) for dose in doses]
        bulk_create_with_history(models, Dose, batch_size=2000, default_user=actor)
        for dose, model in zip(doses, models, strict=True):
            dose.pk = dose.id = model.pk
        return
    table, history = Dose._meta.db_table, Dose.history.model._meta.db_table
    now, user_id = timezone.now(), getattr(actor, "pk", None)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(doses)]
        )
        rows = []
        for dose, (pk,) in zip(doses, cursor.fetchall(), strict=True):
            dose.pk = dose.id = pk
            row = list(_DOSE_VALUES(dose))
            row[_PROBLEMS_AT] = json.dumps(row[_PROBLEMS_AT]) if row[_PROBLEMS_AT] else "[]"
            rows.append(row)
        with cursor.copy(f"COPY {table} ({', '.join(DOSE_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        at = {c: i for i, c in enumerate(DOSE_COLUMNS)}
        picks = itemgetter(*(at[c] for c in HISTORY_COLUMNS))
        columns = [*HISTORY_COLUMNS, "history_date", "history_type", "history_user_id"]
        tail = (now, "+", user_id)
        with cursor.copy(f"COPY {history} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(picks(row) + tail)


def tallies_of(doses: list) -> Counter:
    """``engine.contributions_of(doses)``, asked once per distinct tally key rather than once per dose: the doses
    of a chunk share their commune, day, product, number, age band and group by the hundred."""
    alike: Counter = Counter(_TALLY_KEY(dose) for dose in doses)
    if not alike:
        return Counter()
    first: dict = {}
    for dose in doses:
        first.setdefault(_TALLY_KEY(dose), dose)
    result: Counter = Counter()
    for key, count in alike.items():
        for contribution, delta in engine.contributions_of([first[key]]).items():
            result[contribution] += delta * count
    return result


def copy_create_with_history(records: list, actor) -> None:
    """``bulk_create_with_history(records, …)`` for new model instances; on PostgreSQL with COPY (ids drawn
    from the sequence first, set on the instances), their "+" history rows likewise."""
    if not records:
        return
    model = type(records[0])
    if connection.vendor != "postgresql":
        bulk_create_with_history(records, model, batch_size=2000, default_user=actor)
        return
    table, history = model._meta.db_table, model.history.model._meta.db_table
    columns = [f.attname for f in model._meta.concrete_fields]
    values = attrgetter(*columns)
    kept = {f.attname for f in model.history.model._meta.concrete_fields}
    picks = itemgetter(*(i for i, c in enumerate(columns) if c in kept))
    history_columns = [c for c in columns if c in kept]
    history_columns += ["history_date", "history_change_reason", "history_type", "history_user_id"]
    tail = (timezone.now(), None, "+", getattr(actor, "pk", None))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(records)]
        )
        rows = []
        for record, (pk,) in zip(records, cursor.fetchall(), strict=True):
            record.pk = pk
            record._state.adding = False
            rows.append(values(record))
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        with cursor.copy(f"COPY {history} ({', '.join(history_columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(picks(row) + tail)


class ChunkWriter:
    """Collects one chunk's writes, then makes them in bulk (nothing in a dry run)."""

    def __init__(self, batch: PlatformBatch, dry_run: bool):
        self.batch, self.dry_run = batch, dry_run
        self.new_doses: list[Dose] = []
        self.changed_doses: list[Dose] = []
        self.new_records: list[tuple[PlatformRecord, list]] = []
        self.changed_records: list[tuple[PlatformRecord, list]] = []
        self.resolved: list[tuple[PlatformRecord, Dose]] = []

    def record(self, existing: PlatformRecord | None, row: PlatformRow, problem: str, detail: str, candidates, person):
        """Put a record on the work list (or refresh the open one with this key); True when something changed."""
        values = {
            "cccd": row.cccd,
            "full_name": row.full_name or "—",
            "folded_name": row.folded_name,
            "date_of_birth": row.date_of_birth,
            "phone": row.phone,
            "product": row.product_name or row.product,
            "lot_number": row.lot_number,
            "given_on": row.given_on,
            "dose_number": row.dose_number,
            "site_name": row.site_name,
            "problem": problem,
            "detail": detail[:300],
        }
        if existing is None:
            record = PlatformRecord(record_key=row.key, import_job_id=self.batch.job.pk, **values)
            record.stamp(self.batch.actor)
            self.place(record, person)
            self.new_records.append((record, candidates))
            return True
        before = {f: getattr(existing, f) for f in RECORD_FIELDS}
        candidate_ids = sorted(c.pk for c in candidates)
        unit_id = person.unit_id if person is not None else self.batch.target.pk
        if before == values and existing.unit_id == unit_id and existing._candidate_ids == candidate_ids:
            return False
        for name, value in values.items():
            setattr(existing, name, value)
        self.place(existing, person)
        existing.import_job_id = self.batch.job.pk
        existing._history_user = self.batch.actor
        self.changed_records.append((existing, candidates))
        return True

    def place(self, record, person) -> None:
        """In the matched person's unit when there is one in the area, else in the unit of the import."""
        if person is not None:
            place_like(record, person)
        else:
            record.place_in(self.batch.target)

    def write(self) -> None:
        if self.dry_run:
            return
        actor = self.batch.actor
        if self.new_doses:
            insert_doses(self.new_doses, actor)
            engine.apply(tallies_of(self.new_doses))
        if self.changed_doses:
            bulk_update_with_history(self.changed_doses, Dose, DOSE_UPDATE_FIELDS, batch_size=2000, default_user=actor)
        now = timezone.now()
        for record, dose in self.resolved:
            record.status, record.dose_id = ReconcileStatus.RESOLVED, dose.pk
            record.resolution = _("Matched on a later import.")
            record.resolved_at, record.import_job_id = now, self.batch.job.pk
            self.changed_records.append((record, None))
        if self.new_records:
            copy_create_with_history([r for r, _c in self.new_records], actor)
        if self.changed_records:
            bulk_update_with_history(
                [r for r, _c in self.changed_records],
                PlatformRecord,
                [
                    *RECORD_FIELDS,
                    "unit",
                    "unit_path",
                    "province_code",
                    "commune_code",
                    "import_job",
                    "status",
                    "resolution",
                    "resolved_at",
                    "dose",
                ],
                batch_size=2000,
                default_user=actor,
            )
        through = PlatformRecord.candidates.through
        refreshed = [r.pk for r, c in self.changed_records if c is not None]
        if refreshed:
            through.objects.filter(platformrecord_id__in=refreshed).delete()
        links = [
            through(platformrecord_id=r.pk, person_id=p.pk)
            for r, c in (*self.new_records, *self.changed_records)
            if c
            for p in c
        ]
        through.objects.bulk_create(links, batch_size=2000)


def sort_rows(dataset: tablib.Dataset) -> None:
    """Order the rows by person, then date (in place, stable): the same order on every run of the job."""
    headers = list(dataset.headers)
    at = {
        key: headers.index(key) if key in headers else None
        for key in ("cccd", "full_name", "date_of_birth", "given_on")
    }

    def cell(values, key):
        return values[at[key]] if at[key] is not None else None

    def key(values):
        cccd = clean_cccd(cell_text(cell(values, "cccd")))
        who = cccd or f"{fold(cell_text(cell(values, 'full_name')))}|{cell_text(cell(values, 'date_of_birth'))}"
        day = read_date(cell(values, "given_on"))
        return (who, day.toordinal() if day else 0)

    dataset._data.sort(key=lambda row: key(row._row))  # tablib keeps its rows in _data


@register
class PlatformImporter(Importer):
    kind = KIND
    label = gettext_lazy("Doses from the national vaccination platform")
    capability = EDIT
    chunk_rows = 10_000
    columns = (
        Column("stt", gettext_lazy("No."), ("stt", "tt", "so tt"), example=1),
        Column(
            "cccd",
            gettext_lazy("Citizen ID (CCCD)"),
            ("cccd", "so cccd", "cmnd cccd", "cccd cmnd", "so cmnd cccd", "so dinh danh", "ma dinh danh", "cmnd"),
            example="070087001234",
        ),
        Column(
            "full_name",
            gettext_lazy("Full name"),
            ("ho ten", "ho va ten", "ten", "ho ten nguoi tiem", "ho va ten doi tuong", "name", "full name"),
            required=True,
            example="Nguyễn Văn An",
        ),
        Column(
            "date_of_birth",
            gettext_lazy("Date of birth"),
            ("ngay sinh", "ngay thang nam sinh", "ngay/thang/nam sinh", "dob", "date of birth"),
            example="05/09/1987",
        ),
        Column(
            "phone",
            gettext_lazy("Phone"),
            ("sdt", "so dien thoai", "dien thoai", "so dt", "phone"),
            example="0912345678",
        ),
        Column(
            "product",
            gettext_lazy("Vaccine"),
            ("vac xin", "vacxin", "vaccine", "ten vac xin", "loai vac xin", "ten vaccine", "product"),
            required=True,
            example="AstraZeneca",
        ),
        Column(
            "lot_number",
            gettext_lazy("Lot number"),
            ("so lo", "lo", "lo vac xin", "lot", "lot number"),
            example="NJ0342",
        ),
        Column(
            "given_on",
            gettext_lazy("Vaccination date"),
            ("ngay tiem", "ngay tiem chung", "thoi gian tiem", "date given", "vaccination date"),
            required=True,
            example="05/09/2021",
        ),
        Column(
            "dose_number",
            gettext_lazy("Dose number"),
            ("mui so", "mui", "mui tiem", "mui thu", "so mui", "dose", "dose number"),
            example=1,
        ),
        Column(
            "site_name",
            gettext_lazy("Vaccination site"),
            ("diem tiem", "co so tiem", "co so tiem chung", "noi tiem", "don vi tiem", "site"),
            example="Trạm Y tế xã Đức Hạnh",
        ),
    )

    @property
    def max_upload_mb(self) -> int:
        return settings.CHONGDICH_PLATFORM_IMPORT_MAX_MB

    def limits(self) -> ReadLimits:
        """A day of the platform's export can pass a million rows: ``CHONGDICH_PLATFORM_IMPORT_MAX_ROWS``
        (1,200,000), and the memory to read such a workbook."""
        limits = read_limits()
        return replace(
            limits,
            max_rows=max(limits.max_rows, settings.CHONGDICH_PLATFORM_IMPORT_MAX_ROWS),
            memory_mb=max(limits.memory_mb, 4096),
            cpu_seconds=max(limits.cpu_seconds, 900),
        )

    def resource(self, job: ImportJob) -> PlatformBatch:
        return PlatformBatch(job)

    def read(self, job: ImportJob) -> tablib.Dataset:
        dataset = super().read(job)
        sort_rows(dataset)
        return dataset

    def notes(self, job: ImportJob) -> list[tuple[str, str]]:
        count = (job.summary or {}).get("reconcile", 0)
        if not count:
            return []
        text = _("%(count)s records need an officer's decision: open the reconciliation work list.") % {
            "count": number_format(count, force_grouping=True)
        }
        return [(text, f"{reverse('vaccination:reconcile_list')}?job={job.pk}")]

    # -- one chunk ------------------------------------------------------------------------------------
    def process_chunk(self, batch: PlatformBatch, chunk: tablib.Dataset, dry_run: bool) -> PlatformOutcome:
        outcome = PlatformOutcome(headers=list(chunk.headers))
        rows: list[tuple[PlatformRow, list]] = []
        for values, raw in zip(rows_of(chunk), chunk, strict=True):
            parsed, reason = read_row(values, batch.today)
            if parsed is None:
                self._refuse(outcome, raw, reason)
                continue
            first = batch.seen.setdefault(parsed.key, parsed.row)
            if first != parsed.row:
                self._refuse(outcome, raw, _("Same record as row %(row)s of this file.") % {"row": first})
                continue
            rows.append((parsed, raw))
        writer = ChunkWriter(batch, dry_run)
        keys = [r.key for r, _raw in rows]
        doses = (
            {
                values[1]: values
                for values in among(Dose.objects, "external_id", keys).values_list(
                    "pk", "external_id", "lot_number", "site_name"
                )
            }
            if keys
            else {}
        )
        changed: dict[int, PlatformRow] = {}
        records = {r.record_key: r for r in among(PlatformRecord.objects, "record_key", keys)} if keys else {}
        for record in records.values():
            record._candidate_ids = []
        if records:
            by_pk = {r.pk: r for r in records.values()}
            links = PlatformRecord.candidates.through.objects.filter(platformrecord_id__in=list(by_pk))
            for record_id, person_id in links.order_by("person_id").values_list("platformrecord_id", "person_id"):
                by_pk[record_id]._candidate_ids.append(person_id)
        pending: list[PlatformRow] = []
        for row, _raw in rows:
            dose = doses.get(row.key)
            if dose is not None:  # imported before: only its lot and site may change
                if (dose[2], dose[3]) == (row.lot_number, row.site_name):
                    outcome.skip += 1
                else:
                    changed[dose[0]] = row
                    outcome.update += 1
                continue
            record = records.get(row.key)
            if record is not None and record.status != ReconcileStatus.OPEN:
                outcome.skip += 1  # an officer decided it already
                continue
            pending.append(row)
        for pk, dose in Dose.objects.in_bulk(list(changed)).items() if changed else ():
            dose.lot_number, dose.site_name = changed[pk].lot_number, changed[pk].site_name
            dose._history_user = batch.actor
            writer.changed_doses.append(dose)
        self._match_and_number(batch, pending, records, writer, outcome)
        writer.write()
        return outcome

    def _match_and_number(self, batch, pending, records, writer: ChunkWriter, outcome: PlatformOutcome) -> None:
        usable = [r for r in pending if not r.problems]
        cccds = {r.cccd for r in usable if r.cccd}
        phones = {r.phone for r in usable if r.phone and r.date_of_birth}
        people = Person.objects.active()
        by_cccd = {p.cccd: p for p in someone_of(among(people, "cccd", cccds))} if cccds else {}
        by_phone: dict[str, list] = defaultdict(list)
        for person in someone_of(among(people, "phone", phones)) if phones else ():
            by_phone[person.phone].append(person)
        matched: list[tuple[PlatformRow, object]] = []
        unmatched: list[tuple[PlatformRow, object]] = []
        for row in pending:
            existing = records.get(row.key)
            if row.problems:
                self._park(batch, writer, outcome, existing, row, Mismatch.BAD_RECORD, " ".join(row.problems), [])
                continue
            found = match(row, by_cccd, by_phone, batch.in_area)
            if found.person is None:
                unmatched.append((row, found))
            else:
                matched.append((row, found.person))
        if unmatched:
            self._park_unmatched(batch, writer, outcome, records, unmatched, people)
        person_ids = {p.pk for _r, p in matched}
        held = held_doses(person_ids) if person_ids else {}
        groups = (
            groups_of(Enrolment.objects.filter(person_id__in=person_ids).values_list("person_id", "group", "high_risk"))
            if person_ids
            else {}
        )
        for person_id, added in batch.unsaved.items():  # a dry run saved the previous chunk's doses nowhere
            if person_id in person_ids:
                held.setdefault(person_id, []).extend(added)
        if writer.dry_run:
            batch.unsaved = {}
        links: list[tuple[int, PlatformRow, PlatformRecord | None]] = []
        now = timezone.now()
        for row, person in matched:  # sorted by person and date (sort_rows)
            existing = records.get(row.key)
            mine = held.setdefault(person.pk, [])
            verdict = decide(mine, row, date_of_birth=person.date_of_birth)
            if verdict.action == "conflict":
                self._park(
                    batch, writer, outcome, existing, row, Mismatch.DOSE_CONFLICT, verdict.detail, [person], person
                )
                continue
            if verdict.action == "link":
                dose = verdict.held
                if dose.external_id and dose.external_id != row.key:
                    self._park(
                        batch,
                        writer,
                        outcome,
                        existing,
                        row,
                        Mismatch.DOSE_CONFLICT,
                        _("This dose was already imported from another platform record (another dose number)."),
                        [person],
                        person,
                    )
                    continue
                links.append((dose.pk, row, existing))  # entered at the table before: the record names it
                outcome.update += 1
                continue
            dose = dose_of(person, row, verdict.numbered, groups.get(person.pk, ("", False)), batch.actor, now)
            writer.new_doses.append(dose)
            added = Held(None, row.product, row.given_on, row.key, row.lot_number, row.site_name)
            mine.append(added)
            if writer.dry_run:
                batch.unsaved.setdefault(person.pk, []).append(added)
            outcome.new += 1
            if existing is not None:
                writer.resolved.append((existing, dose))
        if links:
            self._link(batch, writer, links)

    @staticmethod
    def _link(batch, writer: ChunkWriter, links) -> None:
        """Doses recorded at the table that a record names (same person, day and product): they take the
        record's key, and the lot and site when they had none."""
        doses = Dose.objects.in_bulk([pk for pk, _row, _existing in links])
        for pk, row, existing in links:
            dose = doses[pk]
            dose.lot_number = dose.lot_number or row.lot_number
            dose.site_name = dose.site_name or row.site_name
            dose.external_id = row.key
            dose._history_user = batch.actor
            writer.changed_doses.append(dose)
            if existing is not None:
                writer.resolved.append((existing, dose))

    def _park_unmatched(self, batch, writer, outcome, records, unmatched, people) -> None:
        """Records that matched nobody, several people or someone outside the area.  Nobody: the people of the
        area with the same folded name and date of birth are offered as candidates."""
        names = {r.folded_name for r, m in unmatched if m.problem == Mismatch.NO_MATCH and r.folded_name}
        possible: dict[tuple, list] = defaultdict(list)
        if names:
            area = people.filter(folded_name__in=names).for_user(batch.actor, EDIT).within(batch.target)
            for person in area:
                possible[(person.folded_name, person.date_of_birth)].append(person)
        for row, found in unmatched:
            candidates = found.candidates
            detail = found.detail
            if found.problem == Mismatch.NO_MATCH:
                candidates = possible.get((row.folded_name, row.date_of_birth), [])[:10]
                if candidates:
                    detail = _("Same name and date of birth as people of the area, but another phone or citizen ID.")
            elif found.problem == Mismatch.OUT_OF_SCOPE:
                detail = _("The citizen ID belongs to a person registered outside the area of this import.")
            person = candidates[0] if found.problem == Mismatch.IDENTITY and batch.in_area(candidates[0]) else None
            self._park(batch, writer, outcome, records.get(row.key), row, found.problem, detail, candidates, person)

    def _park(self, batch, writer, outcome, existing, row, problem, detail, candidates, person=None) -> None:
        """The record on the work list: in the matched person's unit when there is one in the area, else in
        the unit the file was imported for."""
        if writer.record(existing, row, problem, detail, candidates, person):
            if existing is None:
                outcome.new += 1
            else:
                outcome.update += 1
            outcome.reconcile += 1
        else:
            outcome.skip += 1

    @staticmethod
    def _refuse(outcome: Outcome, raw, reason: str) -> None:
        outcome.invalid += 1
        if len(outcome.errors) < 500:
            outcome.errors.append({"row": raw[0], "message": reason})
        outcome.rejected.append((list(raw), reason))
