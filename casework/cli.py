"""The `casework` command: Flask's CLI group for this app (db, run, routes, and the areas' commands)."""

import click
from flask.cli import FlaskGroup


def _create_app():
    from casework import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def main():
    """Casework: case management for Finsam teams."""
