def init_app(app):
    from casework import rest
    from casework.teams import api

    rest.register(app, api.blp)
