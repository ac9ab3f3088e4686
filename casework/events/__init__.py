def init_app(app):
    from casework.events import display, team_scales

    app.add_template_global(display.describe, "describe_event")
    app.add_template_global(display.event_label, "event_label")
    team_scales.register_rules()
