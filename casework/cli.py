"""The `casework` command: Flask's CLI group for this app (db, run, routes, and the areas' commands)."""

import click
from flask.cli import FlaskGroup, ScriptInfo

from casework.errors import KeyUnavailable

# Commands that run without a key file: the one that makes it, the demo, which makes it itself, and
# the schema upgrade, which writes nothing encrypted (a migration that must encrypt existing values
# loads the key file itself and stops, naming it, when there is none; it never makes one).
WITHOUT_KEY_FILE = (("keys", "init"), ("demo",), ("db", "upgrade"))


def _create_app():
    from casework import create_app

    return create_app(check_keys=False)


def needs_key_file(words: list[str]) -> bool:
    """Every command needs the key file except help and WITHOUT_KEY_FILE."""
    if not words or "--help" in words:
        return False
    return not any(tuple(words[:len(command)]) == command for command in WITHOUT_KEY_FILE)


class CaseworkGroup(FlaskGroup):
    """Loads the key file before any command runs; a missing one stops it with the reason.

    The app itself is made without the key file (`create_app(check_keys=False)`) so that
    `casework --help` lists the commands on a machine that has none.
    """

    def resolve_command(self, ctx, args):
        resolved = super().resolve_command(ctx, args)
        if not ctx.resilient_parsing and needs_key_file(args):
            from casework.crypto.startup import require_keys

            app = ctx.ensure_object(ScriptInfo).load_app()
            try:
                require_keys(app, database=args[0] == "run")
            except KeyUnavailable as exc:
                raise click.ClickException(exc.message) from None
        return resolved


@click.group(cls=CaseworkGroup, create_app=_create_app)
def main():
    """Casework: case management for Finsam teams."""
