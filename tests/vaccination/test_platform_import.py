"""The national platform's dose records: reading, matching (table-driven), numbering, the work list,
idempotent re-import, and an import that survives the death of its worker."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import QuerySet
from django.urls import reverse

from chongdich.core import imports
from chongdich.core.models import ImportJob, ImportStatus
from chongdich.people.models import Person
from chongdich.vaccination.models import Dose, DoseKind, DoseSource, Enrolment, Mismatch, PlatformRecord
from chongdich.vaccination.platform import product_code, read_row
from tests.conftest import valid_cccd
from tests.helpers import run_job, xlsx_bytes

KIND = "vaccination.platform"
HEADER = ["STT", "CCCD", "Họ tên", "Ngày sinh", "SĐT", "Vắc xin", "Số lô", "Ngày tiêm", "Mũi số", "Điểm tiêm"]


@pytest.fixture(autouse=True)
def pinned_day(settings):
    settings.CHONGDICH_TODAY = "2021-12-01T10:00"


def csv_of(rows: list[list]) -> bytes:
    lines = [",".join(HEADER)] + [",".join(str(v) for v in [n, *row]) for n, row in enumerate(rows, start=1)]
    return ("\n".join(lines) + "\n").encode()


def line(person=None, *, cccd=None, name=None, dob=None, phone=None, product="AstraZeneca", lot="NJ0342",
         day="05/09/2021", number=1, site="TYT Đức Hạnh"):  # fmt: skip
    """A platform row, by default the given person's."""
    if person is not None:
        cccd = person.cccd if cccd is None else cccd
        name = person.full_name if name is None else name
        dob = f"{person.date_of_birth:%d/%m/%Y}" if dob is None else dob
        phone = ("0" + person.phone[3:]) if phone is None else phone
    return [cccd or "", name or "", dob or "", phone or "", product, lot, day, number, site]


def run(user, unit, rows, name="nen-tang.csv", confirm=True):
    content = csv_of(rows) if name.endswith(".csv") else xlsx_bytes([HEADER, *([n, *r] for n, r in enumerate(rows, 1))])
    return run_job(user, KIND, unit, name, content, confirm=confirm)


# -- reading -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, code",
    [
        ("AstraZeneca", "AZ"),
        ("Astra Zeneca", "AZ"),
        ("Vaxzevria (AstraZeneca)", "AZ"),
        ("Pfizer-BioNTech", "PF"),
        ("Pfizer", "PF"),
        ("Comirnaty", "PF"),
        ("Moderna", "MO"),
        ("Spikevax", "MO"),
        ("Vero Cell", "VC"),
        ("Sinopharm", "VC"),
        ("VERO CELL (Sinopharm)", "VC"),
        ("Sputnik V", "SP"),
        ("Gam-COVID-Vac", "SP"),
        ("Abdala", "AB"),
        ("Janssen", "JJ"),
        ("Johnson & Johnson", "JJ"),
        ("Hayat-Vax", "HV"),
        ("Vắc xin AstraZeneca", "AZ"),
        ("Covaxin", "CX"),
        ("CoronaVac", ""),
        ("", ""),
    ],
)
def test_products_as_the_platform_writes_them(written, code):
    assert product_code(written) == code


def test_a_row_is_read_with_its_problems_and_a_stable_key():
    values = {"_row": 4, "cccd": "070087001234", "full_name": "nguyễn  văn AN", "date_of_birth": "05/09/1987",
              "phone": "0912 345 678", "product": "Pfizer", "given_on": "01/12/2022", "dose_number": "Mũi 2"}  # fmt: skip
    row, reason = read_row(values, date(2021, 12, 1))
    assert reason == "" and row.cccd == "070087001234" and row.phone == "+84912345678" and row.dose_number == 2
    assert row.product == "PF" and any("future" in p or "tương lai" in p for p in row.problems)
    again, _reason = read_row(dict(values), date(2021, 12, 1))
    assert again.key == row.key and len(row.key) == 64
    nobody, reason = read_row({"_row": 5, "product": "Pfizer"}, date(2021, 12, 1))
    assert nobody is None and reason


# -- matching, table-driven ---------------------------------------------------------------------------------


