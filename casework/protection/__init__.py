"""Data protection (DOMAIN.md §4): erasure, retention, access log, subject access, rectification,
consents, key rotation and the records of processing."""


def init_app(app):
    from casework import add_nav
    from casework.protection import cli, views

    app.register_blueprint(views.bp)
    cli.register(app)
    add_nav(app, "protection.access_log", "Åtkomstlogg", {"auditor"})
    add_nav(app, "protection.records", "Registerförteckning", {"auditor", "admin", "team_lead"})
