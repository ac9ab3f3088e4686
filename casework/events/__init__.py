def init_app(app):
    from casework.events import display, team_scales
    from casework.events.sync import init_sync

    init_sync()

    app.add_template_global(display.describe, "describe_event")
    app.add_template_global(display.event_label, "event_label")
    team_scales.register_rules()
