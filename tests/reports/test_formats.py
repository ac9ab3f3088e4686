"""The XLSX as analysts expect it, read back with openpyxl: percent shares, real dates, full or
short sheet names, frozen headings, footnotes for hidden cells."""

import datetime as dt
import io

from openpyxl import load_workbook

from casework.reports.formats import SHEET_NAME_LIMIT, sheet_names, to_xlsx
from casework.reports.periods import named
from casework.reports.render import render, report_title
from casework.reports.service import build_report, figures, team_scope
from casework.reports.tables import Table, report_tables


def workbook_of(report, scope, period):
    return load_workbook(io.BytesIO(render(report, scope, period, "xlsx", title=report_title(scope, period))))


def test_shares_are_percentages_dates_are_dates_and_headings_stay_in_view(kraften_example):
    team, expected = kraften_example
    scope, period = team_scope(team), named("2020/21")
    workbook = workbook_of(build_report(scope, period), scope, period)
    titles = [t.title for t in report_tables(build_report(scope, period), scope.settings)]
    assert len(workbook.sheetnames) == len(titles)
    assert "Genomströmning och försörjning" in workbook.sheetnames  # the title has 40 characters
    assert all(len(name) <= SHEET_NAME_LIMIT for name in workbook.sheetnames)
    for sheet in workbook:
        assert sheet.freeze_panes == "A3"
        assert sheet.cell(1, 1).value.startswith(titles[workbook.sheetnames.index(sheet.title)])
    results = workbook["Deltagarresultat"]
    column = [c.value for c in results[2]].index("Resultat") + 1
    share = results.cell(3, column)
    assert share.value == expected["expected"]["result_share"] and share.number_format == "0%"
    trend = workbook["Genomströmningstid över tid"]
    assert isinstance(trend.cell(3, 1).value, dt.datetime) and trend.cell(3, 1).is_date
    assert trend.cell(3, 1).number_format == "yyyy-mm-dd"
    assert isinstance(results.cell(3, 1).value, int) and results.cell(3, 1).number_format == "General"


def test_hidden_cells_are_explained_under_the_table(kraften_example):
    team, _ = kraften_example
    scope, period = team_scope(team), named("2020/21")
    report = figures(scope, period, suppressed=True)
    workbook = workbook_of(report, scope, period)
    for table, sheet in zip(report_tables(report, scope.settings), workbook, strict=True):
        signs = {v for row in table.rows for v in row if v in ("<3", "..")}
        notes = {row[0].value.split(":")[0] for row in sheet.iter_rows(min_row=3 + len(table.rows)) if row[0].value}
        assert notes == signs, table.title
    assert "<3" in {v for row in report_tables(report, scope.settings)[0].rows for v in row}
    csv_text = render(report, scope, period, "csv", title=report_title(scope, period))
    assert csv_text.count("<3: 1 eller 2 personer.") == sum(
        1 for t in report_tables(report, scope.settings) if any("<3" in row for row in t.rows))


def test_long_or_repeated_titles_get_short_unique_sheet_names():
    titles = ["Samtliga deltagare per remittent", "Samtliga deltagare per remittent", "A" * 40,
              "Kö: [ny]?", "Könsfördelning", "KÖNSFÖRDELNING"]
    names = sheet_names(titles)
    assert names[0] == "Deltagare per remittent" and names[1] == "Deltagare per remittent (2)"
    assert names[2] == "A" * 31 and names[3] == "Kö ny"
    assert names[5] == "KÖNSFÖRDELNING (2)"
    assert len({n.casefold() for n in names}) == len(names)
    assert all(len(n) <= SHEET_NAME_LIMIT for n in names)
    workbook = load_workbook(io.BytesIO(to_xlsx([Table(str(i), t, ["x"], [[1]]) for i, t in enumerate(titles)],
                                                "Titel")))
    assert workbook.sheetnames == names
