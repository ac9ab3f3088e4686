"""The key file: master keys (wrap participants' data keys), blind-index keys and the audit key.

All live outside the database, in the file named by CASEWORK_MASTER_KEY_FILE, so that a
database dump alone cannot decrypt anything (nor re-sign the access log). Several master keys may
be present during a rotation; exactly one of each kind is active.

The file is made only by `casework keys init` (`init_key_file`): a missing file is an error,
never a reason to make a new one, since a new key file silently cannot read anything already
stored. A key file made before the audit key existed gets one added the first time this version
loads it (`add_audit_key_if_missing`), the way a rotation adds a master key: written atomically,
under a lock, and picked up by every other process when it sees the file changed on disk.
"""

import base64
import contextlib
import errno
import fcntl
import json
import logging
import os
import secrets
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from casework.errors import KeyUnavailable

FORMAT = "casework-keyring/1"
KEY_BYTES = 32
ENV_VARIABLE = "CASEWORK_MASTER_KEY_FILE"
log = logging.getLogger(__name__)


class KeyFileMissing(KeyUnavailable):
    """There is no key file where the configuration points: a typo, or `keys init` not yet run."""

    def __init__(self, path: Path):
        super().__init__("keys.file_missing",
                         f"No key file at {path}. Set {ENV_VARIABLE} to the path of the existing key file, "
                         "or create a new one with `casework keys init`.", path=str(path))


class KeyFileExists(KeyUnavailable):
    status = 409

    def __init__(self, path: Path):
        super().__init__(f"A key file already exists at {path}; `casework keys init` never replaces one.")


@dataclass
class KeyEntry:
    id: str
    key: bytes
    created: str
    status: str = "active"  # active | previous (rotation under way) | retired (no longer used)
    retired: str | None = None

    def to_json(self) -> dict:
        data = {"id": self.id, "key": base64.b64encode(self.key).decode() if self.key else None,
                "created": self.created, "status": self.status}
        return data | ({"retired": self.retired} if self.retired else {})

    @classmethod
    def from_json(cls, raw: dict) -> "KeyEntry":
        return cls(id=raw["id"], key=base64.b64decode(raw["key"]) if raw.get("key") else b"",
                   created=raw["created"], status=raw.get("status", "active"), retired=raw.get("retired"))

    def retire(self) -> None:
        self.status = "retired"
        self.retired = datetime.now(UTC).isoformat(timespec="seconds")

    @classmethod
    def generate(cls, prefix: str) -> "KeyEntry":
        return cls(id=f"{prefix}-{secrets.token_hex(6)}", key=secrets.token_bytes(KEY_BYTES),
                   created=datetime.now(UTC).isoformat(timespec="seconds"))


@dataclass
class Keyring:
    path: Path
    master_keys: list[KeyEntry] = field(default_factory=list)
    blind_index_keys: list[KeyEntry] = field(default_factory=list)
    audit_keys: list[KeyEntry] = field(default_factory=list)
    signature: tuple | None = None

    def changed_on_disk(self) -> bool:
        return file_signature(self.path) != self.signature

    @property
    def active_master(self) -> KeyEntry:
        return _active(self.master_keys, "master")

    @property
    def active_blind_index(self) -> KeyEntry:
        return _active(self.blind_index_keys, "blind index")

    @property
    def active_audit(self) -> KeyEntry:
        return _active(self.audit_keys, "audit")

    def audit_key(self, key_id: str) -> bytes:
        """Any audit key still in the file: entries signed before a change of key stay checkable."""
        for entry in self.audit_keys:
            if entry.id == key_id and entry.key:
                return entry.key
        raise KeyUnavailable("keys.audit_key_missing", f"The audit key {key_id} is not in the key file.", key_id=key_id)

    def master_key(self, key_id: str) -> bytes:
        for entry in self.master_keys:
            if entry.id == key_id and entry.status != "retired":
                return entry.key
        raise KeyUnavailable("keys.master_not_held", "The master key that wrapped this data key is not held.")

    def master_key_material(self, key_id: str) -> bytes:
        """Also a retired key whose material is still in the file: only a rotation uses this, to
        re-wrap data keys from a database restored from a backup older than the last rotation."""
        for entry in self.master_keys:
            if entry.id == key_id and entry.key:
                return entry.key
        raise KeyUnavailable("keys.master_purged", f"The master key {key_id} is not in the key file (purged).",
                             key_id=key_id)

    @property
    def usable_blind_index_keys(self) -> list[KeyEntry]:
        """The active key first, then a previous one while an index rebuild is under way."""
        return sorted((k for k in self.blind_index_keys if k.status in ("active", "previous")),
                      key=lambda k: k.status != "active")

    def save(self, *, new: bool = False) -> None:
        """Write atomically with mode 0600: a crash mid-write never leaves a half file.

        `new`: the file must not exist yet (a hard link fails rather than replace one).
        """
        payload = {"format": FORMAT, "master_keys": [k.to_json() for k in self.master_keys],
                   "blind_index_keys": [k.to_json() for k in self.blind_index_keys],
                   "audit_keys": [k.to_json() for k in self.audit_keys]}
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".keyring-")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w") as handle:
                json.dump(payload, handle, indent=1)
                handle.flush()
                os.fsync(handle.fileno())
            if new:
                os.link(tmp, self.path)
            else:
                os.replace(tmp, self.path)
            self.signature = file_signature(self.path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)


