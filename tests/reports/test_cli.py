"""`casework report`: formats, shortcuts and clear refusals of bad input."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from casework.cli import main


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()

    def invoke(*args):
        return runner.invoke(main, ["report", *args], catch_exceptions=False)

    return invoke


def test_json_by_operational_year_matches_the_example(run, kraften_example):
    team, expected = kraften_example
    result = run("--team", team.slug, "--operational-year", "2020/21", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["from"] == "2020-07-01" and report["to"] == "2021-06-30"
    assert report["goal_reached"] == expected["expected"]["goal_reached"]
    assert set(report["exits_by_category"]) >= {"job_seeking", "illness", "moved"}


def test_csv_and_xlsx_have_swedish_headings_and_numbers(run, kraften_example, tmp_path):
    team, expected = kraften_example
    result = run("--team", team.slug, "--from", "2020-07-01", "--to", "2021-06-30", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output), delimiter=";"))
    assert rows[0] == ["Deltagarresultat"]
    assert rows[1][0] == "Antal inskrivna vid periodens början"
    assert rows[2][0] == str(expected["expected"]["enrolled_at_start"])

    target = tmp_path / "report.xlsx"
    result = run("--team", team.slug, "--operational-year", "2020/21", "--format", "xlsx", "--output", str(target))
    assert result.exit_code == 0, result.output
    workbook = load_workbook(target)
    assert "Deltagarresultat" in workbook.sheetnames and "Kö" in workbook.sheetnames
    sheet = workbook["Deltagarresultat"]
    assert sheet.cell(2, 1).value == "Antal inskrivna vid periodens början"
    assert sheet.cell(3, 1).value == expected["expected"]["enrolled_at_start"]
    assert isinstance(sheet.cell(3, 1).value, int)


def test_html_document_holds_tables_and_svg_chart_images(run, kraften_example, tmp_path):
    team, _ = kraften_example
    target = tmp_path / "report.html"
    result = run("--team", team.slug, "--half-year", "2021H1", "--format", "html", "--output", str(target))
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert "Deltagarresultat" in text and "Resultat per ålder och kön" in text
    assert text.count('<img src="data:image/svg+xml;base64,') == 6


def test_federation_report_covers_its_teams(run, kraften_example):
    team, expected = kraften_example
    result = run("--federation", team.federation.name, "--operational-year", "2020/21")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["federation"] == team.federation.name
    assert team.slug in report["teams"]
    assert report["exits_total"] == expected["expected"]["exits_total"]


def test_empty_period_is_all_zeros_with_null_means(run, team):
    result = run("--team", team.slug, "--year", "2015")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["exits_total"] == 0 and report["result_share"] is None
    assert report["throughput_months"]["all"]["all"] is None
    assert report["new_by_gender"] == {"woman": 0, "man": 0, "other": 0}


@pytest.mark.parametrize("args, message", [
    (["--team", "nope", "--year", "2020"], "Unknown team"),
    (["--federation", "Inget förbund", "--year", "2020"], "Unknown federation"),
    (["--team", "kraften-test", "--from", "2021-02-01", "--to", "2021-01-01"], "ends before it starts"),
    (["--team", "kraften-test", "--from", "2021-13-01", "--to", "2021-12-31"], "Not a date"),
    (["--team", "kraften-test", "--half-year", "2021H3"], "half-year"),
    (["--team", "kraften-test", "--operational-year", "2020/22"], "operational year"),
    (["--team", "kraften-test", "--year", "2020", "--format", "odt"], "Unknown format"),
    (["--team", "kraften-test"], "Give one period"),
    (["--team", "kraften-test", "--year", "2020", "--half-year", "2020H1"], "Give one period"),
])
def test_bad_input_is_refused_clearly(run, team, args, message):
    result = run(*args)
    assert result.exit_code == 1
    assert message in result.output


def test_every_format_has_the_new_tables(run, kraften_example, tmp_path):
    """The worked example's exits by category × gender and the previous period, in JSON, CSV, XLSX and HTML."""
    team, _ = kraften_example
    period = ("--team", team.slug, "--operational-year", "2020/21")
    report = json.loads(run(*period, "--format", "json").output)
    assert {k: sum(v.values()) for k, v in report["exits_by_category_gender"].items()} == report["exits_by_category"]
    assert report["previous_period"]["from"] == "2019-07-01" and report["previous_period"]["source"] == "log"
    assert report["previous_period"]["enrolled_at_end"] == report["enrolled_at_start"]
    rows = list(csv.reader(io.StringIO(run(*period, "--format", "csv").output), delimiter=";"))
    by_category = rows[rows.index(["Avslut per kategori och kön"]) + 2:]
    assert by_category[0] == ["Arbete", *[str(report["exits_by_category_gender"]["work"][g])
                                          for g in ("woman", "man", "other")], str(report["exits_by_category"]["work"])]
    previous = rows[rows.index(["Föregående period"]) + 2:]
    assert previous[:2] == [["Period", "2019-07-01 – 2020-06-30"], ["Källa", "Händelseloggen"]]
    target = tmp_path / "r.xlsx"
    assert run(*period, "--format", "xlsx", "--output", str(target)).exit_code == 0
    assert {"Avslut per undertyp", "Inflöde", "Genomförda steg", "Föregående period"} <= set(
        load_workbook(target).sheetnames)
    html = run(*period, "--format", "html").output
    assert "Försörjning per betalare" in html and "Unika individer" in html
