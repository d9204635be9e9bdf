"""The victim key: AES-GCM encryption of victims' identifying values, blind tokens, pseudonyms.

The key is never in the database. It comes from ``UNWEAVE_VICTIM_KEY`` (32 bytes, base64)
or from the file named by ``UNWEAVE_VICTIM_KEY_FILE`` (one base64 key a line: the first is
the current key, the lines after it older keys kept to read what they encrypted until
``unweave victims rotate`` has re-encrypted it). Each key has a short id, derived from the
key itself, which is stored beside every ciphertext so that keys can rotate.

Three sub-keys are derived from each key with HKDF-SHA256, one per use, so that no value
serves two purposes: AES-GCM encryption of values, keyed HMAC "blind" search tokens (an
authorised reader can still find a victim by a whole name or phone), and the ids of
protected statements (FtM's statement key is a hash of the value: a birth date would be
recovered from it by trying every day of a century).

A ciphertext is ``uwv1.<key id>.<base64url(nonce || ciphertext+tag)>``; the entity id and
property are its associated data, so a ciphertext moved to another row does not decrypt.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from unweave import settings
from unweave.errors import ConfigError

PREFIX = "uwv1."
KEY_HINT = (
    f"set {settings.VICTIM_KEY.env} (32 random bytes, base64: `unweave victims keygen`) or "
    f"{settings.VICTIM_KEY_FILE.env} (a file holding it), the same key every process uses"
)


def _derive(secret: bytes, purpose: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"unweave-victims", info=purpose.encode()
    ).derive(secret)


@dataclass(frozen=True)
class VictimKey:
    id: str  # 8 hex characters, stored with each ciphertext
    encrypt_key: bytes
    blind_key: bytes
    id_key: bytes

    @classmethod
    def from_secret(cls, secret: bytes) -> VictimKey:
        if len(secret) != 32:
            raise ConfigError(
                f"the victim key must be 32 bytes (base64 of 32 bytes), not {len(secret)}",
                hint=KEY_HINT,
            )
        kid = hashlib.sha256(b"unweave-victim-key-id" + secret).hexdigest()[:8]
        return cls(
            kid, _derive(secret, "encrypt"), _derive(secret, "blind"), _derive(secret, "id")
        )

    def _mac(self, key: bytes, text: str) -> str:
        return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()

    def blind(self, token: str) -> str:
        """A search token no one can read or test without the key (letters and digits)."""
        return "v" + self._mac(self.blind_key, token)[:24]

    def statement_id(self, plain_id: str) -> str:
        """The id a protected statement is stored under (40 characters, like FtM's)."""
        return "v" + self._mac(self.id_key, plain_id)[:39]

    def encrypt(self, text: str, entity_id: str, prop: str) -> str:
        nonce = os.urandom(12)
        sealed = AESGCM(self.encrypt_key).encrypt(nonce, text.encode(), _aad(entity_id, prop))
        return f"{PREFIX}{self.id}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"


@dataclass(frozen=True)
class Keyring:
    current: VictimKey
    older: tuple[VictimKey, ...] = ()

    def get(self, kid: str) -> VictimKey:
        for key in (self.current, *self.older):
            if key.id == kid:
                return key
        raise ConfigError(
            f"victim data was encrypted with key {kid}, which is not the key given "
            f"(key {self.current.id})",
            hint="give the right key; after a rotation keep the old key on a later line of "
            f"{settings.VICTIM_KEY_FILE.env} until `unweave victims rotate` has run",
        )

    def decrypt(self, sealed: str, entity_id: str, prop: str) -> str:
        kid, data = key_id(sealed), sealed[len(PREFIX) + 9 :]
        key = self.get(kid)
        try:
            raw = base64.urlsafe_b64decode(data)
            plain = AESGCM(key.encrypt_key).decrypt(raw[:12], raw[12:], _aad(entity_id, prop))
        except (InvalidTag, ValueError, binascii.Error):
            raise ConfigError(
                f"a protected value of {entity_id} does not decrypt with key {kid}: the key "
                "is wrong or the value was altered",
                hint=KEY_HINT,
            ) from None
        return plain.decode()


def _aad(entity_id: str, prop: str) -> bytes:
    return f"{entity_id}\x1f{prop}".encode()


def is_sealed(value: str | None) -> bool:
    return value is not None and value.startswith(PREFIX)


def key_id(sealed: str) -> str:
    return sealed[len(PREFIX) : len(PREFIX) + 8]


def _parse(text: str, where: str) -> bytes:
    try:
        return base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ConfigError(f"{where} is not base64", hint=KEY_HINT) from None


@lru_cache(maxsize=8)
def _keyring(inline: str, path: str, _stamp: tuple[int, int] | None) -> Keyring | None:
    secrets: list[bytes] = []
    if inline.strip():
        secrets.append(_parse(inline, settings.VICTIM_KEY.env))
    elif path:
        file = Path(path)
        if not file.is_file():
            raise ConfigError(f"{settings.VICTIM_KEY_FILE.env}: no file {path}", hint=KEY_HINT)
        lines = [ln for ln in file.read_text(encoding="ascii").splitlines() if ln.strip()]
        secrets = [_parse(ln, f"line {i} of {path}") for i, ln in enumerate(lines, 1)]
        if not secrets:
            raise ConfigError(f"the victim key file {path} is empty", hint=KEY_HINT)
    if not secrets:
        return None
    keys = [VictimKey.from_secret(s) for s in secrets]
    return Keyring(keys[0], tuple(keys[1:]))


def keyring() -> Keyring | None:
    """The configured keys, or None when no key is configured."""
    inline, path = settings.VICTIM_KEY.get(), settings.VICTIM_KEY_FILE.get()
    stamp = None
    if path and not inline.strip() and Path(path).is_file():
        info = Path(path).stat()
        stamp = (info.st_mtime_ns, info.st_size)  # a key file changed is read again
    return _keyring(inline, path, stamp)


def require_keyring(why: str) -> Keyring:
    ring = keyring()
    if ring is None:
        raise ConfigError(f"no victim key: {why}", hint=KEY_HINT)
    return ring


def pseudonym(entity_id: str) -> str:
    """The stable name a victim is shown under to readers who may not see who they are.

    Derived from the entity id alone (which those readers see anyway), so that it is the
    same on every page and export, and readers without the key can be shown it.
    """
    digest = hashlib.sha256(f"unweave-victim-pseudonym\x1f{entity_id}".encode()).hexdigest()
    return f"Victim V-{digest[:6].upper()}"


def new_secret() -> str:
    return base64.b64encode(os.urandom(32)).decode()