def file_signature(path: Path) -> tuple | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def _active(entries: list[KeyEntry], kind: str) -> KeyEntry:
    active = [e for e in entries if e.status == "active"]
    if len(active) != 1:
        raise KeyUnavailable("keys.active_count", f"The key file must hold exactly one active {kind} key.",
                             kind=kind)
    return active[0]


def load_keyring(path: str | Path) -> Keyring:
    """The key file as it is on disk; KeyFileMissing if there is none (never made here)."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise KeyFileMissing(path) from None
    if mode & 0o077:
        log.warning("The key file %s is readable by other users; set its mode to 0600.", path)
    signature = file_signature(path)
    raw = json.loads(path.read_text())
    if raw.get("format") != FORMAT:
        raise KeyUnavailable("keys.file_invalid", f"{path} is not a Casework key file.", path=str(path))
    return Keyring(path, [KeyEntry.from_json(k) for k in raw["master_keys"]],
                   [KeyEntry.from_json(k) for k in raw["blind_index_keys"]],
                   [KeyEntry.from_json(k) for k in raw.get("audit_keys", [])], signature)


def init_key_file(path: str | Path) -> Keyring:
    """Make a new key file (one key of each kind), mode 0600; its folder 0700 if made here.

    Refuses (KeyFileExists) when a file is there already, also one made at the same moment by
    another process: replacing a key file would make everything stored with it unreadable.
    """
    path = Path(path)
    _make_private_folder(path.parent)
    if path.exists():
        raise KeyFileExists(path)
    keyring = Keyring(path, [KeyEntry.generate("mk")], [KeyEntry.generate("bi")], [KeyEntry.generate("ak")])
    try:
        keyring.save(new=True)
    except FileExistsError:
        raise KeyFileExists(path) from None
    return keyring


def _make_private_folder(folder: Path) -> None:
    """Create the missing folders with mode 0700 (set explicitly: the umask may be looser)."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for created in reversed(missing):
        try:
            created.mkdir(mode=0o700)
        except FileExistsError:
            continue
        os.chmod(created, 0o700)


@contextlib.contextmanager
def file_lock(path: Path):
    """Serialise changes to a file between processes (flock on a lock file beside it, released if
    one dies): the key file, and the audit anchor, whose verification swaps the file itself."""
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def add_audit_key_if_missing(keyring: Keyring) -> Keyring:
    """A key file from before the audit key gets one; re-read under the lock so that two
    processes starting together add one key, not two."""
    if keyring.audit_keys:
        return keyring
    try:
        with file_lock(keyring.path):
            current = load_keyring(keyring.path)
            if not current.audit_keys:
                current.audit_keys.append(KeyEntry.generate("ak"))
                current.save()
                log.warning("Added an audit key to the key file %s (it signs the access log).", keyring.path)
            return current
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EROFS, errno.EPERM):
            raise KeyUnavailable("keys.audit_key_unwritable",
                                 f"The key file {keyring.path} has no audit key and cannot be written to add "
                                 "one; make it writable by the service once.") from None
        raise
