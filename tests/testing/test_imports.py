"""Lab result import: the columns labs write, good rows, bad rows with reasons, idempotent re-import."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from chongdich.accounts.models import Grant, User
from chongdich.core.imports import importer_for
from chongdich.core.models import AuditEvent
from chongdich.core.spreadsheets import read_table
from chongdich.testing.actions import do_register_pool
from chongdich.testing.models import LabResult, Sample
from tests.helpers import read_xlsx, run_job, xlsx_bytes

KIND = "testing.lab_results"
HEADER = ["STT", "Mã mẫu", "Mã kết quả", "Kết quả", "Ct", "Ngày trả kết quả", "Mã PXN"]


@pytest.fixture
def lab_user(world):
    """A lab technician of the district: tests.edit on Bù Gia Mập only."""
    user = User.objects.create_user(username="lab", password="x-password-123")
    Grant.objects.create(user=user, role="lab_staff", unit=world.district)
    return user


@pytest.fixture
def samples(make_sample):
    return [make_sample(days_ago=2) for _ in range(3)]


def day(value) -> str:
    return value.strftime("%d/%m/%Y")


def rows_for(samples, today):
    return [
        [1, samples[0].code, "KQ-1", "Âm tính", "", day(today), "CDC-BP"],
        [2, samples[1].code, "KQ-2", "Dương tính", 23.4, day(today), "CDC-BP"],
        [3, samples[2].code.lower(), "KQ-3", "Không xác định", "", today, "CDC-BP"],
    ]


def test_good_rows_update_samples(world, lab_user, samples, today, no_drift):
    job = run_job(
        lab_user,
        KIND,
        world.district,
        "ket-qua.xlsx",
        xlsx_bytes([HEADER, *rows_for(samples, today)], title="KẾT QUẢ XÉT NGHIỆM NGÀY"),
    )
    assert job.status == "done", (job.message, job.errors)
    assert job.summary == {"new": 3, "update": 0, "skip": 0, "invalid": 0, "error": 0}, job.errors
    by_code = {s.code: s for s in Sample.objects.all()}
    assert by_code[samples[0].code].status == "negative"
    assert (by_code[samples[1].code].status, by_code[samples[1].code].ct_value) == ("positive", Decimal("23.4"))
    assert by_code[samples[2].code].status == "invalid" and by_code[samples[2].code].result_on == today
    assert LabResult.objects.filter(lab_code="CDC-BP", import_job_id=job.pk).count() == 3
    assert by_code[samples[1].code].history.first().history_user == lab_user
    assert AuditEvent.objects.filter(action="import", object_type="core.importjob", actor=lab_user).exists()
    no_drift()


def test_reimport_adds_nothing_and_changes_nothing(world, lab_user, samples, today, no_drift):
    content = xlsx_bytes([HEADER, *rows_for(samples, today)])
    run_job(lab_user, KIND, world.district, "kq.xlsx", content)
    history = sum(s.history.count() for s in Sample.objects.all())
    again = run_job(lab_user, KIND, world.district, "kq.xlsx", content)
    assert again.status == "done"
    assert again.summary == {"new": 0, "update": 0, "skip": 3, "invalid": 0, "error": 0}
    assert LabResult.objects.count() == 3
    assert sum(s.history.count() for s in Sample.objects.all()) == history
    no_drift()


def test_bad_rows_come_back_with_reasons_and_good_rows_are_kept(world, lab_user, samples, make_sample, today, no_drift):
    rapid = make_sample(kind="rapid_antigen", lab=None)
    rows = [
        [1, samples[0].code, "KQ-1", "Âm tính", "", day(today), "CDC-BP"],
        [2, "KHONG-CO-MA", "KQ-2", "Âm tính", "", day(today), "CDC-BP"],  # unknown sample
        [3, samples[1].code, "KQ-3", "Dương tính", 52, day(today), "CDC-BP"],  # Ct above 45
        [4, samples[2].code, "KQ-4", "Dương tính", 20, day(today - timedelta(days=5)), "CDC-BP"],  # before sampling
        [5, samples[2].code, "KQ-5", "Lạ", "", day(today), "CDC-BP"],  # not a result
        [6, samples[2].code, "KQ-6", "Âm tính", "", day(today + timedelta(days=1)), "CDC-BP"],  # future
        [7, samples[2].code, "KQ-7", "Âm tính", "", day(today), "XYZ"],  # unknown lab
        [8, rapid.code, "KQ-8", "Âm tính", "", day(today), ""],  # no lab anywhere
        [9, samples[0].code, "KQ-1", "Âm tính", "", day(today), "CDC-BP"],  # same line twice
    ]
    job = run_job(lab_user, KIND, world.district, "kq.xlsx", xlsx_bytes([HEADER, *rows]))
    assert job.status == "done", job.message
    assert job.summary["new"] == 1 and job.summary["invalid"] == 8
    reasons = {e["row"]: e["message"] for e in job.errors}
    assert "KHONG-CO-MA" in reasons[3]
    assert "45" in reasons[4] and "Ct" in reasons[4]
    assert "before" in reasons[5]
    assert "Lạ" in reasons[6]
    assert "future" in reasons[7]
    assert "XYZ" in reasons[8]
    assert rapid.code in reasons[9]
    assert "row 2" in reasons[10]
    assert LabResult.objects.count() == 1
    assert Sample.objects.filter(status="pending").count() == 3  # samples 1, 2 and the rapid test
    rejected = read_xlsx(job.rejected_file.read())
    assert len(rejected) == 3 + 8 and all(row[-1] for row in rejected[3:])  # title, blank line, header, 8 rows
    no_drift()


def test_unknown_sample_only_saves_nothing(world, lab_user, today):
    job = run_job(
        lab_user,
        KIND,
        world.district,
        "kq.csv",
        "Mã mẫu,Kết quả,Ngày trả kết quả,Mã PXN\nABC-404,Dương tính,01/01/2021,CDC-BP\n".encode(),
    )
    assert job.summary["new"] == 0 and job.summary["invalid"] == 1
    assert "ABC-404" in job.errors[0]["message"]
    assert LabResult.objects.count() == 0


def test_samples_outside_the_users_area_are_unknown_to_them(world, personas, make_sample, make_person, today):
    inside = make_sample()
    outside = make_sample(person=make_person(unit=world.other_village, cccd=None))
    rows = [
        [1, inside.code, "KQ-1", "Âm tính", "", day(today), "CDC-BP"],
        [2, outside.code, "KQ-2", "Âm tính", "", day(today), "CDC-BP"],
    ]
    job = run_job(personas["commune"], KIND, world.commune, "kq.xlsx", xlsx_bytes([HEADER, *rows]))
    assert job.summary["new"] == 1 and job.summary["invalid"] == 1
    assert outside.code in job.errors[0]["message"] and "No sample" in job.errors[0]["message"]  # same words as unknown
    outside.refresh_from_db()
    assert outside.status == "pending"


def test_a_different_result_for_a_finished_sample_is_refused(world, lab_user, samples, today):
    run_job(lab_user, KIND, world.district, "kq.xlsx", xlsx_bytes([HEADER, *rows_for(samples, today)]))
    rows = [
        [1, samples[0].code, "KQ-9", "Dương tính", 25, day(today), "CDC-BP"],  # was negative
        [2, samples[1].code, "KQ-2", "Âm tính", "", day(today), "CDC-BP"],  # same id, other content
        [3, samples[2].code, "KQ-10", "Âm tính", "", day(today), "CDC-BP"],
    ]  # invalid → re-run: accepted
    job = run_job(lab_user, KIND, world.district, "kq2.xlsx", xlsx_bytes([HEADER, *rows]))
    assert job.summary["new"] == 1 and job.summary["invalid"] == 2
    assert Sample.objects.get(code=samples[0].code).status == "negative"
    assert Sample.objects.get(code=samples[2].code).status == "negative"


def test_file_without_result_ids_uses_the_sample_code(world, lab_user, samples, today):
    header = ["Mã mẫu", "Kết quả", "Ngày trả kết quả"]
    rows = [[s.code, "Âm tính", day(today)] for s in samples]
    first = run_job(lab_user, KIND, world.district, "kq.xlsx", xlsx_bytes([header, *rows]))
    again = run_job(lab_user, KIND, world.district, "kq.xlsx", xlsx_bytes([header, *rows]))
    assert first.summary["new"] == 3 and again.summary["new"] == 0 and again.summary["skip"] == 3
    assert set(LabResult.objects.values_list("lab_result_id", flat=True)) == {s.code for s in samples}


def test_positive_pool_in_the_file_opens_retests(world, lab_user, personas, make_person, lab, today, no_drift):
    members = [make_person(full_name=f"Người {i}", cccd=None) for i in range(3)]
    pool, _ = do_register_pool(
        personas["health"], members=members, reason="screening", taken_on=today, lab=lab, code="P-7"
    )
    job = run_job(
        lab_user,
        KIND,
        world.district,
        "kq.xlsx",
        xlsx_bytes([HEADER, [1, "P-7", "KQ-1", "Dương tính", 31, day(today), "CDC-BP"]]),
    )
    assert job.summary["new"] == 1
    assert sorted(Sample.objects.filter(pool=pool).values_list("code", flat=True)) == ["P-7-1", "P-7-2", "P-7-3"]
    no_drift()


def test_dry_run_writes_nothing(world, lab_user, samples, today):
    job = run_job(
        lab_user, KIND, world.district, "kq.xlsx", xlsx_bytes([HEADER, *rows_for(samples, today)]), confirm=False
    )
    assert job.status == "checked" and job.summary["new"] == 3
    assert LabResult.objects.count() == 0 and not Sample.objects.exclude(status="pending").exists()


def test_template_reads_back_with_every_column():

    importer = importer_for(KIND)
    dataset = read_table(importer.template(), "mau.xlsx", importer.aliases(), importer.required())
    assert dataset.headers == ["_row", *[c.key for c in importer.columns]]


def test_rows_for_the_same_sample_in_one_file(world, lab_user, samples, today, no_drift):
    code = samples[0].code
    rows = [
        [1, code, "KQ-1", "Không xác định", "", day(today), "CDC-BP"],  # re-run after an invalid result
        [2, code, "KQ-2", "Âm tính", "", day(today), "CDC-BP"],
        [3, code, "KQ-3", "Dương tính", 30, day(today), "CDC-BP"],
    ]  # contradicts row 2
    checked = run_job(lab_user, KIND, world.district, "kq.xlsx", xlsx_bytes([HEADER, *rows]), confirm=False)
    assert checked.summary["new"] == 2 and checked.summary["invalid"] == 1  # the dry run says what the import does
    job = run_job(lab_user, KIND, world.district, "kq.xlsx", xlsx_bytes([HEADER, *rows]))
    assert job.summary["new"] == 2 and job.summary["invalid"] == 1
    assert [e["row"] for e in job.errors] == [4]
    assert Sample.objects.get(code=code).status == "negative"
    no_drift()
