"""The report as JSON, CSV (one section per table) and XLSX (one sheet per table).

Every cell of CSV and XLSX goes through `casework.text.spreadsheet_cell`: a team's name or any
other text that starts like a formula is never run by the spreadsheet that opens the file.
"""

import csv
import datetime as dt
import io
import json
import re

from openpyxl import Workbook
from openpyxl.styles import Font

from casework.errors import ValidationFailed
from casework.reports.tables import Table
from casework.text import spreadsheet_cell

FORMATS = ("json", "csv", "xlsx", "html", "docx", "pdf")
BINARY_FORMATS = ("xlsx", "docx", "pdf")
MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


SHEET_NAME_LIMIT = 31
SHORT_SHEET_NAMES = {
    "Genomströmningstid och tid i försörjning": "Genomströmning och försörjning",
    "Samtliga deltagare per remittent": "Deltagare per remittent",
    "Samtliga deltagare per försörjning": "Deltagare per försörjning",
}
SHARE_HEADINGS = ("Resultat", "Andel")
PERCENT_FORMAT = "0%"
DATE_FORMAT = "yyyy-mm-dd"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
FOOTNOTES = {"<3": "<3: 1 eller 2 personer.", "..": "..: uppgift kan inte redovisas (den skulle visa ett litet antal)."}


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        choices = ", ".join(FORMATS)
        raise ValidationFailed("report.format_unknown", f"Unknown format {fmt!r}; choose one of {choices}.", "format",
                               format=fmt, choices=choices)
    return fmt


def to_json(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=1)


def _cell(value):
    return "" if value is None else spreadsheet_cell(value)


def to_csv(tables: list[Table]) -> str:
    """Each table: its title on a line, its headings, its rows, the footnotes of its hidden cells,
    then an empty line."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    for table in tables:
        writer.writerow([_cell(table.title)])
        writer.writerow([_cell(h) for h in table.headings])
        for row in table.rows:
            writer.writerow([_csv_value(v) for v in row])
        for note in footnotes(table):
            writer.writerow([note])
        writer.writerow([])
    return out.getvalue()


def _csv_value(value):
    """Swedish spreadsheets read a decimal comma; integers and texts stay as they are."""
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    return _cell(value)


def to_xlsx(tables: list[Table], title: str) -> bytes:
    """A sheet per table: its full title and the report's in the first row, the headings in the
    second (both frozen), then the rows. Shares carry a percent format and dates are dates, so a
    spreadsheet computes with them; a footnote explains "<3" and ".." where they stand."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table, name in zip(tables, sheet_names([t.title for t in tables]), strict=True):
        sheet = workbook.create_sheet(name)
        sheet.append([_cell(f"{table.title} – {title}")])
        sheet.append([_cell(h) for h in table.headings])
        for cell in (*sheet[1], *sheet[2]):
            cell.font = Font(bold=True)
        shares = {i for i, heading in enumerate(table.headings) if is_share_heading(heading)}
        for row in table.rows:
            sheet.append([_xlsx_value(v) for v in row])
            for index, cell in enumerate(sheet[sheet.max_row]):
                _number_format(cell, is_share=index in shares)
        _footnotes(sheet, table)
        sheet.freeze_panes = "A3"
        _fit_columns(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def is_share_heading(heading: str) -> bool:
    """Shares are the columns headed "Resultat …" or "Andel …" (as the teams' tables name them)."""
    return heading.startswith(SHARE_HEADINGS)


def _xlsx_value(value):
    """Dates written as ISO text in the report become dates; everything else as `_cell`."""
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return dt.date.fromisoformat(value)
    return _cell(value)


def _number_format(cell, *, is_share: bool) -> None:
    if isinstance(cell.value, dt.datetime | dt.date):
        cell.number_format = DATE_FORMAT
    elif is_share and isinstance(cell.value, float):
        cell.number_format = PERCENT_FORMAT


def footnotes(table: Table) -> list[str]:
    """What "<3" and ".." mean, for those that stand in the table."""
    signs = {v for row in table.rows for v in row if isinstance(v, str)}
    return [note for sign, note in FOOTNOTES.items() if sign in signs]


def _footnotes(sheet, table: Table) -> None:
    notes = footnotes(table)
    if notes:
        sheet.append([])
    for note in notes:
        sheet.append([note])


def _fit_columns(sheet) -> None:
    for column in sheet.iter_cols(min_row=2):
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 45)


def sheet_names(titles: list[str]) -> list[str]:
    """A sheet's name is its table's title when that fits Excel's 31 characters, else a short
    name (`SHORT_SHEET_NAMES`, or the title cut at a word), never two alike; none of []:*?/\\."""
    names: list[str] = []
    for title in titles:
        clean = "".join(c for c in SHORT_SHEET_NAMES.get(title, title) if c not in "[]:*?/\\").strip("' ")
        name = _fit(clean or "Tabell", SHEET_NAME_LIMIT)
        taken = {n.casefold() for n in names}
        number = 2
        while name.casefold() in taken:
            suffix = f" ({number})"
            name = _fit(clean, SHEET_NAME_LIMIT - len(suffix)) + suffix
            number += 1
        names.append(name)
    return names


def _fit(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit + 1].rsplit(" ", 1)[0]
    return (cut if 0 < len(cut) <= limit else text[:limit]).rstrip()
