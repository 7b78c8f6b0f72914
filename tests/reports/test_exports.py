"""Excel and PDF of the daily report: the stored figures of a sent report, Vietnamese administrative
layout; the PDF's first page is rendered to PNG (var/test-artifacts/) and checked for size and ink."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation
from django.utils.translation import gettext

from chongdich.reports.actions import do_send_report
from chongdich.reports.exports import document, place_name, xlsx_bytes
from chongdich.reports.indicators import figures
from tests.reports.conftest import DAY

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"


def vi(msgid: str) -> str:
    with translation.override("vi"):
        return gettext(msgid)


def cells(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def row_of(rows: list[list], label: str) -> list:
    return next(row for row in rows if row and isinstance(row[0], str) and row[0].strip() == label)


def test_place_names():
    from chongdich.territory.models import AdminUnit

    assert place_name(AdminUnit(name="Huyện Bù Gia Mập")) == "Bù Gia Mập"
    assert place_name(AdminUnit(name="Quận 1")) == "Quận 1"
    assert place_name(AdminUnit(name="Thành phố Hồ Chí Minh")) == "Hồ Chí Minh"
    assert place_name(AdminUnit(name="Xã Đức Hạnh", short_name="Đức Hạnh")) == "Đức Hạnh"


def test_excel_of_a_sent_report_keeps_its_figures(assessed, personas, client_of, tally):
    report = do_send_report(
        personas["district"],
        assessed.district,
        DAY,
        comments="Kiểm soát tốt ổ dịch.",
        number="45/BC-BCĐ",
        signer="Nguyễn Văn Trưởng",
    )
    tally(assessed.commune, DAY, cases_new_community=7)  # corrected after sending: not in the sent report
    response = client_of("district").get("/reports/691/2021-08-20/report.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith("bao-cao-nhanh-691-2021-08-20.xlsx")
    rows = cells(response.content)
    flat = [value for row in rows for value in row if value is not None]
    assert vi("QUICK REPORT") in flat
    assert vi("COVID-19 PREVENTION AND CONTROL STEERING COMMITTEE") in flat
    assert any(isinstance(v, str) and v.endswith("HUYỆN BÙ GIA MẬP") for v in flat)
    assert vi("No.: %(number)s") % {"number": "45/BC-BCĐ"} in flat
    new_cases = row_of(rows, vi("New cases"))
    assert new_cases[1:3] == [3, 9]  # of the day, cumulative — as sent, not the corrected 10 and 16
    assert row_of(rows, "Xã Đức Hạnh")[2:5] == [3, 5, 4]
    assert row_of(rows, vi("Total"))[2:5] == [3, 9, 7]
    assert sum(1 for v in flat if v == vi("Not recorded in the system")) >= 4  # never zero
    assert "Kiểm soát tốt ổ dịch." in flat and "Nguyễn Văn Trưởng" in flat
    assert report.indicators["values"]["f0_new"] == [3, 9]


def test_excel_prints_on_a4(outbreak, personas):
    from chongdich.reports.actions import cut_off_for

    doc = document(outbreak.commune, DAY, None, figures(outbreak.commune, DAY), cut_off_for(outbreak.commune))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(doc))).active
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4) and sheet.page_setup.fitToWidth == 1
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert vi("DRAFT — not sent") in [v for row in rows for v in row]


def _render_first_page(pdf: bytes, name: str):
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    page = document[0]
    width_pt, height_pt = page.get_size()
    image = page.render(scale=2).to_pil()
    text = " ".join(page.get_textpage().get_text_range().split())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    image.save(ARTIFACTS / name)
    return len(document), (width_pt, height_pt), image, text


def _ink(image) -> float:
    """Share of pixels that are not white."""
    grey = image.convert("L")
    dark = sum(count for value, count in enumerate(grey.histogram()) if value < 200)
    return dark / (grey.width * grey.height)


def test_pdf_district_report(assessed, personas, client_of):
    do_send_report(
        personas["district"],
        assessed.district,
        DAY,
        number="45/BC-BCĐ",
        signer="Nguyễn Văn Trưởng",
        comments="Trong ngày ghi nhận 3 ca mắc mới tại xã Đức Hạnh, trong đó 2 ca đã được cách ly từ trước.\n"
        "Đề nghị Ban Chỉ đạo tỉnh hỗ trợ thêm 2.000 test nhanh kháng nguyên.",
        recipients="- Ban Chỉ đạo tỉnh (b/c);\n- Thường trực Huyện ủy (b/c);\n- Lưu: VT.",
    )
    response = client_of("district").get("/reports/691/2021-08-20/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages, (width, height), image, text = _render_first_page(response.content, "report-district-page1.png")
    assert round(width) == 595 and round(height) == 842  # A4 in points
    assert image.size == (1191, 1684)
    assert 0.01 < _ink(image) < 0.5  # not blank, not a black page
    assert "HUYỆN BÙ GIA MẬP" in text
    assert vi("QUICK REPORT") in text
    assert "45/BC-BCĐ" in text


def test_pdf_commune_draft(outbreak, client_of):
    response = client_of("commune").get("/reports/25228/2021-08-20/report.pdf")
    assert response.status_code == 200
    pages, _size, image, text = _render_first_page(response.content, "report-commune-draft-page1.png")
    assert _ink(image) > 0.01
    assert "XÃ ĐỨC HẠNH" in text and vi("DRAFT — not sent") in text.replace("\r\n", " ").replace("\n", " ")


def test_announced_change_in_the_document(world, personas):
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from chongdich.reports.actions import cut_off_for
    from chongdich.risk.models import RiskAssessment

    start = timezone.make_aware(datetime.combine(DAY + timedelta(days=2), time(8)))
    RiskAssessment.objects.create(
        unit=world.commune,
        code=world.commune.code,
        name=world.commune.name,
        tier="commune",
        unit_path=world.commune.path,
        province_code="70",
        day=DAY,
        framework="2686",
        rule_version="t",
        computed_level=3,
        applied_level=3,
        announced_at=timezone.make_aware(datetime.combine(DAY, time(8))),
        effective_from=start,
        in_force_framework="2686",
        in_force_level=2,
        in_force_since=start - timedelta(days=9),
        pending_framework="2686",
        pending_level=3,
        pending_from=start,
    )
    doc = document(world.commune, DAY, None, figures(world.commune, DAY), cut_off_for(world.commune))
    with translation.override("vi"):
        assert doc.level.startswith("Cam") and doc.pending.startswith("Đỏ") and doc.pending.endswith("08:00 22/08/2021")
