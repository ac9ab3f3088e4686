"""`casework keys …`: creating the key file; rotating, listing and purging its keys."""

import sys
from datetime import UTC

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from casework.crypto import service as crypto
from casework.crypto.keyring import ENV_VARIABLE, KeyFileExists, init_key_file
from casework.crypto.models import DataKey
from casework.crypto.rotation import (
    purge_retired,
    rotate_blind_index_key,
    rotate_master_key,
)
from casework.crypto.startup import stored_master_key_ids
from casework.extensions import db
from casework.web.commands import commit, transactional


@click.group()
def keys():
    """The key file: master, blind-index and audit keys."""


@keys.command("init")
@with_appcontext
def init():
    """Create the key file named by CASEWORK_MASTER_KEY_FILE (mode 0600); never replaces one."""
    path = current_app.config["MASTER_KEY_FILE"]
    in_use = _stored_master_key_ids()
    if in_use:
        click.echo(f"error: the database already holds data keys wrapped by {', '.join(in_use)}; a new key "
                   f"file cannot read them. Set {ENV_VARIABLE} to the key file that belongs to it.", err=True)
        sys.exit(1)
    try:
        init_key_file(path)
    except KeyFileExists as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(1)
    click.echo(f"Created the key file {path} (mode 0600). Back it up separately and keep it out of "
               "database backups: without it nothing encrypted can be read.")


def _stored_master_key_ids() -> list[str]:
    """Those the database uses already; none when it cannot be reached yet (not set up)."""
    try:
        return stored_master_key_ids()
    except sa.exc.OperationalError:
        return []


@keys.command("rotate")
@click.option("--blind-index", is_flag=True, help="Rotate the blind-index key and rebuild the personnummer index.")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 10000))
@with_appcontext
@transactional
def rotate(blind_index, batch_size):
    """Rotate the master key (re-wrapping every data key) or the blind-index key; resumes an interrupted run."""
    rotation = rotate_blind_index_key if blind_index else rotate_master_key
    result = rotation(commit, batch_size)
    what = "blind-index" if blind_index else "master"
    click.echo(f"{'Completed the' if result.resumed else 'Rotated the'} {what} key: active {result.key_id}, "
               f"{result.rows} row(s) updated, retired {', '.join(result.retired) or 'none'}.")


@keys.command("status")
@with_appcontext
def key_status():
    """The keys in the key file (ids and status, never the material) and what each wraps."""
    ring = crypto.reload_keyring()
    counts = dict(db.session.execute(sa.select(DataKey.master_key_id, sa.func.count()).group_by(DataKey.master_key_id)).all())
    for entry in ring.master_keys:
        click.echo(f"master {entry.id} {entry.status}{' (purged)' if not entry.key else ''} "
                   f"created {entry.created} data keys {counts.get(entry.id, 0)}")
    for entry in ring.blind_index_keys:
        click.echo(f"blind-index {entry.id} {entry.status}{' (purged)' if not entry.key else ''} created {entry.created}")
    for entry in ring.audit_keys:
        click.echo(f"audit {entry.id} {entry.status} created {entry.created}")


@keys.command("purge-retired")
@click.option("--before", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="Destroy keys retired before this date (when no backup of that age is kept).")
@with_appcontext
@transactional
def purge(before):
    """Destroy retired keys' material: every backup made before their retirement becomes unreadable."""
    purged = purge_retired(before.replace(tzinfo=UTC))
    click.echo(f"Purged {len(purged)} key(s): {', '.join(purged) or 'none'}.")
