"""The report as a document: PDF rendered on the server (WeasyPrint, A4, Vietnamese administrative
layout) and a printable Excel sheet.  Both are always in Vietnamese — they are the committee's
official report — whatever the interface language, and both show the stored figures of a saved
report (the live figures, marked as a draft, when nothing is saved yet).

WeasyPrint needs Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0, libharfbuzz-subset0) and fonts
with Vietnamese diacritics (Debian: fonts-noto-core, fonts-dejavu-core).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time

import openpyxl
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.page import PageMargins

from chongdich.core import clock, spreadsheets
from chongdich.reports.indicators import MISSING, STOCK, Layout, colour_of, layout
from chongdich.reports.models import DailyReport
from chongdich.risk.models import level_label
from chongdich.risk.rules import scale
from chongdich.territory.models import AdminUnit

DOCUMENT_LANGUAGE = "vi"
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one line per layout step otherwise
UNIT_PREFIXES = ("Thành phố ", "Thị xã ", "Thị trấn ", "Tỉnh ", "Huyện ", "Quận ", "Xã ", "Phường ", "Đặc khu ")


def place_name(unit: AdminUnit) -> str:
    """The place in the date line: "Bù Gia Mập" for "Huyện Bù Gia Mập" ("Quận 1" keeps its kind)."""
    if unit.short_name and unit.short_name != unit.name:
        return unit.short_name
    for prefix in UNIT_PREFIXES:
        rest = unit.name[len(prefix) :]
        if unit.name.startswith(prefix) and rest and not rest[0].isdigit():
            return rest
    return unit.name


def in_sentence(name: str) -> str:
    """ "huyện Bù Gia Mập": a unit's name inside a Vietnamese sentence."""
    return name[:1].lower() + name[1:] if any(name.startswith(p) for p in UNIT_PREFIXES) else name


