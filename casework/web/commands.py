"""What every area's CLI commands share (the commit-once wrapper, the safe `--output`), and the
end of a unit of work (request or command).

Some writes must outlive the unit of work's own transaction: the access log keeps the reads of
a request or command that fails and rolls back. Such a writer buffers during the unit of work
and registers here (`after_unit_of_work`); when the unit of work has committed or rolled back,
`finish_unit_of_work` lets each write in a transaction of its own. The request edge
(`casework/__init__.py`), `transactional` and `commit` call it.
"""

import os
import stat
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path

import click
from flask import Flask, current_app

from casework.errors import DomainError
from casework.extensions import db

WRITERS = "casework.after_unit_of_work"


def after_unit_of_work(app: Flask, pending: Callable[[], bool], write: Callable[[], None]) -> None:
    """Register a deferred writer: `pending()` says whether it holds anything, `write()` writes
    it in its own transaction (committing it) once the unit of work's transaction is over."""
    app.extensions.setdefault(WRITERS, []).append((pending, write))

    @app.teardown_appcontext
    def write_what_is_left(exc):
        """A command that neither committed through `commit`/`transactional` nor crashed before
        the app context ends: its own work is discarded, the deferred writes are not."""
        if pending():
            db.session.rollback()
            write()


def unit_of_work_pending() -> bool:
    return any(pending() for pending, _ in current_app.extensions.get(WRITERS, []))


def finish_unit_of_work() -> None:
    for pending, write in current_app.extensions.get(WRITERS, []):
        if pending():
            write()


def commit() -> None:
    """Commit the session, then the deferred writes (for commands that commit batch by batch)."""
    db.session.commit()
    finish_unit_of_work()


def transactional(func):
    """Commit once when the command succeeds; on a domain error print it, roll back and exit 1.

    Either way the deferred writes (access-log entries) follow in their own transaction.
    """

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            result = func(*args, **kwargs)
            db.session.commit()
            finish_unit_of_work()
            return result
        except DomainError as exc:
            db.session.rollback()
            finish_unit_of_work()
            for field, messages in (exc.errors or {}).items():
                for message in messages if isinstance(messages, list) else [messages]:
                    click.echo(f"{field}: {message}", err=True)
            if not exc.errors:
                click.echo(f"error: {exc.message}", err=True)
            sys.exit(1)
        except BaseException:
            db.session.rollback()
            finish_unit_of_work()
            raise

    return wrapper


# Files an `--output` may never replace, even with --force: losing one loses data for good.
# Each is a function of the app (its setting may be unset); the packages above add theirs with
# `protect_file` (the erasure ledger: `casework.crypto.ledger`).
_protected_files: list = []


def protect_file(path_of) -> None:
    """Register `path_of(app) -> path | None`, a file no `--output` may write."""
    _protected_files.append(path_of)


def output_options(command):
    """`--output FILE` and `--force` for a command that writes a file with `write_output`."""
    command = click.option("--force", is_flag=True,
                           help="Replace FILE if it exists (never the key file, the erasure ledger, the audit "
                                "anchor or the database).")(command)
    return click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
                        help="Write to this new file (mode 0600) instead of standard output.")(command)


def write_output(path: Path | str, content: str | bytes, *, force: bool = False) -> None:
    """Write an export to `path`: never through a symlink, a new file unless `force`, and never
    one of the protected files. Refusals are `Conflict` (the command rolls back and exits 1)."""
    from flask import current_app

    from casework.errors import Conflict

    path = Path(path)
    protected = [Path(p) for f in _protected_files if (p := f(current_app))]
    if _same_file(path, protected):
        raise Conflict("output.protected", f"{path} is a file Casework needs; choose another file.", "output",
                       path=str(path))
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | (0 if force else os.O_EXCL)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise Conflict("output.exists", f"{path} exists; give --force to replace it.", "output",
                       path=str(path)) from None
    except OSError as exc:  # ELOOP: the last part is a symlink
        raise Conflict("output.unwritable", f"Cannot write {path}: {exc.strerror}.", "output",
                       path=str(path), reason=exc.strerror) from None
    with os.fdopen(fd, "wb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode) or _same_file(path, protected, status):
            raise Conflict("output.not_plain_file", f"{path} is not a plain file Casework may write; choose another file.",
                           "output", path=str(path))
        handle.truncate(0)
        os.fchmod(handle.fileno(), 0o600)
        handle.write(content.encode("utf-8") if isinstance(content, str) else content)


def _same_file(path: Path, protected: list[Path], status: os.stat_result | None = None) -> bool:
    """The same resolved path, or (when both exist) the same inode: a hard link counts too."""
    resolved = path.resolve()
    for other in protected:
        if other.resolve() == resolved:
            return True
        if status is not None and other.exists():
            theirs = other.stat()
            if (theirs.st_dev, theirs.st_ino) == (status.st_dev, status.st_ino):
                return True
    return False


def _database_file(app) -> str | None:
    url = app.config.get("SQLALCHEMY_DATABASE_URI", "")
    return url.split(":///", 1)[1] if url.startswith("sqlite:///") and url != "sqlite:///:memory:" else None


protect_file(lambda app: app.config.get("MASTER_KEY_FILE"))
protect_file(lambda app: app.config.get("AUDIT_ANCHOR_FILE"))
protect_file(_database_file)
