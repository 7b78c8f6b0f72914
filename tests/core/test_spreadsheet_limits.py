"""The import reader refuses a sheet larger than its limits before reading it, in bounded memory, and says so
in Vietnamese; the officers' longest lists (100,000 persons) still read.

A 4.9 KB .xlsx with one cell at XFD1048576 made the old reader build 1,048,576 × 16,384 cells (512 GiB) and
killed the worker.  Files are crafted in the tests; memory is measured in a subprocess (its peak resident size
and that of the child process that parses the workbook) under an address-space limit of its own, so that a
regression fails the test instead of exhausting the machine.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
import zipfile

import openpyxl
import pytest
from django.utils import translation

from chongdich.core.models import ImportStatus
from tests.helpers import run_job, xlsx_bytes

HEADER = ["Họ và tên", "Giới tính", "Năm sinh"]
ALIASES = {"full_name": ["Họ và tên"], "sex": ["Giới tính"], "birth_year": ["Năm sinh"]}
GUARD_MB = 3072  # the measuring subprocess's own address-space limit


def far_cell_xlsx() -> bytes:
    """The file of the report: a header and one cell at XFD1048576 (openpyxl declares A1:XFD1048576)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet["XFD1048576"] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def lying_xlsx(rows: list[str], dimension: str | None = "A1:C1") -> bytes:
    """A hand-made workbook whose sheet declares ``dimension`` (or nothing) whatever its cells are."""
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{declared}'
        f"<sheetData>{''.join(rows)}</sheetData></worksheet>"
    )
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>",
        "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Danh sách" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def text_row(number: int, values: list) -> str:
    cells = "".join(
        f'<c r="{col}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
        for col, value in zip("ABC", values, strict=False)
    )
    return f'<row r="{number}">{cells}</row>'


def people_rows(count: int) -> list[str]:
    return [text_row(1, HEADER), *(text_row(n, [f"Nguyễn Văn {n}", "Nam", 1980 + n % 30]) for n in range(2, count + 2))]


def measured_read(content: bytes, name: str, **limits) -> dict:
    """Read ``content`` with read_table in a fresh process; its outcome and peak memory (self, children) in MB."""
    script = textwrap.dedent(f"""
        import json, resource, sys
        with open("/proc/self/clear_refs", "w") as refs:  # the peak so far is the forked test runner's, not ours
            refs.write("5")
        resource.setrlimit(resource.RLIMIT_AS, ({GUARD_MB} << 20, {GUARD_MB} << 20))
        from chongdich.core import spreadsheets
        content = sys.stdin.buffer.read()
        kwargs = {{"limits": spreadsheets.ReadLimits(**{limits!r})}} if {bool(limits)} else {{}}
        try:
            rows = len(spreadsheets.read_table(content, {name!r}, {ALIASES!r}, ["full_name", "sex"], **kwargs))
            outcome = {{"rows": rows}}
        except spreadsheets.SpreadsheetError as exc:
            outcome = {{"refused": exc.code, **getattr(exc, "params", {{}})}}
        peak = int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0]) // 1024
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
        print(json.dumps({{**outcome, "self_mb": peak, "children_mb": children}}))
    """)
    done = subprocess.run([sys.executable, "-c", script], input=content, capture_output=True, timeout=300)
    assert done.returncode == 0, f"the reader died (exit {done.returncode}): {done.stderr[-600:]!r}"
    return json.loads(done.stdout)


def test_a_cell_at_XFD1048576_is_refused_in_bounded_memory():
    content = far_cell_xlsx()
    assert len(content) < 6000
    result = measured_read(content, "ds.xlsx")
    assert result["refused"] == "too_large" and (result["rows"], result["columns"]) == (1_048_576, 16_384)
    assert result["self_mb"] < 150 and result["children_mb"] < 150


def test_far_cells_hidden_behind_a_small_declared_dimension_are_refused_in_bounded_memory():
    """A crafted file declares A1:C1 but has cells at A1 and XFD1048576: the parser's memory limit catches it."""
    content = lying_xlsx(
        [text_row(1, HEADER), '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>']
    )
    result = measured_read(content, "ds.xlsx")
    assert result["refused"] == "memory"
    assert result["self_mb"] < 150 and result["children_mb"] < 1100  # the child's limit (1,024 MB) held


@pytest.mark.parametrize("dimension", [None, "A1:C1"])
def test_a_sheet_over_the_row_cap_is_refused_before_its_rows_are_read(dimension):
    """Without a dimension (or with a false one) the extent calamine found decides."""
    result = measured_read(lying_xlsx(people_rows(1200), dimension), "ds.xlsx", max_rows=1000)
    assert result == {**result, "refused": "too_large", "rows": 1201, "columns": 3}


def test_100000_persons_still_read_in_bounded_memory():
    result = measured_read(lying_xlsx(people_rows(100_000), "A1:C100001"), "ds.xlsx")
    assert result["rows"] == 100_000
    assert result["self_mb"] < 400 and result["children_mb"] < 400


def test_a_csv_over_the_row_cap_is_refused():
    content = ("\n".join([",".join(HEADER), *(f"Nguyễn Văn {n},Nam,1980" for n in range(1200))]) + "\n").encode()
    assert measured_read(content, "ds.csv", max_rows=1000)["refused"] == "too_large"


def test_the_import_refuses_in_vietnamese(world, personas, settings):
    settings.CHONGDICH_IMPORT_MAX_ROWS = 1000
    assert measured_read(far_cell_xlsx(), "ds.xlsx").get(
        "refused"
    )  # safe to read in this process (the old reader was not)
    with translation.override("vi"):
        far = run_job(personas["commune"], "people.persons", world.commune, "ds.xlsx", far_cell_xlsx())
        long = run_job(
            personas["commune"],
            "people.persons",
            world.commune,
            "ds.xlsx",
            xlsx_bytes([HEADER, *([f"Nguyễn Văn {n}", "Nam", 1980] for n in range(1200))]),
        )
    assert far.status == long.status == ImportStatus.FAILED
    assert "dòng 1.048.576, cột XFD" in far.message and "tối đa 1.000 dòng" in far.message
    assert "dòng 1.201" in long.message and "tối đa 1.000 dòng" in long.message


def test_typed_cells_come_through_the_parsing_process():
    """Dates, numbers and text of many rows cross from the child process unchanged (one message per batch)."""
    from datetime import date

    from chongdich.core.spreadsheets import read_table

    rows = [[f"Nguyễn Văn {n}", "Nam", date(1980, 1, 1 + n % 28), 1980 + n] for n in range(5000)]
    dataset = read_table(
        xlsx_bytes([[*HEADER[:2], "Ngày sinh", "Năm sinh"], *rows]),
        "ds.xlsx",
        {**ALIASES, "date_of_birth": ["Ngày sinh"]},
        ["full_name", "sex"],
    )
    assert len(dataset) == 5000
    assert dataset[4999] == (5001, "Nguyễn Văn 4999", "Nam", date(1980, 1, 1 + 4999 % 28), 6979)
