"""Data protection (DOMAIN.md §4): erasure, retention, access log, subject access, rectification,
consents, key rotation and the records of processing."""


def init_app(app):
    from casework.protection import cli

    cli.register(app)
