"""The anchor file: the access log's head, kept outside the database.

A keyed chain shows an edited, inserted or removed entry, but not the removal of the newest
entries: what is left is still a valid chain. So after every write the head is appended here —
one JSON line `{"id", "hash", "count", "at"}` — and `casework audit verify` checks that every
anchored entry is still in the log with that hash and position. The file lives beside the key
file (CASEWORK_AUDIT_ANCHOR_FILE, default `audit-anchor.jsonl` next to it), outside the database
and its backups, like the erasure ledger.

Lines are appended after the entries' transaction has committed, so the file is never ahead of
the database (a crash in between only leaves it one write behind). Each append is one `write` to
a file opened O_APPEND, mode 0600. A successful verification replaces the file, atomically,
with the head it verified (and any line written meanwhile), so it stays small.
"""

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app

from casework.crypto.keyring import file_lock

ENV_VARIABLE = "CASEWORK_AUDIT_ANCHOR_FILE"


@dataclass(frozen=True)
class Anchor:
    id: int
    hash: str
    count: int
    at: str

    def line(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":")) + "\n"


class AnchorUnreadable(Exception):
    """The anchor file has a line that is not an anchor: it cannot vouch for anything."""


def anchor_path() -> Path:
    configured = current_app.config.get("AUDIT_ANCHOR_FILE") or os.environ.get(ENV_VARIABLE)
    if configured:
        return Path(configured)
    return Path(current_app.config["MASTER_KEY_FILE"]).with_name("audit-anchor.jsonl")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def read_anchors(path: Path | None = None) -> list[Anchor] | None:
    """Every anchor in the file, oldest first; None when there is no file."""
    path = path or anchor_path()
    try:
        text = path.read_text()
    except FileNotFoundError:
        return None
    anchors = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            anchors.append(Anchor(int(raw["id"]), str(raw["hash"]), int(raw["count"]), str(raw["at"])))
        except (ValueError, KeyError, TypeError):
            raise AnchorUnreadable(f"{path} line {number} is not an anchor") from None
    return anchors


def record(entry_id: int, digest: str, count: int) -> None:
    """Append the head the writer has just committed."""
    path = anchor_path()
    with file_lock(path):
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, Anchor(entry_id, digest, count, now()).line().encode())
        finally:
            os.close(fd)


def set_aside() -> Path | None:
    """Rename the anchor file (kept as evidence) so that the log is anchored afresh: after a
    database restore, whose log rightly lacks the newest entries the file names."""
    path = anchor_path()
    with file_lock(path):
        if not path.exists():
            return None
        kept = path.with_name(f"{path.name}.set-aside-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}")
        os.replace(path, kept)
        return kept


def replace_with(head: Anchor) -> None:
    """After a verification: the verified head, plus whatever was anchored beyond it meanwhile."""
    path = anchor_path()
    with file_lock(path):
        later = [a for a in read_anchors(path) or [] if a.count > head.count]
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".audit-anchor-")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.writelines(a.line() for a in [head, *later])
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
