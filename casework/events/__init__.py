def init_app(app):
    from casework import rest
    from casework.events import api

    rest.register(app, api.blp)
