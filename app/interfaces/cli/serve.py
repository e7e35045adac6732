"""``asklytics serve``: the API and the web chat UI in one process.

Bound to loopback the embedded default runs without keys; bound to any other
address it refuses to start until auth is configured (a key in the application database or
``ASKLYTICS_API_KEYS``), so a server is never exposed open by accident.

``X-Forwarded-For`` is believed only from ``ASKLYTICS_TRUSTED_PROXIES``: uvicorn's
own default trusts it from any loopback peer, which let one client pose as many
and slip past the per-address limits.
"""
from __future__ import annotations

import ipaddress

import typer

from app.interfaces.cli.common import console, fail, load_settings
from app.interfaces.shared.auth.mode import is_loopback


def trusted_proxies(settings) -> list[str]:
    """The addresses or networks of ASKLYTICS_TRUSTED_PROXIES; ValueError names a bad one."""
    proxies = [item.strip() for item in settings.trusted_proxies.split(",") if item.strip()]
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            message = f"ASKLYTICS_TRUSTED_PROXIES: {proxy!r} is not an IP address or network"
            raise ValueError(message) from None
    return proxies


def uvicorn_config(settings, app=None):
    """How ``serve`` runs uvicorn: proxy headers only from the configured proxies."""
    import uvicorn

    from app.interfaces.assembly import create_app

    proxies = trusted_proxies(settings)
    return uvicorn.Config(app or create_app(settings, warm_start=True), host=settings.host,
                          port=settings.port, log_level=settings.log_level,
                          proxy_headers=bool(proxies), forwarded_allow_ips=proxies)


def check_model_and_warehouse(settings) -> None:
    """The configured model loads and fits the configured warehouse; an AsklyticsError says why not."""
    from app.engine.semantic_source import load_configured_model
    from app.engine.warehouse import open_warehouse
    from semantic_layer import require_fit

    model = load_configured_model(settings)
    warehouse = open_warehouse(settings)
    try:
        require_fit(model, warehouse.schema(), warehouse)
    finally:
        warehouse.close()


def auth_problem(settings) -> str | None:
    """Why this bind is refused, or None when it may start."""
    from app.interfaces.shared.auth import KeyStoreError, open_key_store
    from appdb import DatabaseError

    try:
        has_keys = open_key_store(settings).has_keys()
    except DatabaseError as exc:
        return exc.message
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

    from common.errors import AsklyticsError
    from warehouse.errors import WarehouseError

    settings = load_settings(host=host, port=port)
    problem = auth_problem(settings)
    if problem:
        fail(problem)
    try:
        trusted_proxies(settings)
    except ValueError as exc:
        fail(str(exc))
    try:
        check_model_and_warehouse(settings)
    except (WarehouseError, AsklyticsError) as exc:
        fail(exc.message)
    try:
        config = uvicorn_config(settings)
    except AsklyticsError as exc:  # e.g. Slack configured without the [slack] extra
        fail(exc.message)
    console.print(f"Asklytics on [bold]http://{settings.host}:{settings.port}[/] (API docs at /docs)")
    uvicorn.Server(config).run()
