"""Index files: a magic line, a JSON header, the arrays; signed with the partnership's key.

The header names the owning agency, its contact, the partnership (by a fingerprint of the
key, not the key) and the SHA-256 of the arrays. The building agency signs the header with
its Ed25519 key (``unweave.linkage.signing``), and an HMAC-SHA256 under the partnership's
signing key covers the whole. A file altered anywhere, signed under another partnership's
key, or not signed by the agency it names with a key registered on this node, is refused
before any of it is used. The arrays are stored uncompressed, so that what crosses between
nodes can be inspected byte for byte.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
from pathlib import Path
from typing import Any

import numpy as np

from unweave.errors import InvalidInput
from unweave.linkage.encode import Index
from unweave.linkage.keys import PartnershipKey
from unweave.linkage.signing import Signer, verify

MAGIC = b"UNWEAVE-LINKAGE-INDEX 1\n"
ARRAYS = (
    "refs",
    "names",
    "skeletons",
    "dates",
    "block_keys",
    "block_rows",
    "id_hashes",
    "id_kinds",
    "id_rows",
)
HINT = "ask the owner for a fresh index, signed with this partnership's key"


def _canonical(header: dict[str, Any]) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode()


def _sign(key: PartnershipKey, header: dict[str, Any]) -> str:
    return hmac.new(key.derive("sign"), _canonical(header), hashlib.sha256).hexdigest()


def dumps(index: Index, key: PartnershipKey, signer: Signer) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **{name: getattr(index, name) for name in ARRAYS})
    body = buffer.getvalue()
    header = dict(index.header)
    header.update(
        partnership=key.fingerprint,
        entries=len(index),
        body_sha256=hashlib.sha256(body).hexdigest(),
    )
    for name in ("signature", "agency_signature"):
        header.pop(name, None)
    header["agency_key"] = signer.public_key
    header["agency_signature"] = signer.sign(_canonical(header))
    header["signature"] = _sign(key, header)
    index.header = header
    return MAGIC + json.dumps(header, sort_keys=True).encode() + b"\n" + body


def loads(data: bytes, key: PartnershipKey, trust: dict[str, str], name: str = "index") -> Index:
    """The index, if its signatures hold: the partnership's under this key, the agency's
    under a key of ``trust`` (public key -> agency) registered for the agency it names;
    else InvalidInput naming why."""
    if not data.startswith(MAGIC):
        raise InvalidInput(name, "not an Unweave linkage index", hint=HINT)
    end = data.find(b"\n", len(MAGIC))
    try:
        header = json.loads(data[len(MAGIC) : end])
        signature = header.pop("signature")
    except (ValueError, KeyError, AttributeError) as exc:
        raise InvalidInput(name, "unreadable index header", field="header", hint=HINT) from exc
    if header.get("partnership") != key.fingerprint:
        raise InvalidInput(
            name,
            "refused: signed for another partnership (a foreign index)",
            field="partnership",
            hint=HINT,
        )
    if not hmac.compare_digest(str(signature), _sign(key, header)):
        raise InvalidInput(name, "refused: the header signature does not hold", hint=HINT)
    agency_signature = header.pop("agency_signature", None)
    if not agency_signature or "agency_key" not in header:
        raise InvalidInput(name, "refused: not signed by its agency", field="agency_signature")
    verify(
        trust,
        str(header.get("agency")),
        str(header["agency_key"]),
        str(agency_signature),
        _canonical(header),
        name,
    )
    body = data[end + 1 :]
    if hashlib.sha256(body).hexdigest() != header.get("body_sha256"):
        raise InvalidInput(name, "refused: the entries were altered after signing", hint=HINT)
    try:
        with np.load(io.BytesIO(body), allow_pickle=False) as arrays:
            fields = {n: arrays[n] for n in ARRAYS}
    except (ValueError, KeyError, OSError) as exc:
        raise InvalidInput(name, "unreadable index arrays", hint=HINT) from exc
    header["agency_signature"] = agency_signature
    header["signature"] = signature
    return Index(**fields, header=header)


def write(index: Index, key: PartnershipKey, signer: Signer, path: str | Path) -> None:
    target = Path(path)
    tmp = target.with_name(target.name + ".part")
    tmp.write_bytes(dumps(index, key, signer))
    tmp.replace(target)


def read(path: str | Path, key: PartnershipKey, trust: dict[str, str]) -> Index:
    source = Path(path)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise InvalidInput(str(source), f"cannot read the index ({exc.strerror})") from exc
    return loads(data, key, trust, str(source))
