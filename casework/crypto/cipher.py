"""Field encryption: AES-256-GCM, a fresh random nonce per value, row-bound associated data.

Stored value layout: version (1 byte) | data key id (16 bytes, a UUID) | nonce (12) | ciphertext+tag.
The plaintext is PKCS7-padded to 16-byte blocks so that the length of a short value tells little.
"""

import secrets
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from casework.errors import KeyUnavailable

VERSION = 1
NONCE_BYTES = 12
HEADER = 1 + 16 + NONCE_BYTES


def field_aad(table: str, column: str, row_id: str) -> bytes:
    """Binds a ciphertext to its place; never contains personal data."""
    return f"casework/v{VERSION}/{table}/{column}/{row_id}".encode()


def wrap_aad(participant_id: str, key_id: str) -> bytes:
    return f"casework/v{VERSION}/data_keys/{participant_id}/{key_id}".encode()


def seal(key: bytes, key_id: str, aad: bytes, plaintext: str) -> bytes:
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plaintext.encode()) + padder.finalize()
    nonce = secrets.token_bytes(NONCE_BYTES)
    return bytes([VERSION]) + uuid.UUID(key_id).bytes + nonce + AESGCM(key).encrypt(nonce, padded, aad)


class Sealer:
    """`seal` for many values under one data key (a bulk import): the same layout and padding,
    without making the cipher and the padder anew for each value."""

    def __init__(self, key: bytes, key_id: str):
        self._prefix = bytes([VERSION]) + uuid.UUID(key_id).bytes
        self._aead = AESGCM(key)

    def __call__(self, aad: bytes, plaintext: str) -> bytes:
        data = plaintext.encode()
        pad = 16 - len(data) % 16  # PKCS7 for 128-bit blocks, as `seal`
        nonce = secrets.token_bytes(NONCE_BYTES)
        return self._prefix + nonce + self._aead.encrypt(nonce, data + bytes([pad]) * pad, aad)


def key_id_of(blob: bytes) -> str:
    if not blob or blob[0] != VERSION or len(blob) < HEADER + 16:
        raise KeyUnavailable("keys.not_ciphertext", "Not a Casework ciphertext.")
    return str(uuid.UUID(bytes=bytes(blob[1:17])))


def open_sealed(key: bytes, aad: bytes, blob: bytes) -> str:
    blob = bytes(blob)
    key_id_of(blob)
    nonce, body = blob[17:HEADER], blob[HEADER:]
    try:
        padded = AESGCM(key).decrypt(nonce, body, aad)
    except InvalidTag:
        raise KeyUnavailable("keys.wrong_place", "The value does not decrypt with its key in this place.") from None
    unpadder = padding.PKCS7(128).unpadder()
    return (unpadder.update(padded) + unpadder.finalize()).decode()


def wrap_key(master: bytes, aad: bytes, data_key: bytes) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + AESGCM(master).encrypt(nonce, data_key, aad)


def unwrap_key(master: bytes, aad: bytes, wrapped: bytes) -> bytes:
    wrapped = bytes(wrapped)
    try:
        return AESGCM(master).decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], aad)
    except InvalidTag:
        raise KeyUnavailable("keys.unwrap_failed", "A data key does not unwrap with its master key.") from None
