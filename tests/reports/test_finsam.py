"""Uppföljning Finsam: one row per insats, participants and anonymous participants by gender,
budget from the report's `economy` key (empty while a team has none); the CLI's formats and refusals."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from casework.cli import main
from casework.errors import PermissionDenied
from casework.organisation.service import load_input, save_record
from casework.reports.finsam import HEADINGS, finsam_for, finsam_rows, finsam_table


@pytest.fixture
def finsam_teams(make_team, make_participant, record):
    """Team Ek: 2 women (one anonymous), 1 man in 2023; Team Alm: 1 anonymous man; a 2022 leaver counts nowhere."""
    ek, alm = (make_team(slug, name, federation="Finsamförbundet") for slug, name in
               (("ek", "Team Ek"), ("alm", "Team Alm")))

    def enrol(team, gender, anonymous=False, referred="2023-01-10", enrolled="2023-02-01", exited=None):
        person = make_participant(team, None if anonymous else "Pers Person", gender=gender,
                                  **({"anonymous": True} if anonymous else {}))
        record(person, "referral_received", referred, {"referrer_org": "af"})
        record(person, "enrolled", enrolled)
        if exited:
            record(person, "exited", exited, {"category": "work"})
        return person

    enrol(ek, "woman")
    enrol(ek, "woman", anonymous=True)
    enrol(ek, "man")
    enrol(ek, "man", referred="2022-01-10", enrolled="2022-02-01", exited="2022-12-01")
    enrol(alm, "man", anonymous=True)
    return ek, alm


def test_one_row_per_insats_by_gender_and_anonymity(finsam_teams):
    ek, _alm = finsam_teams
    rows = finsam_rows(ek.federation, "2023", suppressed=False)
    assert [r["insats"] for r in rows] == ["Team Alm", "Team Ek"]
    alm_row, ek_row = rows
    assert ek_row["participants_in_period_by_gender"] == {"woman": 2, "man": 1, "other": 0}
    assert ek_row["anonymous_by_gender"] == {"woman": 1, "man": 0, "other": 0}
    assert alm_row["anonymous_by_gender"] == {"woman": 0, "man": 1, "other": 0}
    assert (ek_row["decided"], ek_row["outcome"]) == (None, None)


def test_budget_comes_from_the_teams_budget_lines_and_stays_empty_without_them(finsam_teams):
    ek, _alm = finsam_teams
    for line, decided, outcome in (("own_staff", 1_900_000, 1_860_162), ("premises", 100_000, 90_030)):
        values = load_input("budget", {"line": line, "from": "2023-01-01", "to": "2023-12-31",
                                       "decided": decided, "outcome": outcome, "forecast": None})
        save_record("budget", ek, values, source="import")
    rows = finsam_rows(ek.federation, "2023", suppressed=False)
    table = finsam_table(rows, ek.federation, "2023")
    assert table.headings == HEADINGS
    assert table.rows[1] == ["Team Ek", 2, 1, 0, 1, 0, 0, 2_000_000, 1_950_192]
    assert table.rows[0][-2:] == [None, None]


def test_analysts_see_small_cells_suppressed_and_team_staff_nothing(finsam_teams, make_user):
    ek, _alm = finsam_teams
    analyst = make_user("analyst", federation=ek.federation.name)
    ek_row = finsam_for(analyst, ek.federation, "2023")[1]
    assert ek_row["participants_in_period_by_gender"]["woman"] == "<3"
    assert ek_row["participants_in_period_by_gender"]["other"] == 0
    with pytest.raises(PermissionDenied):
        finsam_for(make_user("team_lead", [ek]), ek.federation, "2023")


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()

    def invoke(*args):
        return runner.invoke(main, ["report", "--uppfoljning-finsam", *args], catch_exceptions=False)

    return invoke


def test_cli_writes_json_csv_and_xlsx(run, finsam_teams, tmp_path):
    result = run("--federation", "Finsamförbundet", "--year", "2023", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["year"] == "2023" and [r["insats"] for r in document["rows"]] == ["Team Alm", "Team Ek"]
    result = run("--federation", "Finsamförbundet", "--year", "2023", "--format", "csv")
    lines = list(csv.reader(io.StringIO(result.output), delimiter=";"))
    assert lines[1] == HEADINGS
    assert lines[3] == ["Team Ek", "2", "1", "0", "1", "0", "0", "", ""]
    target = tmp_path / "finsam.xlsx"
    result = run("--federation", "Finsamförbundet", "--year", "2023", "--format", "xlsx", "--output", str(target))
    assert result.exit_code == 0, result.output
    sheet = load_workbook(target).active
    assert [c.value for c in sheet[2]] == HEADINGS
    assert [c.value for c in sheet[4]][:4] == ["Team Ek", 2, 1, 0]


@pytest.mark.parametrize(("args", "message"), [
    (["--year", "2023"], "needs --federation"),
    (["--federation", "Finsamförbundet"], "needs --year"),
    (["--federation", "Finsamförbundet", "--year", "20x3"], "A year is written like 2020"),
    (["--federation", "Finsamförbundet", "--year", "2023", "--format", "pdf"], "json, csv or xlsx"),
    (["--federation", "Inget sådant", "--year", "2023"], "Unknown federation"),
])
def test_cli_refuses_bad_input_clearly(run, finsam_teams, args, message):
    result = run(*args)
    assert result.exit_code == 1
    assert message in result.output
