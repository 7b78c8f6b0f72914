"""Read officers' spreadsheets (xlsx, xls, ods or csv) into a tablib Dataset with canonical column keys.

Lists made in Excel often start with a title, a blank line or a merged heading before the real
header row; the reader looks for the header among the first rows, maps each header to a
canonical key through a table of aliases (compared without diacritics or punctuation), and
drops blank rows.  Row numbers refer to the spreadsheet so that error messages point at the
line the officer sees.
"""

from __future__ import annotations

import csv
import io
import os
import pickle
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import openpyxl
import tablib
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from chongdich.core.text import fold_words
from chongdich.core.workbook_sandbox import SafeUnpickler

HEADER_SEARCH_ROWS = 15
ROW_NUMBER_KEY = "_row"


@dataclass(frozen=True)
class ReadLimits:
    """How much of a file the reader accepts: the officers' longest lists (100,000 persons) fit well within."""

    max_rows: int = 200_000
    max_columns: int = 200
    memory_mb: int = 1024  # address space of the child process that parses a workbook
    cpu_seconds: int = 300


class SpreadsheetError(ValueError):
    """The file cannot be read as the expected table.  ``code`` says why, ``params`` give the figures:
    "header" (no header row), "unreadable", "too_large" (rows, columns, declared) or "memory"."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows_from_workbook(content: bytes, filename: str, limits: ReadLimits):
    """Rows of the first sheet of an .xlsx/.xls/.ods file, numbered from the sheet's first row.

    python-calamine (Rust) reads a 100,000-row list about 12× faster than openpyxl; it runs in a child
    process under a memory limit (see ``workbook_sandbox``), which refuses a sheet larger than the limits
    before a row is taken.
    """
    suffix = os.path.splitext(filename)[1].lower() or ".xlsx"
    with tempfile.NamedTemporaryFile(suffix=suffix) as source, tempfile.TemporaryFile() as errors:
        source.write(content)
        source.flush()
        command = [
            sys.executable,
            "-m",
            "chongdich.core.workbook_sandbox",
            source.name,
            str(limits.max_rows),
            str(limits.max_columns),
            str(limits.memory_mb),
            str(limits.cpu_seconds),
        ]
        child = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=errors, env={**os.environ, "RUST_BACKTRACE": "0"}
        )
        try:
            yield from _child_rows(child, limits, errors)
        finally:
            if child.poll() is None:
                child.kill()
            child.stdout.close()
            child.wait()


def _child_rows(child: subprocess.Popen, limits: ReadLimits, errors):
    while True:
        try:
            message = SafeUnpickler(child.stdout).load()  # one unpickler per message: each has its own memo
        except (EOFError, pickle.UnpicklingError, ValueError):
            child.wait()
            errors.seek(0)
            if b"memory allocation" in errors.read(4096) or child.returncode in (-signal.SIGKILL, -signal.SIGXCPU):
                raise SpreadsheetError("memory", memory_mb=limits.memory_mb) from None
            raise SpreadsheetError("unreadable") from None
        kind = message[0]
        if kind == "rows":
            yield from message[1]
        elif kind == "extent":
            _, rows, columns, declared = message
            if rows > limits.max_rows or columns > limits.max_columns:
                raise SpreadsheetError("too_large", rows=rows, columns=columns, declared=declared)
        elif kind == "end":
            return
        else:
            raise SpreadsheetError("unreadable")


def _rows_from_csv(content: bytes, limits: ReadLimits):
    for encoding in ("utf-8-sig", "cp1258", "latin-1"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
    except csv.Error:  # one column, or not a list at all: the header search says so
        dialect = csv.excel
    for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        if number > limits.max_rows or len(row) > limits.max_columns:
            raise SpreadsheetError("too_large", rows=number, columns=len(row), declared=False)
        yield row


def read_table(
    content: bytes,
    filename: str,
    aliases: Mapping[str, Sequence[str]],
    required: Sequence[str],
    limits: ReadLimits = ReadLimits(),
) -> tablib.Dataset:
    """A Dataset whose headers are canonical keys (plus ``_row``, the spreadsheet row number)."""
    lookup = {fold_words(alias): key for key, names in aliases.items() for alias in (key, *names)}
    if filename.lower().endswith(".csv"):
        rows = _rows_from_csv(content, limits)
    else:
        rows = _rows_from_workbook(content, filename, limits)
    header_keys: list[str | None] | None = None
    dataset = tablib.Dataset()
    try:
        for number, row in enumerate(rows, start=1):
            if header_keys is None:
                keys = [lookup.get(fold_words(_cell_text(cell))) for cell in row]
                if sum(1 for k in keys if k) >= min(2, len(required) or 1) and all(r in keys for r in required):
                    header_keys = keys
                    dataset.headers = [ROW_NUMBER_KEY, *[k for k in keys if k]]
                elif number >= HEADER_SEARCH_ROWS:
                    break
                continue
            values = [row[i] if i < len(row) else None for i, key in enumerate(header_keys) if key]
            if all(_cell_text(v) == "" for v in values):
                continue
            dataset.append([number, *[v.strip() if isinstance(v, str) else v for v in values]])
    finally:
        rows.close()  # a sheet without a header: stop the child process that reads it
    if header_keys is None:
        raise SpreadsheetError("header")
    return dataset


# --- writing: every export goes through these ------------------------------------------------------
#
# A value an officer or a citizen typed can start with "=" (or +, -, @, a tab, a carriage return): written as
# is, a spreadsheet runs it as a formula (=HYPERLINK(…) sends the reader to a site, DDE runs programs) — the
# "CSV injection" of OWASP.  Such text is written as text (never a formula) and marked with Excel's quote
# prefix, so that it stays text when the cell is edited too; what the officer reads is unchanged.  Dates and
# numbers stay typed cells.  Characters a workbook cannot hold (control characters) are escaped the OOXML way.

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_safe(value):
    """A value for a CSV export: text that a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + value if formula_like(value) else value


