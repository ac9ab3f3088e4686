def init_app(app):
    from casework.auth import (
        account,  # noqa: F401  (account adds its routes to views.bp)
        cli,
        login,
        teams_api,
        throttle,
        twofactor,
        views,
    )
    from casework.crypto import service as crypto
    from casework.web import add_nav
    from casework.web import api as web_api

    throttle.init_app(app)  # first: its before_request runs before any that may query
    login.init_app(app)
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.users)
    web_api.register(app, teams_api.blp)
    crypto.on_master_rotation("users.totp_secret", twofactor.rewrap_secrets)
    add_nav(app, "auth.admin_users", "Användare", {"admin"})
