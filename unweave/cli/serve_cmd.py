"""`unweave serve`: the web interface and the API, under uvicorn."""

from __future__ import annotations

import os
import secrets
from typing import Annotated

import typer

from unweave import settings
from unweave.cli.common import DbOption, console
from unweave.store.db import open_store, resolve_url

HostOption = Annotated[str, typer.Option(help="Address to listen on (loopback by default)")]
PortOption = Annotated[int, typer.Option(help="Port to listen on")]
WorkersOption = Annotated[
    int | None,
    typer.Option(
        help="Processes answering requests (default UNWEAVE_WEB_WORKERS, 1); one per core",
        min=1,
        show_default=False,
    ),
]
ThreadsOption = Annotated[
    int | None,
    typer.Option(
        help="Requests each process answers at once, and its store connections "
        "(default UNWEAVE_WEB_THREADS, 4)",
        min=1,
        show_default=False,
    ),
]


def run_server(
    db: str | None,
    host: str,
    port: int,
    workers: int | None = None,
    threads: int | None = None,
) -> None:
    try:
        import uvicorn

        from unweave.web.app import SERVE_HOST, create_app, settle_memory
    except ModuleNotFoundError as exc:
        from unweave.errors import ConfigError

        raise ConfigError(
            f"the web service needs {exc.name}", hint="pip install 'unweave[web]'"
        ) from None
    workers = workers or int(settings.WEB_WORKERS.get())
    threads = threads or int(settings.WEB_THREADS.get())
    store = open_store(db, pool_size=threads)  # migrated once, here, before any worker
    console.print(f"Unweave is serving on http://{host}:{port}/ (Ctrl-C stops it)")
    if workers == 1:
        app = create_app(store, host=host, threads=threads)
        settle_memory()
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    store.close()
    # Each worker builds its own app (web/app.py: app_from_environment) from these.
    os.environ[settings.DATABASE_URL.env] = resolve_url(db)
    os.environ[settings.WEB_THREADS.env] = str(threads)
    os.environ[SERVE_HOST] = host
    if not settings.SECRET_KEY.get():
        os.environ[settings.SECRET_KEY.env] = secrets.token_urlsafe(32)
    uvicorn.run(
        "unweave.web.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )


def serve(
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    db: DbOption = None,
    workers: WorkersOption = None,
    threads: ThreadsOption = None,
) -> None:
    """Serve the web interface and the API (OpenAPI description at /api/openapi.json)."""
    run_server(db, host, port, workers, threads)
