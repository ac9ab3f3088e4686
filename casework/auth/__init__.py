def init_app(app):
    from casework.auth import cli, login, views

    login.init_app(app)
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.users)