def short_date(day: date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def level_text(level: dict | None, short: bool = False) -> str:
    """ "Cam · Nguy cơ cao" ("Cam" when short) in the active language; "—" without a level."""
    if not level or level.get("level") is None:
        return "—"
    lang = "en" if (translation.get_language() or "vi").startswith("en") else "vi"
    framework, value = level["framework"], level["level"]
    label = level_label(framework, value, lang).capitalize()
    if short:
        return label
    levels = scale(framework)
    name = levels.name_en(value) if lang == "en" else levels.name_vi(value)
    return f"{label} · {name}"


@dataclass
class Document:
    unit: AdminUnit
    day: date
    cut_off: time
    report: DailyReport | None
    snapshot: dict
    layout: Layout
    figures_at: datetime | None

    @property
    def draft(self) -> bool:
        return self.report is None or not self.report.sent

    @property
    def place(self) -> str:
        return place_name(self.unit)

    @property
    def unit_in_sentence(self) -> str:
        return in_sentence(self.unit.name)

    @property
    def short_day(self) -> str:
        return short_date(self.day)

    @property
    def issued_on(self) -> date:
        """The date line: the day the report was sent (or the report's day while a draft)."""
        if self.report is not None and self.report.sent_at:
            return timezone.localtime(self.report.sent_at).date()
        return self.day

    @property
    def up_to(self) -> str:
        if self.cut_off.minute:
            return _("(up to %(hour)s:%(minute)02d on %(date)s)") % {
                "hour": self.cut_off.hour,
                "minute": self.cut_off.minute,
                "date": self.short_day,
            }
        return _("(up to %(hour)s o'clock on %(date)s)") % {"hour": self.cut_off.hour, "date": self.short_day}

    @property
    def footer_text(self) -> str:
        """The running footer (inside a CSS string: no quotes, backslashes or markup)."""
        text = _("Quick report") + f" · {self.unit.name} · {self.short_day} · "
        if self.figures_at:
            at = timezone.localtime(self.figures_at).strftime("%H:%M %d/%m/%Y")
            text += _("figures of %(at)s") % {"at": at}
        if self.draft:
            text += " · " + _("draft")
        return "".join(ch for ch in text if ch not in "\"'\\<>&")

    @property
    def recipients(self) -> list[str]:
        lines = [line.strip() for line in (self.report.recipients if self.report else "").splitlines() if line.strip()]
        return lines

    @property
    def number(self) -> str:
        return self.report.number if self.report else ""

    @property
    def comments(self) -> str:
        return self.report.comments if self.report else ""

    @property
    def signer(self) -> str:
        return self.report.signer if self.report else ""

    @property
    def committee_body(self) -> str:
        return _("People's Committee").upper()

    @property
    def committee(self) -> str:
        """ "ỦY BAN NHÂN DÂN HUYỆN BÙ GIA MẬP": the committee above the steering committee."""
        return _("People's Committee").upper() + " " + self.unit.name.upper()

    @property
    def level(self) -> str:
        return level_text(self.layout.level)

    @property
    def pending(self) -> str:
        """The announced change of the unit's level: "Xanh · Bình thường mới from 08:00 21/08/2021"."""
        pending = (self.layout.level or {}).get("pending")
        if not pending:
            return ""
        start = timezone.localtime(datetime.fromisoformat(pending[2])).strftime("%H:%M %d/%m/%Y")
        return level_text({"framework": pending[0], "level": pending[1]}) + " " + _("from") + " " + start

    @property
    def level_colour(self) -> str:
        return colour_of(self.layout.level)


def document(unit: AdminUnit, day: date, report: DailyReport | None, live: dict | None, cut_off: time) -> Document:
    snapshot = report.indicators if report is not None and report.indicators else live
    figures_at = report.figures_at if report is not None and report.indicators else clock.now()
    return Document(unit, day, report.cut_off if report else cut_off, report, snapshot, layout(snapshot), figures_at)


def filename(doc: Document, extension: str) -> str:
    return f"bao-cao-nhanh-{doc.unit.code}-{doc.day:%Y-%m-%d}.{extension}"


# --- PDF ------------------------------------------------------------------------------------------


def pdf_bytes(doc: Document) -> bytes:
    import weasyprint  # imported here: Pango is loaded only when a PDF is made

    with translation.override(DOCUMENT_LANGUAGE):
        html = render_to_string("reports/pdf.html", {"doc": doc, "sections": _sections(doc)})
    return weasyprint.HTML(string=html).write_pdf()


def _sections(doc: Document) -> list:
    """The numbered sections, with each level's text ready for the document."""
    for child in doc.layout.children:
        child.level_text = level_text(child.level, short=True)
        child.colour = colour_of(child.level)
    return doc.layout.sections


# --- Excel ----------------------------------------------------------------------------------------


def xlsx_bytes(doc: Document) -> bytes:
    with translation.override(DOCUMENT_LANGUAGE):
        return _xlsx(doc)


def _xlsx(doc: Document) -> bytes:
    book = spreadsheets.new_workbook()
    sheet = book.active
    sheet.title = _("Daily report")[:31]
    widths = [44, 14, 16, 14, 14, 14, 14, 14]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = width
    thin = Side(style="thin", color="999999")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    bold, center = Font(bold=True), Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    last_col = 3 if not doc.layout.children else 2 + len(doc.layout.child_columns)
    row = 1

    def put(r: int, c: int, value, *, font=None, align=None, fill=None, border=False, fmt=None):
        cell = spreadsheets.put(sheet.cell(row=r, column=c), value)  # typed text is never a formula
        if font:
            cell.font = font
        if align:
            cell.alignment = align
        if fill:
            cell.fill = fill
        if border:
            cell.border = box
        if fmt:
            cell.number_format = fmt
        return cell

    def line(text: str, *, font=None, align=center, height=None) -> None:
        nonlocal row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
        put(row, 1, text, font=font, align=align)
        if height:
            sheet.row_dimensions[row].height = height
        row += 1

    issued = doc.issued_on
    header = (
        (doc.committee, None, _("SOCIALIST REPUBLIC OF VIETNAM"), bold),
        (_("COVID-19 PREVENTION AND CONTROL STEERING COMMITTEE"), bold, _("Independence – Freedom – Happiness"), bold),
        (
            _("No.: %(number)s") % {"number": doc.number} if doc.number else _("No.: ……/BC-BCĐ"),
            None,
            _("%(place)s, day %(d)s month %(m)s year %(y)s")
            % {"place": doc.place, "d": issued.day, "m": issued.month, "y": issued.year},
            Font(italic=True),
        ),
    )
    for left, left_font, right, right_font in header:
        put(row, 1, left, font=left_font, align=center)
        put(row, 2, right, font=right_font, align=center)
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=last_col)
        sheet.row_dimensions[row].height = 30 if row == 2 else 16
        row += 1
    row += 1
    if doc.draft:
        line(_("DRAFT — not sent"), font=Font(bold=True, color="B02A37"))
    line(_("QUICK REPORT"), font=Font(bold=True, size=14))
    line(_("COVID-19 situation in %(unit)s") % {"unit": doc.unit_in_sentence}, font=bold)
    line(doc.up_to, font=Font(italic=True))
    row += 1

    for section in doc.layout.sections:
        line(f"{section.number}. {section.title}", font=bold, align=Alignment(horizontal="left"))
        if section.missing:
            put(row, 1, _("Not recorded in the system"), font=Font(italic=True))
            row += 2
            continue
        if section.table == "capacity":
            for col, header in enumerate((_("Type"), _("Places"), _("Occupied"), _("Free")), start=1):
                put(row, col, header, font=bold, align=center, fill=head_fill, border=True)
            row += 1
            for item in doc.layout.capacity:
                put(row, 1, item.label, border=True)
                for col, value in enumerate((item.places, item.occupied, item.free), start=2):
                    put(row, col, value, border=True, fmt="#,##0")
                row += 1
        elif section.table == "levels":
            put(row, 1, _("Level of %(unit)s") % {"unit": doc.unit.name}, border=True)
            put(row, 2, doc.level, border=True)
            sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
            row += 1
            for colour, count in doc.layout.colour_counts:
                put(row, 1, _COLOUR_NAMES[colour](), border=True)
                put(row, 2, count, border=True)
                row += 1
        else:
            for col, header in enumerate((_("Indicator"), _("In the day"), _("Cumulative or current")), start=1):
                put(row, col, header, font=bold, align=center, fill=head_fill, border=True)
            row += 1
            for item in section.lines:
                put(row, 1, ("    " * item.indent) + item.label, border=True)
                if item.kind == MISSING:
                    put(row, 2, _("Not recorded in the system"), font=Font(italic=True), border=True)
                    sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)
                else:
                    put(row, 2, item.day, border=True, fmt="+#,##0;-#,##0;0" if item.kind == STOCK else "#,##0")
                    put(row, 3, item.total, border=True, fmt="#,##0")
                row += 1
            if section.note:
                put(row, 1, section.note, font=Font(italic=True, size=9))
                row += 1
        row += 1

    if doc.layout.children:
        line(_("Figures by unit"), font=bold, align=Alignment(horizontal="left"))
        headers = (_("Unit"), _("Level"), *doc.layout.child_columns)
        for col, header in enumerate(headers, start=1):
            put(row, col, header, font=bold, align=center, fill=head_fill, border=True)
        sheet.row_dimensions[row].height = 30
        row += 1
        for child in doc.layout.children:
            put(row, 1, child.name, border=True)
            put(row, 2, level_text(child.level), border=True)
            for col, value in enumerate(child.values, start=3):
                put(row, col, value, border=True, fmt="#,##0")
            row += 1
        put(row, 1, _("Total"), font=bold, border=True)
        put(row, 2, "", border=True)
        for col, value in enumerate(doc.layout.child_totals, start=3):
            put(row, col, value, font=bold, border=True, fmt="#,##0")
        row += 2

    line(_("Comments of the committee"), font=bold, align=Alignment(horizontal="left"))
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
    put(row, 1, doc.comments or _("No comments."), align=wrap)
    sheet.row_dimensions[row].height = max(15, 15 * (doc.comments.count("\n") + 1 + len(doc.comments) // 110))
    row += 2
    put(row, 1, _("Recipients:"), font=Font(bold=True, italic=True))
    put(row, last_col, _("ON BEHALF OF THE STEERING COMMITTEE"), font=bold, align=center)
    row += 1
    recipients = doc.recipients or [_("- Archive: office.")]
    put(row, last_col, _("HEAD"), font=bold, align=center)
    for index, text in enumerate(recipients):
        put(row + index, 1, text)
    row += max(len(recipients), 4) + 1
    put(row, last_col, doc.signer, font=bold, align=center)
    row += 2
    put(
        row,
        1,
        _("Figures from the Chống dịch system (daily tallies and published risk levels), read at %(at)s.")
        % {"at": timezone.localtime(doc.figures_at).strftime("%H:%M %d/%m/%Y") if doc.figures_at else "—"},
        font=Font(italic=True, size=9),
    )

    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.6, right=0.4, top=0.6, bottom=0.6)
    sheet.print_options.horizontalCentered = True
    return spreadsheets.save(book)


_COLOUR_NAMES = {
    "red": lambda: _("Units at red"),
    "orange": lambda: _("Units at orange"),
    "yellow": lambda: _("Units at yellow"),
    "green": lambda: _("Units at green"),
    "none": lambda: _("Units without a level"),
}
