"""`casework keys …`: rotating, listing and purging the master and blind-index keys."""

from datetime import UTC

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from casework.crypto import service as crypto
from casework.crypto.models import DataKey
from casework.crypto.rotation import purge_retired, rotate_blind_index_key, rotate_master_key
from casework.extensions import db
from casework.web.commands import transactional


@click.group()
def keys():
    """Master and blind-index keys."""


@keys.command("rotate")
@click.option("--blind-index", is_flag=True, help="Rotate the blind-index key and rebuild the personnummer index.")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 10000))
@with_appcontext
@transactional
def rotate(blind_index, batch_size):
    """Rotate the master key (re-wrapping every data key) or the blind-index key; resumes an interrupted run."""
    rotation = rotate_blind_index_key if blind_index else rotate_master_key
    result = rotation(db.session.commit, batch_size)
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


@keys.command("purge-retired")
@click.option("--before", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="Destroy keys retired before this date (when no backup of that age is kept).")
@with_appcontext
@transactional
def purge(before):
    """Destroy retired keys' material: every backup made before their retirement becomes unreadable."""
    purged = purge_retired(before.replace(tzinfo=UTC))
    click.echo(f"Purged {len(purged)} key(s): {', '.join(purged) or 'none'}.")
