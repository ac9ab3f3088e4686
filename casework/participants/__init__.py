def init_app(app):
    from casework.crypto.rotation import on_blind_index_rotation
    from casework.participants import api, cli, events_api, identification, rotation, steps, surveys, task_views, tasks_api, views
    from casework.web import add_nav
    from casework.web import api as web_api

    app.register_blueprint(views.bp)
    app.register_blueprint(steps.bp)
    app.register_blueprint(task_views.bp)
    app.register_blueprint(surveys.bp)
    add_nav(app, "participants.index", "Deltagare", {"coach", "team_lead"})
    add_nav(app, "tasks.mine", "Att göra", {"coach", "team_lead"})
    web_api.register(app, api.blp, events_api.blp, tasks_api.blp)
    on_blind_index_rotation(app, rotation.rebuild_blind_indexes)
    identification.register_rules()
    app.cli.add_command(cli.participants)
