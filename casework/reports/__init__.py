"""Half-year and year statistics derived from the event log (DOMAIN.md §3)."""


def report_cell(value) -> str:
    """A table cell as a Swedish reader expects it: decimal comma, a dash for no data."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    return str(value)


def init_app(app):
    from casework.reports.cli import report_command

    app.cli.add_command(report_command)
    app.add_template_filter(report_cell)
