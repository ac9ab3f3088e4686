"""The follow-up schedule with referrers (issue 4): who is whose, the referrer's page, the team's
overview, calendar feeds, the JSON API and e-mail reminders."""


def init_app(app):
    from casework.schedule import api as schedule_api
    from casework.schedule import cli, invitations, views
    from casework.web import add_nav
    from casework.web import api as web_api

    app.register_blueprint(views.bp)
    app.register_blueprint(invitations.bp)
    web_api.register(app, schedule_api.blp)
    app.cli.add_command(cli.reminders)
    app.cli.add_command(cli.referrers)
    add_nav(app, "schedule.mine", "Uppföljningar", {"referrer", "coach", "team_lead"})
    add_nav(app, "schedule.team", "Uppföljningsöversikt", {"coach", "team_lead"})