def _clean(value):
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


def put(cell, value, number_format: str | None = None):
    """Give an exported cell its value: text stays text, dates and numbers stay typed."""
    value = _clean(value)
    cell.value = value
    if formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    if number_format:
        cell.number_format = number_format
    elif isinstance(value, date):
        cell.number_format = "DD/MM/YYYY"
    return cell


def new_workbook(write_only: bool = False) -> openpyxl.Workbook:
    return openpyxl.Workbook(write_only=write_only)


def save(workbook: openpyxl.Workbook) -> bytes:
    """The workbook's bytes.  A workbook built cell by cell is checked once more: no cell may be a formula."""
    if not workbook.write_only:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        put(cell, cell.value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _needs_cell(value) -> bool:
    return isinstance(value, str) and (formula_like(value) or ILLEGAL_CHARACTERS_RE.search(value) is not None)


def _streamed(sheet, values: Sequence) -> list:
    """A row for a write-only sheet: plain values where safe (fast), a prepared cell where not."""
    return [put(WriteOnlyCell(sheet), value) if _needs_cell(value) else value for value in values]


def write_xlsx(headers: Sequence[str], rows, title: str = "", widths: Sequence[int] | None = None) -> bytes:
    """A plain, printable xlsx: optional title line, bold header, frozen panes."""
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = (title or "Sheet1")[:31]
    start = 1
    if title:
        put(sheet.cell(row=1, column=1), title).font = Font(bold=True, size=13)
        start = 3
    for col, header in enumerate(headers, start=1):
        cell = put(sheet.cell(row=start, column=col), header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(col)].width = widths[col - 1] if widths else 18
    for r, row in enumerate(rows, start=start + 1):
        for col, value in enumerate(row, start=1):
            put(sheet.cell(row=r, column=col), value)
    sheet.freeze_panes = sheet.cell(row=start + 1, column=1)
    return save(workbook)


def write_numbered_sheet(
    title: str, headers: Sequence[str], rows: Iterable[Sequence], widths: Sequence[int] = ()
) -> tuple[bytes, int]:
    """A long list (100,000 rows) streamed in constant memory: bold header, then each row after its
    number (the first header names the number column).  Returns (content, number of rows)."""
    workbook = new_workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for index in range(len(headers)):
        sheet.column_dimensions[get_column_letter(index + 1)].width = widths[index] if index < len(widths) else 16
    header_cells = []
    for header in headers:
        cell = put(WriteOnlyCell(sheet), header)
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for count, row in enumerate(rows, start=1):
        sheet.append(_streamed(sheet, [count, *row]))
    return save(workbook), count
