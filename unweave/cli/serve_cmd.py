"""`unweave serve`: the web interface and the API, under uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from unweave.cli.common import DbOption, console, store_from

HostOption = Annotated[str, typer.Option(help="Address to listen on (loopback by default)")]
PortOption = Annotated[int, typer.Option(help="Port to listen on")]


def run_server(db: str | None, host: str, port: int) -> None:
    try:
        import uvicorn

        from unweave.web.app import create_app
    except ModuleNotFoundError as exc:
        from unweave.errors import ConfigError

        raise ConfigError(
            f"the web service needs {exc.name}", hint="pip install 'unweave[web]'"
        ) from None
    app = create_app(store_from(db), host=host)
    console.print(f"Unweave is serving on http://{host}:{port}/ (Ctrl-C stops it)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def serve(host: HostOption = "127.0.0.1", port: PortOption = 8000, db: DbOption = None) -> None:
    """Serve the web interface and the API (OpenAPI description at /api/openapi.json)."""
    run_server(db, host, port)
