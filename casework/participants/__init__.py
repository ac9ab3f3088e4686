def init_app(app):
    from casework import add_nav, rest
    from casework.participants import api, views

    app.register_blueprint(views.bp)
    add_nav(app, "participants.index", "Deltagare", {"coach", "team_lead"})
    rest.register(app, api.blp)
