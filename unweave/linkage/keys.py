"""The partnership's secret and the keys derived from it, one per purpose.

The secret comes from ``UNWEAVE_LINKAGE_KEY`` or a key file, never from the store: a node's
database holds indexes and references, not the means to encode or forge them. Each use
(name bigrams, birth dates, identifiers, blocking, signing) gets its own key, derived by
HMAC-SHA256 from the secret, so that no two kinds of values share a keyed hash space.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from pathlib import Path

from unweave import settings
from unweave.errors import ConfigError

ENV = settings.LINKAGE_KEY.env
MIN_LENGTH = 16
PURPOSES = ("name", "skeleton", "date", "identifier", "block", "sign", "permute")


@dataclass(frozen=True)
class PartnershipKey:
    secret: bytes = field(repr=False)

    def derive(self, purpose: str) -> bytes:
        if purpose not in PURPOSES:
            raise ValueError(f"unknown key purpose {purpose!r}")
        return hmac.new(self.secret, b"unweave-linkage/" + purpose.encode(), "sha256").digest()

    @property
    def fingerprint(self) -> str:
        """Names the partnership in a file header without revealing anything of the key."""
        return hmac.new(self.secret, b"unweave-linkage/fingerprint", "sha256").hexdigest()[:16]


def load_key(key_file: str | Path | None = None) -> PartnershipKey:
    """The key from ``--key-file`` if given, else from ``UNWEAVE_LINKAGE_KEY``."""
    if key_file is not None:
        path = Path(key_file)
        try:
            text = path.read_bytes().strip()
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read the key file ({exc.strerror})") from exc
        source = str(path)
    else:
        text = settings.LINKAGE_KEY.get().strip().encode()
        source = ENV
        if not text:
            raise ConfigError(
                "no partnership key",
                hint=f"set {ENV} or pass --key-file FILE (the secret shared in the partnership)",
            )
    if len(text) < MIN_LENGTH:
        raise ConfigError(f"{source}: the partnership key needs at least {MIN_LENGTH} bytes")
    return PartnershipKey(hashlib.sha256(b"unweave-linkage-secret/" + text).digest())
