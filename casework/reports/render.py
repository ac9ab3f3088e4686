"""A report in a requested format (the CLI and the page's downloads share this)."""

from flask import render_template

from casework.reports import formats
from casework.reports.tables import report_tables


def render(report: dict, scope, fmt: str, *, title: str) -> str | bytes:
    formats.check_format(fmt)
    if fmt == "json":
        return formats.to_json(report)
    tables = report_tables(report, scope.settings)
    if fmt == "csv":
        return formats.to_csv(tables)
    if fmt == "xlsx":
        return formats.to_xlsx(tables, title)
    from casework.reports.charts import report_charts

    return render_template("reports/document.html", title=title, report=report, tables=tables,
                           charts=report_charts(report, scope.settings))


def report_title(scope, period) -> str:
    names = scope.teams[0].name if scope.kind == "team" else scope.name
    return f"{names} {period.label}"