CASES = [
    # (what the row says about the registered person, expected problem or "" for a dose)
    ("cccd", ""),
    ("cccd_other_name", Mismatch.IDENTITY),
    ("cccd_other_birth", Mismatch.IDENTITY),
    ("name_dob_phone", ""),
    ("name_dob_phone_two_people", Mismatch.SEVERAL),
    ("nobody", Mismatch.NO_MATCH),
    ("cccd_outside_area", Mismatch.OUT_OF_SCOPE),
    ("unknown_product", Mismatch.BAD_RECORD),
    ("future", Mismatch.BAD_RECORD),
]


@pytest.mark.parametrize("case, problem", CASES)
def test_matching(case, problem, world, personas, make_person):
    person = make_person(full_name="Trần Thị Bình", sex="F", birth_year=1980)
    row = {
        "cccd": line(person),
        "cccd_other_name": line(person, name="Lê Văn Cường"),
        "cccd_other_birth": line(person, dob="01/01/1990"),
        "name_dob_phone": line(person, cccd="-"),
        "nobody": line(cccd=valid_cccd("M", 1970), name="Không Ai Cả", dob="01/01/1970", phone="0987654321"),
        "unknown_product": line(person, product="CoronaVac"),
        "future": line(person, day="02/12/2021"),
    }.get(case)
    if case == "name_dob_phone_two_people":
        twin = make_person(full_name="Trần Thị Bình", sex="F", birth_year=1980, phone=person.phone, cccd=None)
        person.cccd = None
        person.save()
        assert twin.date_of_birth == person.date_of_birth
        row = line(person, cccd="-")
    if case == "cccd_outside_area":
        far = make_person(unit=world.far_commune, full_name="Phạm Văn Dũng")
        row = line(far, name="Tên Khác")  # another name too: said as "outside", nothing of the far person shown
    if row[0] == "-":
        row[0] = ""
    job = run(personas["commune"], world.commune, [row])
    assert job.status == ImportStatus.DONE, (job.message, job.errors)
    if problem:
        record = PlatformRecord.objects.get()
        assert record.problem == problem and not Dose.objects.exists()
        assert job.summary["reconcile"] == 1
        if problem == Mismatch.SEVERAL:
            assert record.candidates.count() == 2
        if problem == Mismatch.IDENTITY:
            assert list(record.candidates.all()) == [person] and record.unit_id == person.unit_id
        if problem == Mismatch.OUT_OF_SCOPE:
            assert "Dũng" not in record.detail and "Dung" not in record.detail
        if problem in (Mismatch.NO_MATCH, Mismatch.OUT_OF_SCOPE, Mismatch.SEVERAL, Mismatch.BAD_RECORD):
            assert record.unit_id == world.commune.pk  # the unit the file was imported for
    else:
        dose = Dose.objects.get()
        assert dose.person_id == person.pk and dose.source == DoseSource.PLATFORM
        assert (dose.product, dose.kind, dose.number, dose.completes_primary) == ("AZ", DoseKind.PRIMARY, 1, False)
        assert dose.lot_number == "NJ0342" and dose.site_name == "TYT Đức Hạnh" and dose.given_on == date(2021, 9, 5)
        assert dose.age_band == "18_49" and dose.unit_id == person.unit_id and dose.external_id
        assert not PlatformRecord.objects.exists() and job.summary["new"] == 1


def test_a_series_in_one_file_is_numbered_by_date_whatever_the_order(world, personas, make_person):
    person = make_person(birth_year=1950)
    Enrolment.objects.create(person=person, group="G07", high_risk=True, since=date(2021, 7, 8), unit=person.unit)
    rows = [
        line(person, product="Pfizer", day="01/11/2021", number=3),
        line(person, day="05/07/2021", number=1),
        line(person, day="30/08/2021", number=2),
    ]
    job = run(personas["commune"], world.commune, rows, name="nt.xlsx")
    assert job.summary["new"] == 3 and job.summary["reconcile"] == 0, job.errors
    doses = list(Dose.objects.order_by("given_on").values_list("kind", "number", "completes_primary", "product"))
    assert doses == [("primary", 1, False, "AZ"), ("primary", 2, True, "AZ"), ("booster", 1, False, "PF")]
    assert set(Dose.objects.values_list("age_band", "priority_group", "high_risk")) == {("65_plus", "G07", True)}


