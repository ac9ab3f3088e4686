"""The report as JSON, CSV (one section per table) and XLSX (one sheet per table).

Every cell of CSV and XLSX goes through `casework.text.spreadsheet_cell`: a team's name or any
other text that starts like a formula is never run by the spreadsheet that opens the file.
"""

import csv
import io
import json

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
    """Each table: its title on a line, its headings, its rows, then an empty line."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    for table in tables:
        writer.writerow([_cell(table.title)])
        writer.writerow([_cell(h) for h in table.headings])
        for row in table.rows:
            writer.writerow([_csv_value(v) for v in row])
        writer.writerow([])
    return out.getvalue()


def _csv_value(value):
    """Swedish spreadsheets read a decimal comma; integers and texts stay as they are."""
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    return _cell(value)


def to_xlsx(tables: list[Table], title: str) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(table.title))
        sheet.append([_cell(title)])
        sheet.append([_cell(h) for h in table.headings])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_cell(v) for v in row])
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 45)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_name(title: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet name."""
    return "".join(c for c in title if c not in "[]:*?/\\")[:31]
