"""The organisation side of a team (DOMAIN.md §3 and §6): its staff, budget lines and meetings.

Kept by the team lead (pages, API) or imported as `staff`, `budget` and `meeting` lines; every
change is kept in `organisation_changes` (who, when, before and after). The report's `staff`,
`economy` and `meetings` keys are derived from these records (`figures.py`).
"""


def init_app(app):
    from casework.organisation import api, views
    from casework.web import add_nav
    from casework.web import api as web_api

    app.register_blueprint(views.bp)
    web_api.register(app, api.blp)
    add_nav(app, "organisation.index", "Personal och budget", {"coach", "team_lead", "admin"})
