"""The key file: master keys (wrap participants' data keys) and blind-index keys.

Both live outside the database, in the file named by CASEWORK_MASTER_KEY_FILE, so that a
database dump alone cannot decrypt anything. Several master keys may be present during a
rotation; exactly one of each kind is active.
"""

import base64
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
log = logging.getLogger(__name__)


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
    signature: tuple | None = None

    def changed_on_disk(self) -> bool:
        return file_signature(self.path) != self.signature

    @property
    def active_master(self) -> KeyEntry:
        return _active(self.master_keys, "master")

    @property
    def active_blind_index(self) -> KeyEntry:
        return _active(self.blind_index_keys, "blind index")

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

    def save(self) -> None:
        """Write atomically with mode 0600: a crash mid-write never leaves a half file."""
        payload = {"format": FORMAT, "master_keys": [k.to_json() for k in self.master_keys],
                   "blind_index_keys": [k.to_json() for k in self.blind_index_keys]}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".keyring-")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w") as handle:
                json.dump(payload, handle, indent=1)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
            self.signature = file_signature(self.path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise


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


def load_keyring(path: str | Path, *, create: bool = True) -> Keyring:
    path = Path(path)
    if not path.exists():
        if not create:
            raise KeyUnavailable("keys.file_missing", f"No key file at {path}.", path=str(path))
        keyring = Keyring(path, [KeyEntry.generate("mk")], [KeyEntry.generate("bi")])
        keyring.save()
        log.warning("Created a new key file at %s. Back it up separately and keep it out of "
                    "database backups: without it nothing encrypted can be read.", path)
        return keyring
    if path.stat().st_mode & 0o077:
        log.warning("The key file %s is readable by other users; set its mode to 0600.", path)
    signature = file_signature(path)
    raw = json.loads(path.read_text())
    if raw.get("format") != FORMAT:
        raise KeyUnavailable("keys.file_invalid", f"{path} is not a Casework key file.", path=str(path))
    return Keyring(path, [KeyEntry.from_json(k) for k in raw["master_keys"]],
                   [KeyEntry.from_json(k) for k in raw["blind_index_keys"]], signature)
