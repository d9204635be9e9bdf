"""Settings, each declared once with its default and help.

Every setting is read from an ``UNWEAVE_<NAME>`` environment variable; the command line can
override the ones that have an option. Secrets (keys) are never stored in committed files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    @property
    def env(self) -> str:
        return f"UNWEAVE_{self.name.upper()}"

    def get(self) -> str:
        return os.environ.get(self.env, self.default)


DATABASE_URL = Setting(
    "database_url",
    "sqlite:///unweave.db",
    "Store address: a SQLite file (the embedded default) or postgresql+psycopg://...",
)
MAX_FILE_SIZE = Setting(
    "max_file_size",
    str(4 * 1024**3),
    "Largest input file accepted by ingest, in bytes.",
)
MAX_ERRORS = Setting(
    "max_errors",
    "50",
    "How many errors an ingest collects before it stops reading a rejected file.",
)
BATCH_SIZE = Setting(
    "batch_size",
    "20000",
    "Statements written to the store per batch during ingest.",
)

USER = Setting(
    "user",
    "",
    "Who is working, recorded on judgements (default: the operating-system user).",
)

VICTIM_KEY = Setting(
    "victim_key",
    "",
    "Key (32 bytes, base64) encrypting victims' identifying fields; never stored in the store.",
)
VICTIM_KEY_FILE = Setting(
    "victim_key_file",
    "",
    "File holding the victim key instead (first line current key, later lines older keys).",
)

LINKAGE_KEY = Setting(
    "linkage_key",
    "",
    "The partnership's shared secret for hit/no-hit indexes (or --key-file); never stored.",
)
LINKAGE_SIGNING_KEY = Setting(
    "linkage_signing_key",
    "",
    "This node's agency signing key (Ed25519, base64; `unweave linkage keygen`); never stored.",
)
LINKAGE_SIGNING_KEY_FILE = Setting(
    "linkage_signing_key_file",
    "",
    "A file holding the agency signing key instead.",
)
LINKAGE_WORKERS = Setting(
    "linkage_workers",
    "",
    "Processes that encode and match large linkage indexes (default: the usable cores).",
)
SECRET_KEY = Setting(
    "secret_key",
    "",
    "Key that signs the login form's CSRF token (default: a random key per server start).",
)
COOKIE_SECURE = Setting(
    "cookie_secure",
    "1",
    "Mark the session cookie Secure (HTTPS only). 0 is honoured only on a loopback address "
    "(tests, the demo on plain http://127.0.0.1).",
)
SESSION_HOURS = Setting("session_hours", "8", "How long a web session lasts, in hours.")
WEB_WORKERS = Setting(
    "web_workers", "1", "Processes of `unweave serve` (each with its threads; --workers)."
)
WEB_THREADS = Setting(
    "web_threads",
    "4",
    "Requests one process of `unweave serve` answers at once; its connection pool is sized "
    "to them (--threads).",
)
WEB_KEEPALIVE_REQUESTS = Setting(
    "web_keepalive_requests",
    "16",
    "With several processes (--workers), a kept-alive connection is closed after this many "
    "answers, so that the processes share the load (0: never).",
)
DEMO_NO_SERVE = Setting(
    "demo_no_serve", "", "1: `make demo` loads and prints, but does not start the server."
)

ALL = [
    DATABASE_URL,
    MAX_FILE_SIZE,
    MAX_ERRORS,
    BATCH_SIZE,
    USER,
    VICTIM_KEY,
    VICTIM_KEY_FILE,
    LINKAGE_KEY,
    LINKAGE_SIGNING_KEY,
    LINKAGE_SIGNING_KEY_FILE,
    LINKAGE_WORKERS,
    SECRET_KEY,
    COOKIE_SECURE,
    SESSION_HOURS,
    WEB_WORKERS,
    WEB_THREADS,
    WEB_KEEPALIVE_REQUESTS,
    DEMO_NO_SERVE,
]


def get_int(setting: Setting) -> int:
    from unweave.errors import ConfigError

    raw = setting.get()
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{setting.env}={raw!r} is not a whole number") from None


def current_user(explicit: str | None = None) -> str:
    """Who is working: an explicit name, else UNWEAVE_USER, else the operating-system user."""
    import getpass

    return explicit or USER.get() or getpass.getuser()
