"""A report in a requested format (the CLI and the page's downloads share this).

HTML and PDF are the same document template (the PDF is WeasyPrint's rendering of it, A4
portrait); DOCX is built from the same document model (`casework.reports.document`).
"""

import base64

from flask import render_template

from casework.reports import formats
from casework.reports.document import ASPECTS, build_document, denominator_rule
from casework.reports.tables import report_tables

# The charts shown after each table (after its last part when it is split).
CHART_FOR = {"results": ("result", "exits"), "new": ("age",), "gender": ("gender",), "trend": ("trend",),
             "income": ("income",)}


def render(report: dict, scope, period, fmt: str, *, title: str, texts: dict | None = None) -> str | bytes:
    formats.check_format(fmt)
    if fmt == "json":
        return formats.to_json(report)
    if fmt in ("csv", "xlsx"):
        tables = report_tables(report, scope.settings)
        return formats.to_csv(tables) if fmt == "csv" else formats.to_xlsx(tables, title)
    if fmt == "docx":
        from casework.reports.docx_export import to_docx

        return to_docx(title, document_context(report, scope, period, texts=texts, chart_format="png"))
    html = render_template("reports/document.html", title=title,
                           **document_context(report, scope, period, texts=texts, chart_format="svg"))
    if fmt == "html":
        return html
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def document_context(report: dict, scope, period, *, texts: dict | None, chart_format: str | None = None,
                     chart_url=None) -> dict:
    """What the document template (and DOCX) needs. Charts are embedded (`chart_format`: their
    bytes in `charts[name]["data"]` and a data URI in `src`) or linked (`chart_url(name)`)."""
    from casework.reports.charts import FORMATS, chart_description, chart_specs, draw_chart

    settings = scope.settings
    charts = {}
    for name, spec in chart_specs(report, settings).items():
        chart = {"alt": chart_description(spec), "title": spec["title"]}
        if chart_url is not None:
            chart["src"] = chart_url(name)
        else:
            chart["data"] = draw_chart(spec, chart_format)
            chart["src"] = f"data:{FORMATS[chart_format]};base64," + base64.b64encode(chart["data"]).decode("ascii")
        charts[name] = chart
    return {"sections": build_document(report, settings, period.label, texts), "aspects": ASPECTS,
            "charts": charts, "chart_for": CHART_FOR, "denominator_rule": denominator_rule(report, settings),
            "previous_note": previous_note(report), "fold": chart_url is not None, "editing": None}


def previous_note(report: dict) -> str | None:
    """Which period the previous-period columns show, and where its figures come from when imported."""
    previous = report.get("previous_period")
    if not previous or not previous.get("from"):
        return None
    note = f"Föregående period: {previous['from']} – {previous['to']}"
    return f"{note} ({previous['source']})." if previous.get("source") else f"{note}."


def report_title(scope, period) -> str:
    names = scope.teams[0].name if scope.kind == "team" else scope.name
    return f"{names} {period.label}"
