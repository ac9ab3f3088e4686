"""Accessors for encrypted columns: `participant.name`, `event.note` and the like.

An accessor reads and writes its ciphertext column (`name_enc`) through the crypto service,
so no call site spells out where a value belongs. The associated data is what the service has
always bound to: the model's `__tablename__`, the accessor's own name as the column (`name`,
not `name_enc`) and the row's `id`; the data key is that of the participant named by the model's
`data_key_owner` attribute (`id` on a participant, `participant_id` on the rows that belong to
one). Values written before the accessors existed therefore still decrypt, and a value moved to
another row, column or participant does not.

Every read decrypts anew: nothing in clear is kept on the object, so keep a value in a local
rather than reading it twice. Reading fails closed (KeyUnavailable) like the service. An
accessor does not write the access log: the services that read personal data do, once per
purpose, as they always have.

A bulk path that builds column values without an ORM object (the importer) calls the class-level
accessor instead, `Event.note.encrypt(participant_id, event_id, text)`, with the same binding.
"""

from collections.abc import Callable

from casework.crypto import service as crypto
from casework.crypto.cipher import field_aad


class EncryptedText:
    """A str (or None) stored encrypted under the owning participant's data key."""

    def __init__(self, stored: str):
        self.stored = stored
        self.table = self.column = self.owner = ""

    def __set_name__(self, model, name: str) -> None:
        self.column = name
        self.table = model.__tablename__
        self.owner = model.data_key_owner

    def __get__(self, row, model=None):
        if row is None:
            return self
        return self.decrypt(getattr(row, self.owner), row.id, getattr(row, self.stored))

    def __set__(self, row, value) -> None:
        setattr(row, self.stored, self.encrypt(_known(row, self.owner), _known(row, "id"), value))

    def encrypt(self, participant_id: str, row_id: str, value: str | None) -> bytes | None:
        return crypto.encrypt_text(participant_id, self.table, self.column, row_id, value)

    def decrypt(self, participant_id: str, row_id: str, blob: bytes | None) -> str | None:
        return crypto.decrypt_text(participant_id, self.table, self.column, row_id, blob)

    def encrypter(self, participant_id: str) -> Callable[[str, str | None], bytes | None]:
        """`encrypt` for many rows of one participant (a bulk import): the same ciphertexts."""
        seal, table, column = crypto.sealer(participant_id), self.table, self.column
        return lambda row_id, value: None if value is None else seal(field_aad(table, column, row_id), value)


class EncryptedJson(EncryptedText):
    """A dict stored encrypted as JSON; an empty dict is stored as NULL and NULL reads as {}."""

    def encrypt(self, participant_id: str, row_id: str, value: dict | None) -> bytes | None:
        return crypto.encrypt_json(participant_id, self.table, self.column, row_id, value)

    def decrypt(self, participant_id: str, row_id: str, blob: bytes | None) -> dict:
        return crypto.decrypt_json(participant_id, self.table, self.column, row_id, blob)

    def encrypter(self, participant_id: str) -> Callable[[str, dict | None], bytes | None]:
        encrypt_text = super().encrypter(participant_id)
        return lambda row_id, value: encrypt_text(row_id, crypto.json_text(value)) if value else None


class SealedSecret:
    """A secret that belongs to no participant (a user's TOTP secret), sealed by the active master
    key; `key_id` names the column that records which master key sealed it."""

    def __init__(self, stored: str, key_id: str):
        self.stored, self.key_id = stored, key_id
        self.table = self.column = ""

    def __set_name__(self, model, name: str) -> None:
        self.column = name
        self.table = model.__tablename__

    def __get__(self, row, model=None):
        if row is None:
            return self
        blob = getattr(row, self.stored)
        if blob is None:
            return None
        return crypto.open_system_secret(getattr(row, self.key_id), self.table, self.column, row.id, blob)

    def __set__(self, row, value: str | None) -> None:
        if value is None:
            key_id, blob = None, None
        else:
            key_id, blob = crypto.seal_system_secret(self.table, self.column, _known(row, "id"), value)
        setattr(row, self.key_id, key_id)
        setattr(row, self.stored, blob)


def _known(row, attribute: str) -> str:
    """A ciphertext is bound to its row and participant, so both must be set before a write
    (ids are made by the application, not by the database, for this reason)."""
    value = getattr(row, attribute)
    if value is None:
        raise ValueError(f"{type(row).__name__}.{attribute} must be set before an encrypted value is written.")
    return value