def test_imported_doses_keep_the_vaccination_tallies_equal_to_a_rebuild(world, personas, make_person):
    """Doses written in bulk (several alike on one day, a series, a group) add to the tallies what a rebuild
    counts; a re-import adds nothing."""
    from chongdich.tallies.engine import tracked
    from chongdich.tallies.models import VaccinationTally
    from chongdich.tallies.rebuild import differences

    old, young = make_person(birth_year=1950), make_person(birth_year=1990)
    others = [make_person(birth_year=1990) for _ in range(3)]
    with tracked() as tracker:
        tracker.add(
            Enrolment.objects.create(person=old, group="G07", high_risk=True, since=date(2021, 7, 8), unit=old.unit)
        )
    rows = [
        line(old, day="05/07/2021", number=1),
        line(old, day="30/08/2021", number=2),
        line(old, product="Pfizer", day="01/11/2021", number=3),
        line(young, product="Moderna", day="05/09/2021"),
        *(line(p, day="05/09/2021") for p in others),
    ]
    job = run(personas["commune"], world.commune, rows)
    assert job.summary["new"] == 7 and job.summary["reconcile"] == 0, job.errors
    assert differences() == {}
    doses = dict(VaccinationTally.objects.filter(product="AZ", day=date(2021, 9, 5)).values_list("number", "doses"))
    assert doses == {1: 3}
    run(personas["commune"], world.commune, rows)
    assert differences() == {}


def test_the_platforms_dose_number_is_checked_against_the_registry(world, personas, make_person):
    """The platform says dose 2 but the registry holds no dose 1: the record waits on the work list; the
    officer's attach keeps the rules' numbering."""
    person = make_person()
    job = run(personas["commune"], world.commune, [line(person, number=2)])
    record = PlatformRecord.objects.get()
    assert record.problem == Mismatch.DOSE_CONFLICT and "2" in record.detail and job.summary["reconcile"] == 1


def test_a_dose_recorded_at_the_table_is_linked_not_doubled(world, personas, make_person):
    person = make_person()
    table = Dose(person=person, product="AZ", given_on=date(2021, 9, 5), number=1, kind="primary")
    table.place_in(person.unit)
    table.save()
    run(personas["commune"], world.commune, [line(person)])
    table.refresh_from_db()
    assert Dose.objects.count() == 1 and table.external_id and table.lot_number == "NJ0342"
    assert not PlatformRecord.objects.exists()


def test_another_product_on_a_recorded_day_contradicts_the_dose(world, personas, make_person):
    person = make_person()
    table = Dose(person=person, product="VC", given_on=date(2021, 9, 5), number=1, kind="primary")
    table.place_in(person.unit)
    table.save()
    run(personas["commune"], world.commune, [line(person)])
    assert PlatformRecord.objects.get().problem == Mismatch.DOSE_CONFLICT and Dose.objects.count() == 1


# -- idempotence --------------------------------------------------------------------------------------------


def test_the_same_file_twice_changes_nothing_and_a_new_lot_updates(world, personas, make_person):
    a, b = make_person(full_name="Nguyễn Văn A"), make_person(full_name="Nguyễn Văn B")
    rows = [line(a), line(b, number=2), line(cccd="", name="Không Ai", dob="01/01/1970", phone="0987654321")]
    first = run(personas["commune"], world.commune, rows)
    assert first.summary == {"new": 3, "update": 0, "skip": 0, "invalid": 0, "error": 0, "reconcile": 2}
    state = (list(Dose.objects.values()), list(PlatformRecord.objects.values()), Dose.history.count())
    again = run(personas["commune"], world.commune, rows)
    assert again.status == ImportStatus.DONE and again.summary["skip"] == 3 and again.importable == 0
    assert (list(Dose.objects.values()), list(PlatformRecord.objects.values()), Dose.history.count()) == state
    rows[0][5] = "NJ9999"
    changed = run(personas["commune"], world.commune, rows)
    assert changed.summary["update"] == 1 and Dose.objects.get(person=a).lot_number == "NJ9999"
    assert Dose.objects.count() == 1


def test_a_repeated_row_is_rejected_with_the_first_row(world, personas, make_person):
    person = make_person()
    job = run(personas["commune"], world.commune, [line(person), line(person)])
    assert job.summary["new"] == 1 and job.summary["invalid"] == 1 and Dose.objects.count() == 1
    assert job.rejected_file


