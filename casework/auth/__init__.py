def init_app(app):
    from casework import add_nav
    from casework.auth import account, cli, login, twofactor, views  # noqa: F401  (account adds its routes to views.bp)
    from casework.crypto import service as crypto

    login.init_app(app)
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.users)
    crypto.on_master_rotation("users.totp_secret", twofactor.rewrap_secrets)
    add_nav(app, "auth.admin_users", "Användare", {"admin"})
