def init_app(app):
    from casework import rest
    from casework.participants import api

    rest.register(app, api.blp)
