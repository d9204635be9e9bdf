"""Who built an index: the building agency's Ed25519 signature, checked against the public
keys registered on this node.

The partnership's HMAC proves that an index comes from within the partnership; any partner
could forge it. So each agency also signs its indexes with its own private key (from
``UNWEAVE_LINKAGE_SIGNING_KEY`` or a key file, never from the store); each node registers
its partners' public keys (and its own) in ``linkage_agency_keys``. An index is accepted
only if the key that signed it is registered, not revoked, for the agency the index names.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import select

from unweave import settings
from unweave.errors import ConfigError, InvalidInput
from unweave.store import audit
from unweave.store.db import Store
from unweave.store.registry import utcnow
from unweave.store.tables import linkage_agency_keys

KEY_HINT = "register it: unweave linkage keys add AGENCY PUBLIC_KEY (the key its owner gave you)"


@dataclass(frozen=True)
class Signer:
    """This node's agency signing key."""

    private: Ed25519PrivateKey

    @property
    def public_key(self) -> str:
        raw = self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return base64.b64encode(raw).decode()

    def sign(self, body: bytes) -> str:
        return base64.b64encode(self.private.sign(body)).decode()


@dataclass(frozen=True)
class AgencyKey:
    agency: str
    public_key: str
    registered_by: str
    registered_at: datetime
    revoked_at: datetime | None


def _raw(text: str, length: int, what: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != length:
        raise ConfigError(f"{what}: not an Ed25519 key ({length} bytes in base64)")
    return raw


def generate() -> Signer:
    return Signer(Ed25519PrivateKey.generate())


def private_text(signer: Signer) -> str:
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

    raw = signer.private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return base64.b64encode(raw).decode()


def load_signer(key_file: str | Path | None = None) -> Signer:
    """The signing key from ``--signing-key-file``, else the key file or key setting."""
    env_file = settings.LINKAGE_SIGNING_KEY_FILE.get()
    path = key_file or env_file or None
    if path is not None:
        try:
            text = Path(path).read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read the agency signing key") from exc
        source = str(path)
    else:
        text = settings.LINKAGE_SIGNING_KEY.get()
        source = settings.LINKAGE_SIGNING_KEY.env
        if not text.strip():
            raise ConfigError(
                "no agency signing key",
                hint=f"set {source} or {settings.LINKAGE_SIGNING_KEY_FILE.env}, or pass "
                "--signing-key-file FILE (`unweave linkage keygen` makes one)",
            )
    return Signer(Ed25519PrivateKey.from_private_bytes(_raw(text, 32, source)))


def register(store: Store, agency: str, public_key: str, by: str) -> AgencyKey:
    """Accept indexes signed with this key as the agency's (audited)."""
    _raw(public_key, 32, "public key")
    public_key = public_key.strip()
    with store.engine.begin() as conn:
        found = conn.execute(
            select(linkage_agency_keys).where(linkage_agency_keys.c.public_key == public_key)
        ).first()
        if found is not None:
            if found.agency != agency or found.revoked_at is not None:
                raise ConfigError(
                    f"this key is already registered for {found.agency}"
                    + (" and was revoked" if found.revoked_at is not None else ""),
                    hint="each agency signs with keys of its own; a revoked key stays revoked",
                )
            return AgencyKey(*found[1:6])
        conn.execute(
            linkage_agency_keys.insert().values(
                agency=agency, public_key=public_key, registered_by=by, registered_at=utcnow()
            )
        )
        audit.append(conn, by, "linkage_key", {"agency": agency, "registered": public_key})
    return next(k for k in list_keys(store) if k.public_key == public_key)


def revoke(store: Store, agency: str, public_key: str, by: str) -> None:
    with store.engine.begin() as conn:
        done = conn.execute(
            linkage_agency_keys.update()
            .where(
                linkage_agency_keys.c.agency == agency,
                linkage_agency_keys.c.public_key == public_key.strip(),
                linkage_agency_keys.c.revoked_at.is_(None),
            )
            .values(revoked_at=utcnow(), revoked_by=by)
        ).rowcount
        if not done:
            raise ConfigError(f"no registered key of {agency} is {public_key.strip()!r}")
        audit.append(conn, by, "linkage_key", {"agency": agency, "revoked": public_key})


def list_keys(store: Store) -> list[AgencyKey]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(linkage_agency_keys).order_by(
                linkage_agency_keys.c.agency, linkage_agency_keys.c.id
            )
        ).all()
    return [AgencyKey(*r[1:6]) for r in rows]


def trusted(store: Store) -> dict[str, str]:
    """Registered public keys not revoked -> their agency."""
    return {k.public_key: k.agency for k in list_keys(store) if k.revoked_at is None}


def require_registered(store: Store, signer: Signer, agency: str) -> None:
    """Before signing an index of ``agency``: the node's key must be registered for it, or
    no partner (and not this node) would accept the index."""
    if trusted(store).get(signer.public_key) != agency:
        raise ConfigError(
            f"the agency signing key is not registered for {agency} on this node",
            hint=f"unweave linkage keys add {agency} {signer.public_key}",
        )


def verify(
    trust: dict[str, str], agency: str, key: str, signature: str, body: bytes, name: str
) -> None:
    """Refuse (InvalidInput) an index not signed by the agency it names."""
    owner = trust.get(key)
    if owner is None:
        raise InvalidInput(
            name,
            f"refused: signed with a key not registered for any agency (it claims {agency})",
            field="agency_key",
            hint=KEY_HINT,
        )
    if owner != agency:
        raise InvalidInput(
            name,
            f"refused: signed by {owner}, not by {agency} which the index names",
            field="agency_key",
        )
    try:
        Ed25519PublicKey.from_public_bytes(_raw(key, 32, name)).verify(
            base64.b64decode(signature), body
        )
    except (InvalidSignature, binascii.Error, ValueError) as exc:
        raise InvalidInput(
            name, f"refused: the signature of {agency} does not hold", field="agency_signature"
        ) from exc
