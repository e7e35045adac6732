"""``asklytics serve``: the API and the web chat UI in one process.

Bound to loopback the embedded default runs without keys; bound to any other
address it refuses to start until auth is configured (a key in keys.json or
``ASKLYTICS_API_KEYS``), so a server is never exposed open by accident.
"""
from __future__ import annotations

import ipaddress

import typer

from app.cli.common import console, fail, load_settings


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything, so it needs auth


def auth_problem(settings) -> str | None:
    """Why this bind is refused, or None when it may start."""
    from app.auth import KeyStoreError, open_key_store

    try:
        has_keys = open_key_store(settings).has_keys()
    except KeyStoreError as exc:
        return str(exc)
    if has_keys or is_loopback(settings.host):
        return None
    return (f"refusing to listen on {settings.host} without API keys: create one with "
            "`asklytics keys create --scope NAME` (or set ASKLYTICS_API_KEYS), or bind to 127.0.0.1")


def serve(
    host: str = typer.Option(None, help="Address to bind (default from ASKLYTICS_HOST, 127.0.0.1)."),
    port: int = typer.Option(None, help="Port (default from ASKLYTICS_PORT, 8000)."),
) -> None:
    """Serve the web UI (http://HOST:PORT/), the API and its docs page (/docs)."""
    import uvicorn

    from app.api import create_app
    from app.services.warehouse import open_warehouse
    from warehouse.errors import WarehouseError

    settings = load_settings(host=host, port=port)
    problem = auth_problem(settings)
    if problem:
        fail(problem)
    try:
        open_warehouse(settings).close()
    except WarehouseError as exc:
        fail(exc.message)
    console.print(f"Asklytics on [bold]http://{settings.host}:{settings.port}[/] (API docs at /docs)")
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level=settings.log_level)
