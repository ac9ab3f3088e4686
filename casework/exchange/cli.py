"""`casework import FILE`, `casework export --team SLUG` and `casework demo`."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from casework.exchange import demo as demo_service
from casework.exchange.exporting import export_team
from casework.exchange.service import import_lines
from casework.teams.service import get_team
from casework.web.commands import output_options, transactional, write_output


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
@transactional
def import_command(path: Path):
    """Import a JSON Lines file; nothing is written unless every line is valid."""
    with path.open("rb") as handle:
        summary = import_lines(handle)
    click.echo(f"Imported {path.name}: {summary}.")


@click.command("export")
@click.option("--team", "slug", required=True, help="The team's slug.")
@output_options
@click.option("--user", "email", help="The e-mail of the user the export is logged for (default: the command line).")
@with_appcontext
@transactional
def export_command(slug: str, output: Path | None, force: bool, email: str | None):
    """Export a team with its participants' personal data and logs (the read is access-logged)."""
    from casework.auth.service import get_user

    user = get_user(email) if email else None
    lines = list(export_team(get_team(slug), user))
    text = "".join(f"{line}\n" for line in lines)
    if output is None:
        click.echo(text, nl=False)
        return
    write_output(output, text, force=force)
    click.echo(f"Exported {len(lines)} lines to {output}.", err=True)


@click.command("demo")
@click.option("--file", "path", type=click.Path(dir_okay=False, path_type=Path),
              help="The exchange file to load (default: the Kraften Hedemora example).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Only prepare the database and the accounts.")
@with_appcontext
def demo(path: Path | None, host: str, port: int, no_serve: bool):
    """Make the key file if there is none, migrate, load the example team, create one demo account
    per role and start the server."""
    path = path or demo_service.DEFAULT_EXAMPLE
    if not path.is_file():
        click.echo(f"The example file {path} is missing. Give an exchange file with --file.", err=True)
        sys.exit(1)
    _key_file()
    from flask_migrate import upgrade

    upgrade()
    _start_checks()
    summary, accounts = _prepare(path)
    url = f"http://{host}:{port}/"
    click.echo(f"Loaded {path.name}: {summary}.")
    click.echo(f"Casework: {url}")
    click.echo("Demo accounts (new passwords each time demo runs):")
    for role, email, password in accounts:
        click.echo(f"  {role:<10} {email:<32} {password}")
    click.echo("Two-factor sign-in: the first sign-in of each account sets up an authenticator app\n"
               "(scan the QR code it shows, or type its key) and shows ten recovery codes once; later\n"
               "sign-ins ask for the app's code. `casework users reset-2fa EMAIL` starts the set-up over.")
    if not no_serve:
        from werkzeug.serving import run_simple

        run_simple(host, port, current_app._get_current_object(), use_reloader=False, threaded=True)


def _key_file() -> None:
    """`casework keys init`, unless the key file is there already (a second demo run)."""
    from casework.crypto.keyring import init_key_file

    key_file = Path(current_app.config["MASTER_KEY_FILE"])
    if not key_file.exists():
        init_key_file(key_file)
        click.echo(f"Created the key file {key_file}.")


def _start_checks() -> None:
    """The checks the service makes before it starts (the key file unwraps the stored data keys)."""
    from casework.crypto.startup import require_keys
    from casework.errors import KeyUnavailable

    try:
        require_keys(current_app._get_current_object(), database=True)
    except KeyUnavailable as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(1)


@transactional
def _prepare(path: Path):
    return demo_service.prepare_demo(path)
