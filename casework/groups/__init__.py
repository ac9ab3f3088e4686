"""Group sessions (DOMAIN.md §2 `group_session`): one session, an `activity` in each attendee's log."""


def init_app(app) -> None:
    from casework.groups import api, views
    from casework.groups.service import register_rules
    from casework.web import add_nav
    from casework.web import api as web_api

    register_rules()
    app.register_blueprint(views.bp)
    web_api.register(app, api.blp)
    add_nav(app, "groups.index", "Gruppträffar", {"coach", "team_lead"})
