"""Person list import: officers' column names, good rows, rejected rows with reasons, re-import."""

from chongdich.core.models import AuditEvent
from chongdich.people.models import Household, Person
from tests.conftest import valid_cccd
from tests.helpers import read_xlsx, run_job, xlsx_bytes

HEADER = [
    "STT",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Số CCCD",
    "SĐT",
    "Thôn",
    "Mã hộ",
    "Quan hệ với chủ hộ",
    "Nghề nghiệp",
]


def good_rows():
    return [
        [
            1,
            "Nguyễn Văn Bình",
            "Nam",
            "12/05/1980",
            valid_cccd("M", 1980),
            "0912 111 222",
            "Thôn 1",
            "H01",
            "Chủ hộ",
            "Làm rẫy",
        ],
        [
            2,
            "Trần Thị Lan",
            "Nữ",
            "03/09/1983",
            valid_cccd("F", 1983),
            "0913111222",
            "Thôn 1",
            "H01",
            "Vợ",
            "Công nhân",
        ],
        [3, "Nguyễn Minh Khang", "Nam", 2015, "", "", "thon 1", "H01", "Con", "Học sinh"],
        [4, "Điểu Kré", "nam", "1975", valid_cccd("M", 1975), "", "Bù Dinh", "", "", "Nông dân"],
    ]


def test_good_rows_are_imported_with_households(world, personas):
    job = run_job(
        personas["commune"],
        "people.persons",
        world.commune,
        "ds.xlsx",
        xlsx_bytes([HEADER, *good_rows()], title="DANH SÁCH NHÂN KHẨU THÔN 1"),
    )
    assert job.status == "done", job.message or job.errors
    assert job.summary == {"new": 4, "update": 0, "skip": 0, "invalid": 0, "error": 0}
    binh = Person.objects.get(full_name="Nguyễn Văn Bình")
    assert binh.phone == "+84912111222" and binh.occupation_group == "farmer" and binh.unit == world.village
    household = Household.objects.get(code="25228-H01")
    assert household.head_id == binh.pk and household.members.count() == 3
    assert Person.objects.get(full_name="Nguyễn Minh Khang").birth_year == 2015
    assert Person.objects.get(full_name="Điểu Kré").unit == world.village2
    assert binh.history.first().history_user == personas["commune"]
    assert AuditEvent.objects.filter(action="import", object_type="core.importjob").exists()


def test_reimport_adds_nothing_and_updates_changes(world, personas):
    rows = good_rows()
    run_job(personas["commune"], "people.persons", world.commune, "ds.xlsx", xlsx_bytes([HEADER, *rows]))
    again = run_job(personas["commune"], "people.persons", world.commune, "ds.xlsx", xlsx_bytes([HEADER, *rows]))
    assert again.summary["new"] == 0 and again.summary["skip"] == 4, again.summary
    assert Person.objects.count() == 4
    rows[1][5] = "0988 777 666"  # Lan changed her phone
    third = run_job(personas["commune"], "people.persons", world.commune, "ds.xlsx", xlsx_bytes([HEADER, *rows]))
    assert third.summary["update"] == 1 and third.summary["skip"] == 3
    assert Person.objects.get(full_name="Trần Thị Lan").phone == "+84988777666"
    assert Person.objects.count() == 4


def test_bad_rows_come_back_with_reasons_and_good_rows_are_kept(world, personas):
    rows = good_rows() + [
        [5, "Lê Văn Sai", "Nam", "01/01/1990", valid_cccd("F", 1990), "", "Thôn 1", "", "", ""],  # woman's digit
        [6, "", "Nữ", "01/01/1990", "", "", "Thôn 1", "", "", ""],  # no name
        [7, "Phạm Thị Xa", "Nữ", "31/02/1990", "", "", "Thôn 1", "", "", ""],  # no such date
        [8, "Hồ Văn Lạ", "Nam", "1991", "", "12345", "Thôn 9", "", "", ""],  # bad phone, unknown village
    ]
    job = run_job(personas["commune"], "people.persons", world.commune, "ds.xlsx", xlsx_bytes([HEADER, *rows]))
    assert job.status == "done"
    assert job.summary["new"] == 4 and job.summary["invalid"] == 4
    assert Person.objects.count() == 4
    by_row = {e["row"]: e["message"] for e in job.errors}
    assert set(by_row) == {6, 7, 8, 9}  # spreadsheet rows (header is row 1)
    rejected = read_xlsx(job.rejected_file.read())
    assert len(rejected) == 3 + 4  # title, blank, header, 4 rows
    assert all(row[-1] for row in rejected[3:])  # every rejected row carries its reason


