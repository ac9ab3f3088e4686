def init_app(app):
    from casework import rest
    from casework.events import api, display, views

    app.register_blueprint(views.bp)
    app.add_template_global(display.describe, "describe_event")
    app.add_template_global(display.event_label, "event_label")
    rest.register(app, api.blp)
