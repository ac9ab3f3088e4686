"""Half-year and year statistics derived from the event log (DOMAIN.md §3)."""


def report_cell(value) -> str:
    """A table cell as a Swedish reader expects it: decimal comma, a dash for no data."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    return str(value)


def init_app(app):
    from casework.reports import api
    from casework.reports.cli import report_command, reports_group
    from casework.reports.federation_views import bp as federation_bp
    from casework.reports.sync import init_sync
    from casework.reports.team_settings import bp as settings_bp
    from casework.reports.views import bp
    from casework.web import add_nav
    from casework.web import api as web_api

    init_sync()
    app.register_blueprint(bp)
    app.register_blueprint(settings_bp)
    app.register_blueprint(federation_bp)
    web_api.register(app, api.blp)
    app.cli.add_command(report_command)
    app.cli.add_command(reports_group)
    add_nav(app, "reports.index", "Statistik", {"coach", "team_lead", "analyst"})
    add_nav(app, "federation.index", "Förbundets teams", {"analyst", "admin"})
    add_nav(app, "federation.finsam", "Uppföljning Finsam", {"analyst", "admin"})
    add_nav(app, "team_settings.index", "Teaminställningar", {"team_lead", "admin"})
    app.add_template_filter(report_cell)
