"""DOCX and PDF of the Kraften example: the result "57 %" and Kraften's own seven columns, A4
portrait, the text fields; from the page and from `casework report`."""

import io
import shutil
import subprocess

import pytest
from docx import Document

from casework.cli import main
from casework.reports import periods
from casework.reports.render import render, report_title
from casework.reports.service import build_report, team_scope
from casework.reports.texts import save_texts
from tests.reports.kraften import KRAFTEN_COLUMNS, with_kraften_columns

QUERY = {"period": "2020/21"}


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def pdf_text(content: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture
def kraften(kraften_example, make_user):
    team, _ = kraften_example
    team = with_kraften_columns(team)
    lead = make_user("team_lead", [team])
    return team, lead


def test_docx_has_the_result_the_seven_columns_and_the_texts(kraften):
    team, lead = kraften
    scope, period = team_scope(team), periods.named("2020/21")
    save_texts(lead, scope, period, {"participants.results.analysis": "Fler gick till arbete än i fjol."})
    content = render(build_report(scope, period), scope, period, "docx", title=report_title(scope, period),
                     texts={"participants.results.analysis": "Fler gick till arbete än i fjol."})
    document = Document(io.BytesIO(content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    text = docx_text(content)
    assert "57 %" in text
    for column in KRAFTEN_COLUMNS:
        assert column in text, column
    assert "Fler gick till arbete än i fjol." in text and "Analys" in text
    assert len(document.inline_shapes) == 6
    assert all(shape._inline.docPr.get("descr") for shape in document.inline_shapes)
    usable = section.page_width - section.left_margin - section.right_margin
    for table in document.tables:
        assert sum(cell.width for cell in table.rows[0].cells) <= usable


def test_pdf_has_the_result_and_the_seven_columns_on_a4(kraften, tmp_path):
    team, _ = kraften
    scope, period = team_scope(team), periods.named("2020/21")
    content = render(build_report(scope, period), scope, period, "pdf", title=report_title(scope, period))
    assert content.startswith(b"%PDF")
    text = pdf_text(content, tmp_path)
    assert "57 %" in text
    flat = " ".join(text.split())
    for column in KRAFTEN_COLUMNS:
        assert column in flat or column.replace(" ", "") in flat.replace(" ", ""), column
    info = subprocess.run(["pdfinfo", str(tmp_path / "report.pdf")], capture_output=True, text=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info


def test_page_downloads_docx_and_pdf_and_analysts_get_no_texts(kraften, make_user, login, client):
    team, lead = kraften
    scope, period = team_scope(team), periods.named("2020/21")
    save_texts(lead, scope, period, {"participants.prerequisites.description": "Teamet hade tre coacher."})
    login(lead)
    query = {"scope": f"team:{team.slug}", **QUERY}
    docx = client.get("/reports/download.docx", query_string=query)
    assert docx.status_code == 200 and docx.mimetype.endswith("wordprocessingml.document")
    assert "Teamet hade tre coacher." in docx_text(docx.data)
    pdf = client.get("/reports/download.pdf", query_string=query)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    analyst = make_user("analyst", federation=team.federation.name)
    login(analyst)
    seen = client.get("/reports/download.docx", query_string=query)
    assert seen.status_code == 200
    assert "Teamet hade tre coacher." not in docx_text(seen.data)


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()

    def invoke(*args):
        return runner.invoke(main, ["report", *args], catch_exceptions=False)

    return invoke


def test_cli_writes_docx_and_pdf_to_a_file(run, kraften, tmp_path):
    team, _ = kraften
    for fmt in ("docx", "pdf"):
        output = tmp_path / f"rapport.{fmt}"
        result = run("--team", team.slug, "--operational-year", "2020/21", "--format", fmt, "--output", str(output))
        assert result.exit_code == 0, result.output
        text = docx_text(output.read_bytes()) if fmt == "docx" else pdf_text(output.read_bytes(), tmp_path)
        assert "57 %" in text and "Tidigt avhopp" in text


def test_cli_refuses_binary_to_a_terminal(run, kraften, monkeypatch):
    team, _ = kraften
    monkeypatch.setattr("casework.reports.cli.stdout_is_terminal", lambda: True)
    result = run("--team", team.slug, "--operational-year", "2020/21", "--format", "pdf")
    assert result.exit_code != 0
    assert "not written to a terminal; give --output FILE" in result.output
