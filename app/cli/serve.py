"""``asklytics serve``: the API (and later the web UI and Slack endpoint)."""
from __future__ import annotations

import typer

from app.cli.common import console, fail, load_settings


def serve(
    host: str = typer.Option(None, help="Address to bind (default from ASKLYTICS_HOST, 127.0.0.1)."),
    port: int = typer.Option(None, help="Port (default from ASKLYTICS_PORT, 8000)."),
) -> None:
    """Serve the API and its docs page (http://HOST:PORT/docs)."""
    import uvicorn

    from app.api import create_app
    from app.services.warehouse import open_warehouse
    from warehouse.errors import WarehouseError

    settings = load_settings(host=host, port=port)
    try:
        open_warehouse(settings).close()
    except WarehouseError as exc:
        fail(exc.message)
    console.print(f"Asklytics on [bold]http://{settings.host}:{settings.port}[/] (API docs at /docs)")
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level=settings.log_level)
