"""Read the first sheet of a workbook (xlsx, xls, ods) in a child process with bounded memory and CPU.

python-calamine builds a sheet as one dense block from its first cell to its last: a 5 KB file with one
cell at A1 and one at XFD1048576 asks for 512 GiB, and the failed allocation aborts the whole process —
the task worker with it.  Parsing in a child process under an address-space limit turns any such file
into a refusal instead of a dead worker, whatever the format and whatever the file declares.

The child checks, before it sends any row:
1. for .xlsx, the extent the sheet *declares* (its ``<dimension ref="A1:K600000"/>``), without parsing;
2. the extent calamine actually found (the last cell), which a crafted file cannot hide.
Over the limits it sends the extent and stops; within them it streams the rows in batches, so that the
parent never holds more than one batch it has not consumed.

Django-free: ``python -m chongdich.core.workbook_sandbox PATH MAX_ROWS MAX_COLUMNS MEMORY_MB CPU_SECONDS``.
The messages on stdout are pickles (the parent unpickles them with ``SafeUnpickler``, which allows no
class but the date and time types a cell can hold):
``("extent", rows, columns, declared)`` first, then ``("rows", [row, …])`` … and ``("end",)``, or
``("unreadable",)`` when calamine cannot read the file.
"""

from __future__ import annotations

import datetime
import pickle
import re
import resource
import sys
import zipfile
from posixpath import dirname, join, normpath

from python_calamine import CalamineWorkbook

BATCH_ROWS = 2000
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{0,3})(\d*)(?::([A-Z]{1,3})(\d+))?\"")
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData[\s/>]")
_FIRST_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_ATTRIBUTE = re.compile(rb"([\w:]+)=\"([^\"]*)\"")
_ALLOWED_CLASSES = {("datetime", name) for name in ("date", "datetime", "time", "timedelta")}


def column_number(letters: bytes | str) -> int:
    """1 for A, 26 for Z, 16384 for XFD."""
    number = 0
    for letter in letters.upper() if isinstance(letters, str) else letters.decode().upper():
        number = number * 26 + ord(letter) - 64
    return number


def _first_sheet_path(archive: zipfile.ZipFile) -> str | None:
    """The part of the workbook's first sheet, as calamine picks it (workbook order, through the relationships)."""
    try:
        workbook = archive.read("xl/workbook.xml")[:1_000_000]
        rels = archive.read("xl/_rels/workbook.xml.rels")[:1_000_000]
    except KeyError:
        return None
    found = _FIRST_SHEET.search(workbook)
    if not found:
        return None
    wanted = next((value for name, value in _ATTRIBUTE.findall(found.group()) if name.endswith(b":id")), None)
    for tag in _RELATIONSHIP.findall(rels):
        attributes = dict(_ATTRIBUTE.findall(tag))
        if attributes.get(b"Id") == wanted and b"Target" in attributes:
            target = attributes[b"Target"].decode()
            return target.lstrip("/") if target.startswith("/") else normpath(join(dirname("xl/workbook.xml"), target))
    return None


def declared_extent(path: str) -> tuple[int, int] | None:
    """(rows, columns) an .xlsx's first sheet declares, read from the head of its XML; None if it declares none."""
    try:
        with zipfile.ZipFile(path) as archive:
            part = _first_sheet_path(archive)
            if part is None or part not in archive.namelist():
                return None
            with archive.open(part) as stream:
                head = stream.read(65536)  # the dimension comes before the cells; never read further
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    data = _SHEET_DATA.search(head)
    found = _DIMENSION.search(head, 0, data.start() if data else len(head))
    if not found:
        return None
    first_col, first_row, last_col, last_row = found.groups()
    col, row = (last_col, last_row) if last_col else (first_col, first_row)
    return int(row or 1048576), column_number(col) if col else 16384


def _limit(memory_mb: int, cpu_seconds: int) -> None:
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))


def _send(out, message) -> None:
    pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
    out.flush()


def main(argv: list[str]) -> int:
    path, max_rows, max_columns, memory_mb, cpu_seconds = argv[0], *map(int, argv[1:5])
    _limit(memory_mb, cpu_seconds)
    out = sys.stdout.buffer
    if path.lower().endswith((".xlsx", ".xlsm")):
        declared = declared_extent(path)
        if declared and (declared[0] > max_rows or declared[1] > max_columns):
            _send(out, ("extent", declared[0], declared[1], True))
            return 0
    try:
        sheet = CalamineWorkbook.from_path(path).get_sheet_by_index(0)
    except Exception:  # noqa: BLE001 - calamine raises several kinds for a broken or foreign file
        _send(out, ("unreadable",))
        return 0
    end = sheet.end
    rows, columns = (end[0] + 1, end[1] + 1) if end else (0, 0)
    _send(out, ("extent", rows, columns, False))
    if rows > max_rows or columns > max_columns:
        return 0
    batch = []
    for row in sheet.iter_rows():  # numbered from the sheet's first row, so row numbers match what the officer sees
        batch.append([None if cell == "" else cell for cell in row])
        if len(batch) >= BATCH_ROWS:
            _send(out, ("rows", batch))
            batch = []
    if batch:
        _send(out, ("rows", batch))
    _send(out, ("end",))
    return 0


class SafeUnpickler(pickle.Unpickler):
    """Unpickles the child's messages: lists, tuples, numbers, strings and date/time values only."""

    def find_class(self, module, name):
        if (module, name) in _ALLOWED_CLASSES:
            return getattr(datetime, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
