"""Encryption of personal data: per-participant data keys, the master and blind-index keys."""


def init_app(app) -> None:
    from casework.crypto import cli, service

    service.init_app(app)
    app.cli.add_command(cli.keys)
