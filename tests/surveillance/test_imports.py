"""Case lists and F1 lists from officers' spreadsheets: good rows through the services, bad rows back
with a reason each, nothing written by the dry run, nothing added by a second import, and exports
that import back unchanged."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

import chongdich.surveillance.imports  # noqa: F401 - registers the importers
from chongdich.core.models import AuditEvent
from chongdich.people.models import Person
from chongdich.surveillance.models import Case, Cluster, Contact, Exposure, TreatmentPlace
from tests.conftest import valid_cccd
from tests.helpers import read_xlsx, run_job, xlsx_bytes
from tests.surveillance.pages import D

CASE_HEADER = [
    "STT",
    "Họ và tên",
    "Năm sinh",
    "Giới tính",
    "CCCD",
    "SĐT",
    "Thôn",
    "Ngày xác định",
    "Loại xét nghiệm",
    "Phát hiện tại",
    "Nguồn lây",
    "Ổ dịch",
    "Nơi điều trị",
    "Mức độ",
]
F1_HEADER = [
    "STT",
    "Mã ca F0",
    "Họ tên",
    "Năm sinh",
    "Giới tính",
    "SĐT",
    "Địa chỉ",
    "Thôn",
    "Hình thức tiếp xúc",
    "Ngày tiếp xúc cuối",
    "Khoảng cách",
    "Đeo khẩu trang",
]


@pytest.fixture
def market(world):
    cluster = Cluster(name="Chợ Đức Hạnh", setting="market")
    cluster.place_in(world.commune)
    cluster.save()
    return cluster


@pytest.fixture
def field_hospital(world):
    from chongdich.care.models import Facility

    facility = Facility(name="BV dã chiến số 3", kind="field_hospital")
    facility.place_in(world.district)
    facility.save()
    return facility


def case_rows(world, existing_cccd: str):
    future = (date.today() + timedelta(days=3)).strftime("%d/%m/%Y")
    return [
        CASE_HEADER,
        [
            1,
            "Nguyễn Thị Lan",
            1990,
            "Nữ",
            "",
            "0912 000 111",
            "Thôn 1",
            "12/07/2021",
            "Test nhanh",
            "Cộng đồng",
            "Chưa rõ",
            "Chợ Đức Hạnh",
            "Tại nhà",
            "Nhẹ",
        ],
        [
            2,
            "Hoàng Văn Có",
            1985,
            "Nam",
            existing_cccd,
            "",
            "Thôn 1",
            date(2021, 7, 13),
            "RT-PCR",
            "Khu cách ly",
            "F1 của BN 70-00001",
            "",
            "BV dã chiến số 3",
            "Trung bình",
        ],
        [3, "Sai Ngày", 1970, "Nam", "", "", "Thôn 1", "31/02/2021", "PCR", "", "", "", "", ""],
        [4, "Tương Lai", 1970, "Nam", "", "", "Thôn 1", future, "PCR", "", "", "", "", ""],
        [5, "Ổ Lạ", 1970, "Nam", "", "", "Thôn 1", "12/07/2021", "PCR", "", "", "Chợ Không Có", "", ""],
        [6, "Xét Lạ", 1970, "Nam", "", "", "Thôn 1", "12/07/2021", "Soi da", "", "", "", "", ""],
        [7, "Nguyễn Thị Lan", 1990, "Nữ", "", "0912000111", "Thôn 1", "12/07/2021", "", "", "", "", "", ""],
        [8, "Khu Thiếu Tên", 1970, "Nam", "", "", "Thôn Bù Dinh", "12/07/2021", "", "", "", "", "Khu điều trị", ""],
    ]


def test_case_list_import(world, personas, make_person, market, field_hospital):
    existing = make_person(full_name="Hoàng Văn Có", cccd=valid_cccd("M", 1985))
    people_before = Person.objects.count()
    content = xlsx_bytes(case_rows(world, existing.cccd), title="DANH SÁCH CA BỆNH COVID-19 XÃ ĐỨC HẠNH")
    dry = run_job(personas["health"], "surveillance.cases", world.commune, "ca-benh.xlsx", content, confirm=False)
    assert dry.status == "checked" and dry.summary["new"] == 2 and dry.summary["invalid"] == 6
    assert Case.objects.count() == 0 and Person.objects.count() == people_before  # the dry run wrote nothing
    job = run_job(personas["health"], "surveillance.cases", world.commune, "ca-benh.xlsx", content)
    assert job.status == "done" and job.summary["new"] == 2 and job.summary["invalid"] == 6
    reasons = {error["row"]: error["message"] for error in job.errors}
    assert set(reasons) == {6, 7, 8, 9, 10, 11}  # spreadsheet rows (title, blank line, header first)
    assert "31/02/2021" in reasons[6] and "dd/mm/yyyy" in reasons[6]
    assert "Chợ Không Có" in reasons[8] and "Soi da" in reasons[9] and "Khu điều trị" in reasons[11]
    lan = Case.objects.get(person__full_name="Nguyễn Thị Lan")
    assert (lan.test_type, lan.detected_in, lan.source_known, lan.cluster, lan.severity) == (
        "rapid_antigen",
        "community",
        False,
        market,
        "mild",
    )
    assert lan.person.unit == world.village and lan.person.phone == "+84912000111"
    co = Case.objects.get(person=existing)  # matched on the CCCD: no second person
    assert (co.treatment_place, co.care_facility.facility, co.source_known, co.detected_in) == (
        TreatmentPlace.FIELD_HOSPITAL,
        field_hospital,
        True,
        "quarantine",
    )
    assert "F1 của BN 70-00001" in co.notes
    assert Person.objects.count() == people_before + 1
    assert AuditEvent.objects.filter(action="create", object_type="surveillance.case").count() == 2
    again = run_job(personas["health"], "surveillance.cases", world.commune, "ca-benh.xlsx", content)
    assert again.status == "done" and again.summary["new"] == 0 and again.summary["skip"] == 2
    assert Case.objects.count() == 2 and Person.objects.count() == people_before + 1


def test_case_import_keeps_to_the_area(world, personas, make_person):
    stranger = make_person(full_name="Hoàng Văn Có", cccd=valid_cccd("M", 1985))  # lives in Đức Hạnh
    content = xlsx_bytes([CASE_HEADER, [1, "Hoàng Văn Có", 1985, "Nam", stranger.cccd, "", "", "12/07/2021"]])
    job = run_job(personas["other_commune"], "surveillance.cases", world.other_commune, "ds.xlsx", content)
    message = job.errors[0]["message"]
    assert job.summary["invalid"] == 1 and "địa bàn khác" in message  # neutral: nothing of Đức Hạnh (issue 8 §1)
    assert "Thôn 1" not in message and "Đức Hạnh" not in message
    assert Case.objects.count() == 0


def test_import_pages_offer_the_case_lists(client_of, world):
    page = client_of("health").get(reverse("desk:imports")).content.decode()
    assert "surveillance.cases" in page and "surveillance.contacts" in page
    template = read_xlsx(
        client_of("health").get(reverse("desk:import_template", args=["surveillance.contacts"])).content
    )
    assert template[1][0] == "70-00012"
    assert client_of("community").get(reverse("desk:import_new", args=["surveillance.cases"])).status_code == 403


def f1_rows(case, existing):
    future = (date.today() + timedelta(days=2)).strftime("%d/%m/%Y")
    return [
        F1_HEADER,
        [1, case.case_number, "Đinh Thị Nhà", 1992, "Nữ", "", "", "Thôn 1", "Sống cùng nhà", "09/07/2021", "", ""],
        [
            2,
            case.case_number.split("-")[1],
            existing.full_name,
            existing.birth_year,
            "Nam",
            "",
            "",
            "Thôn 1",
            "Tiếp xúc gần",
            "08/07/2021",
            "1,5m",
            "Không",
        ],
        [3, "70-99999", "Không Có Ca", 1990, "Nam", "", "", "Thôn 1", "Sống cùng nhà", "09/07/2021", "", ""],
        [
            4,
            case.case_number,
            "Mâu Thuẫn",
            1990,
            "Nam",
            "",
            "",
            "Thôn 1",
            "Tiếp xúc gần có đeo khẩu trang",
            "09/07/2021",
            "1",
            "Không",
        ],
        [5, case.case_number, "Ngày Tới", 1990, "Nam", "", "", "Thôn 1", "Sống cùng nhà", future, "", ""],
        [6, case.case_number, "Không Rõ Kiểu", 1990, "Nam", "", "", "Thôn 1", "Đi ngang qua", "09/07/2021", "", ""],
    ]


def test_f1_list_import(world, personas, make_person, confirm):
    case = confirm(
        make_person(full_name="Chu Văn Nguồn", cccd=None), day=date(2021, 7, 10), onset_date=date(2021, 7, 9)
    )
    existing = make_person(full_name="Lương Văn Gần", cccd=None, birth_year=1980)
    content = xlsx_bytes(f1_rows(case, existing), title=f"DANH SÁCH F1 CỦA CA BỆNH {case.case_number}")
    job = run_job(personas["health"], "surveillance.contacts", world.commune, "f1.xlsx", content)
    assert job.status == "done" and job.summary["new"] == 2 and job.summary["invalid"] == 4, job.errors
    reasons = {error["row"]: error["message"] for error in job.errors}
    assert "70-99999" in reasons[6] and "Tiếp xúc gần có đeo khẩu trang" in reasons[7] and "Đi ngang qua" in reasons[9]
    ranks = dict(Contact.objects.filter(index_case=case).values_list("person__full_name", "rank"))
    assert ranks == {"Đinh Thị Nhà": 1, "Lương Văn Gần": 1}
    close = Exposure.objects.get(contact=existing)
    assert (close.kind, close.masked, float(close.distance_m)) == ("close_unmasked", False, 1.5)
    people = Person.objects.count()
    again = run_job(personas["health"], "surveillance.contacts", world.commune, "f1.xlsx", content)
    assert again.summary["new"] == 0 and again.summary["skip"] == 2
    assert Exposure.objects.count() == 2 and Person.objects.count() == people


def test_f1_import_does_not_reveal_cases_elsewhere(world, personas, make_person, confirm):
    case = confirm(make_person(full_name="Chu Văn Nguồn", cccd=None))
    rows = [
        F1_HEADER,
        [
            1,
            case.case_number,
            "Người Phú Văn",
            1990,
            "Nam",
            "",
            "",
            "Thôn Đắk Son",
            "Sống cùng nhà",
            "09/07/2021",
            "",
            "",
        ],
    ]
    job = run_job(personas["other_commune"], "surveillance.contacts", world.other_commune, "f1.xlsx", xlsx_bytes(rows))
    assert job.summary["invalid"] == 1 and Exposure.objects.count() == 0


def test_exports_import_back_unchanged(client_of, world, personas, make_person, confirm, expose):
    case = confirm(make_person(full_name="Chu Văn Nguồn", cccd=None), onset_date=D - timedelta(days=1))
    f1 = make_person(full_name="Đinh Thị Nhà", sex="F", cccd=None, birth_year=1992)
    expose(case.person, f1)
    expose(
        f1,
        make_person(full_name="Phí Văn Hai", cccd=None, birth_year=1970),
        day=D + timedelta(days=1),
        kind="close_unmasked",
        distance_m=1,
    )  # an F2
    client = client_of("commune")
    cases = client.get(reverse("surveillance:export")).content
    job = run_job(personas["commune"], "surveillance.cases", world.commune, "cases.xlsx", cases)
    assert job.status == "done" and job.summary["new"] == 0 and job.summary["skip"] == 1, job.errors
    contacts = client.get(reverse("surveillance:contacts_export", args=[case.pk])).content
    assert [row[2] for row in read_xlsx(contacts)[1:]] == ["F1", "F2"]
    job = run_job(personas["commune"], "surveillance.contacts", world.commune, "f1.xlsx", contacts)
    assert job.summary["new"] == 0 and job.summary["skip"] == 1 and job.summary["invalid"] == 1, job.errors
    assert "F2" in job.errors[0]["message"] and Exposure.objects.count() == 2


def test_f1_template_of_a_case(client_of, world, make_person, confirm):
    case = confirm(make_person(cccd=None))
    rows = read_xlsx(client_of("health").get(reverse("surveillance:contacts_template", args=[case.pk])).content)
    assert rows[1][0] == case.case_number and "F0" in rows[0][0]
    assert client_of("other_commune").get(reverse("surveillance:contacts_template", args=[case.pk])).status_code == 404
