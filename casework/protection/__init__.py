"""Data protection (DOMAIN.md §4): erasure, retention, the access-log pages, subject access,
rectification, consents and the records of processing (key rotation: casework.crypto)."""


def init_app(app):
    from casework.protection import cli, views
    from casework.web import add_nav

    app.register_blueprint(views.bp)
    cli.register(app)
    add_nav(app, "protection.access_log", "Åtkomstlogg", {"auditor"})
    add_nav(app, "protection.records", "Registerförteckning", {"auditor", "admin", "team_lead"})
