"""CSV and XLSX cells that a spreadsheet would run as a formula are neutralised; numbers stay numbers."""

import csv
import io

import pytest
from openpyxl import load_workbook

from casework.reports.formats import to_csv, to_xlsx
from casework.reports.tables import Table
from casework.text import spreadsheet_cell

TABLE = Table(key="t", title="=HYPERLINK(\"http://x\")", headings=["+Kön", "Antal"],
              rows=[["-2+3", -5, -1.25, "@SUM(A1)"], ["\tx", 0, None, "Kvinna"], ["@cr", 3, 2.5, "a=b"]])


@pytest.mark.parametrize("value, cell", [
    ("=1+1", "'=1+1"), ("+46", "'+46"), ("-x", "'-x"), ("@a", "'@a"), ("\tt", "'\tt"), ("\rr", "'\rr"),
    ("Team A", "Team A"), ("a-b", "a-b"), ("", ""), (-5, -5), (-1.5, -1.5), (None, None), (True, True),
])
def test_one_rule_for_every_cell(value, cell):
    assert spreadsheet_cell(value) == cell


def test_csv_cells_are_neutralised_and_negative_numbers_kept():
    rows = list(csv.reader(io.StringIO(to_csv([TABLE]), newline=""), delimiter=";"))
    assert rows[0] == ["'=HYPERLINK(\"http://x\")"]
    assert rows[1] == ["'+Kön", "Antal"]
    assert rows[2] == ["'-2+3", "-5", "-1,25", "'@SUM(A1)"]
    assert rows[3] == ["'\tx", "0", "", "Kvinna"]
    assert rows[4] == ["'@cr", "3", "2,5", "a=b"]


def test_xlsx_cells_are_neutralised_and_numbers_stay_numbers():
    sheet = load_workbook(io.BytesIO(to_xlsx([TABLE], "=Team (kraften)"))).active
    assert sheet.cell(1, 1).value == "'=HYPERLINK(\"http://x\") – =Team (kraften)"
    assert sheet.cell(2, 1).value == "'+Kön"
    assert [sheet.cell(3, c).value for c in range(1, 5)] == ["'-2+3", -5, -1.25, "'@SUM(A1)"]
    assert sheet.cell(3, 1).data_type == "s" and sheet.cell(3, 2).data_type == "n"


def test_the_access_log_csv_neutralises_a_ref_that_looks_like_a_formula(make_participant, team, coach, make_user,
                                                                         login, client):
    from casework.participants.service import personal_data

    person = make_participant(team, "Formel Person", ref="-cmd")
    personal_data(person, coach, "case_work")
    login(make_user("auditor"))
    export = client.get(f"/protection/access-log?participant={person.id}&format=csv&from=2000-01-01")
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True))))
    assert rows[1][6] == "'-cmd (kraften-test)"