def test_dry_run_saves_nothing(world, personas):
    job = run_job(
        personas["commune"],
        "people.persons",
        world.commune,
        "ds.xlsx",
        xlsx_bytes([HEADER, *good_rows()]),
        confirm=False,
    )
    assert job.status == "checked" and job.summary["new"] == 4
    assert Person.objects.count() == 0 and Household.objects.count() == 0


def test_same_person_twice_in_a_file(world, personas):
    rows = good_rows()
    rows.append(list(rows[0]))
    job = run_job(personas["commune"], "people.persons", world.commune, "ds.xlsx", xlsx_bytes([HEADER, *rows]))
    assert job.summary["new"] == 4 and job.summary["invalid"] == 1
    assert "2" in job.errors[0]["message"]  # points at the first occurrence (row 2)


def test_person_registered_elsewhere_is_not_taken_over(world, personas, make_person):
    stranger = make_person(unit=world.other_village)
    rows = [[1, stranger.full_name, "Nam", "01/03/1985", stranger.cccd, "", "Thôn 1", "", "", ""]]
    job = run_job(personas["commune"], "people.persons", world.commune, "ds.xlsx", xlsx_bytes([HEADER, *rows]))
    assert job.summary["invalid"] == 1
    message = job.errors[0]["message"]
    # Neutral: nothing of the other area (issue 8 §1); a reference to ask the district for a transfer instead.
    assert "Phú Văn" not in message and "Đắk Son" not in message and stranger.full_name not in message
    warning = AuditEvent.objects.get(action="duplicate", object_id=str(stranger.pk))  # once for dry run and import
    assert warning.detail["reference"] in message and warning.unit_path == stranger.unit_path
    stranger.refresh_from_db()
    assert stranger.unit == world.other_village


def test_district_import_needs_the_commune_column(world, personas):
    rows = [[1, "Ngô Văn Tư", "Nam", "1970", "", "", "Thôn 1", "", "", ""]]
    job = run_job(personas["district"], "people.persons", world.district, "ds.xlsx", xlsx_bytes([HEADER, *rows]))
    assert job.summary["invalid"] == 1
    header = HEADER + ["Xã"]
    rows = [[1, "Ngô Văn Tư", "Nam", "1970", "", "", "Thôn Đắk Son", "", "", "", "Phú Văn"]]
    job = run_job(personas["district"], "people.persons", world.district, "ds.xlsx", xlsx_bytes([header, *rows]))
    assert job.summary["new"] == 1
    assert Person.objects.get(full_name="Ngô Văn Tư").unit == world.other_village


def test_csv_with_semicolons(world, personas):
    content = "Họ tên;Giới tính;Năm sinh;Số điện thoại\nLê Thị Mai;Nữ;1992;0909123456\n".encode()
    job = run_job(personas["commune"], "people.persons", world.commune, "ds.csv", content)
    assert job.summary["new"] == 1
    assert Person.objects.get().unit == world.commune


def test_wrong_columns(world, personas):
    job = run_job(personas["commune"], "people.persons", world.commune, "ds.xlsx", xlsx_bytes([["A", "B"], [1, 2]]))
    assert job.status == "failed" and job.message
    assert Person.objects.count() == 0


def test_template_reimports_cleanly(world, personas):
    from chongdich.core.imports import importer_for

    template = importer_for("people.persons").template()
    rows = read_xlsx(template)
    rows[1][rows[0].index(next(h for h in rows[0] if "CCCD" in h))] = valid_cccd("M", 1987)
    rows[1][rows[0].index(next(h for h in rows[0] if "Village" in h or "Thôn" in h))] = "Thôn 1"
    job = run_job(personas["commune"], "people.persons", world.commune, "mau.xlsx", xlsx_bytes(rows))
    assert job.summary["new"] == 1, job.errors