def test_an_open_record_is_resolved_by_a_later_import_once_the_person_is_registered(world, personas, make_person):
    row = line(cccd=valid_cccd("M", 1970), name="Lê Văn Mới", dob="01/01/1970", phone="0987654321")
    run(personas["commune"], world.commune, [row])
    assert PlatformRecord.objects.get().problem == Mismatch.NO_MATCH
    make_person(full_name="Lê Văn Mới", birth_year=1970, date_of_birth=date(1970, 1, 1), cccd=row[0])
    job = run(personas["commune"], world.commune, [row])
    record = PlatformRecord.objects.get()
    assert job.summary["new"] == 1 and record.status == "resolved" and record.dose == Dose.objects.get()


def test_a_check_saves_nothing(world, personas, make_person):
    person = make_person()
    job = run(
        personas["commune"], world.commune, [line(person), line(cccd="", name="X Y", dob="", phone="")], confirm=False
    )
    assert job.status == ImportStatus.CHECKED and job.summary["new"] == 2
    assert not Dose.objects.exists() and not PlatformRecord.objects.exists()


def test_the_job_page_links_to_the_work_list(world, personas, client_of):
    job = run(personas["commune"], world.commune, [line(cccd="", name="Không Ai", dob="01/01/1970", phone="")])
    page = client_of("commune").get(job.get_absolute_url())
    assert page.status_code == 200 and f"?job={job.pk}".encode() in page.content


def test_a_bad_file_never_gives_a_server_error(world, personas, client_of):
    for content in (b"\x00\x01garbage", b"", "Họ tên;Vắc xin\nA;B\n".encode("utf-16")):
        job = run_job(personas["commune"], KIND, world.commune, "x.csv", content)
        assert job.status == ImportStatus.FAILED and job.message
        assert client_of("commune").get(job.get_absolute_url()).status_code == 200
    assert client_of("commune").get(reverse("desk:import_template", args=[KIND])).status_code == 200


# -- a worker that dies -------------------------------------------------------------------------------------


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs."""


def test_an_import_killed_mid_way_resumes_after_its_last_chunk(world, personas, make_person, monkeypatch):
    people = [make_person(full_name=f"Người Số {n}", cccd=valid_cccd("M", 1985)) for n in range(12)]
    rows = [line(p) for p in people]
    monkeypatch.setattr(imports.importer_for(KIND), "chunk_rows", 5)
    job = run(personas["commune"], world.commune, rows, confirm=False)
    update = QuerySet.update

    def dying(self, **kwargs):
        if self.model is ImportJob and kwargs.get("processed_rows") == 10:
            raise Killed
        return update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", dying)
    with pytest.raises(Killed):
        imports.execute(job.pk, dry_run=False)
    assert Dose.objects.count() == 5  # the second chunk died with its counter
    monkeypatch.setattr(QuerySet, "update", update)
    imports.execute(job.pk, dry_run=False)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.summary["new"] == 12 and Dose.objects.count() == 12
    assert Person.objects.count() == 12


# -- limits ----------------------------------------------------------------------------------------------------


def test_the_platform_takes_a_million_rows_and_other_imports_keep_theirs(settings):
    settings.CHONGDICH_IMPORT_MAX_ROWS = 200_000
    platform = imports.importer_for(KIND)
    assert platform.limits().max_rows == settings.CHONGDICH_PLATFORM_IMPORT_MAX_ROWS >= 1_000_000
    assert platform.max_upload_mb == settings.CHONGDICH_PLATFORM_IMPORT_MAX_MB > 40
    others = [importer for kind, importer in imports.REGISTRY.items() if kind != KIND]
    assert others and all(i.limits() == imports.read_limits() and i.max_upload_mb is None for i in others)


def test_the_upload_form_takes_the_platforms_larger_file(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chongdich.desk.forms import ImportUploadForm

    def form(max_mb):
        upload = SimpleUploadedFile("nen-tang.csv", b"STT\n")
        upload.size = 120 * 1024 * 1024
        return ImportUploadForm({"unit": world.commune.code}, {"file": upload}, units=[world.commune], max_mb=max_mb)

    assert form(imports.importer_for(KIND).max_upload_mb).is_valid()
    assert "file" in form(None).errors  # the desk's 40 MB for every other import
