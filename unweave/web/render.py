"""Pages from Jinja2 templates, every value escaped (autoescape on for every template)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader

TEMPLATES = Path(__file__).parent / "templates"
HANDLING_TITLES = {
    "H0": "law-enforcement purposes only",
    "H1": "not for judicial proceedings without the owner's consent",
    "H2": "not to be passed on without the owner's consent",
    "H3": "other restrictions, written on the data",
}

env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, auto_reload=False)
env.globals["handling_titles"] = HANDLING_TITLES


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    reader = getattr(request.state, "reader", None)
    page = env.get_template(name).render(
        request=request,
        user=reader.user if reader else None,
        csrf=reader.csrf if reader else "",
        path=request.url.path,
        **(context or {}),
    )
    return HTMLResponse(page, status_code=status)
