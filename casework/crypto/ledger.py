"""The erasure ledger file: ids of erased participants, kept next to the key file.

Why a file as well as the `erasure_ledger` table: a database restored from a backup taken
before an erasure still holds the participant's wrapped data key and the old ledger table.
The file lives with the key file, outside the database and its backups, so it survives the
restore. Every data-key load checks it (an erased id never decrypts, even before
`casework gdpr replay-erasures` has re-applied the erasure), and the replay reads it.

One JSON object per line: participant id, time and kind. No personal data. The file is
append-only and written *before* the database transaction commits (write-ahead): once an id is
in it, the erasure is guaranteed to take effect, at the latest at the next replay.
"""

import json
import os
from pathlib import Path

from flask import current_app

from casework.web.commands import protect_file

EXTENSION_KEY = "casework.erasure_ledger"


def ledger_path() -> Path:
    """CASEWORK_ERASURE_LEDGER_FILE (or the app setting), else `erasure-ledger.jsonl` beside the key file."""
    configured = current_app.config.get("ERASURE_LEDGER_FILE") or os.environ.get("CASEWORK_ERASURE_LEDGER_FILE")
    if configured:
        return Path(configured)
    return Path(current_app.config["MASTER_KEY_FILE"]).with_name("erasure-ledger.jsonl")


def _signature(path: Path):
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def read_entries(path: Path | None = None) -> list[dict]:
    path = path or ledger_path()
    if not path.exists():
        return []
    entries = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if line.strip():
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError:
                raise RuntimeError(f"{path} line {number}: not a ledger entry") from None
    return entries


def erased_ids() -> frozenset[str]:
    """The ids in the ledger file, re-read only when the file has changed."""
    path = ledger_path()
    signature = _signature(path)
    cached = current_app.extensions.get(EXTENSION_KEY)
    if cached and cached[0] == (str(path), signature):
        return cached[1]
    ids = frozenset(e["participant_id"] for e in read_entries(path))
    current_app.extensions[EXTENSION_KEY] = ((str(path), signature), ids)
    return ids


def append(participant_id: str, erased_at: str, kind: str) -> None:
    """Append one entry durably (fsync) with mode 0600; an id already present is not repeated."""
    if participant_id in erased_ids():
        return
    path = ledger_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"participant_id": participant_id, "erased_at": erased_at, "kind": kind},
                      separators=(",", ":")) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def _ledger_of(app) -> Path:
    with app.app_context():
        return ledger_path()


protect_file(_ledger_of)  # no `--output` may write it
