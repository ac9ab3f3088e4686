def init_app(app):
    from casework import add_nav
    from casework.participants import views

    app.register_blueprint(views.bp)
    add_nav(app, "participants.index", "Deltagare", {"coach", "team_lead"})
