"""The exchange format (DOMAIN.md §6): `casework import`, `casework export` and `casework demo`."""


def init_app(app) -> None:
    from casework.exchange.cli import demo, export_command, import_command

    app.cli.add_command(import_command)
    app.cli.add_command(export_command)
    app.cli.add_command(demo)
