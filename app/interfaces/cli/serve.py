"""``asklytics serve``: the API and the web chat UI, in one process or ``--workers N``.

Bound to loopback the embedded default runs without keys; bound to any other
address it refuses to start until auth is configured (a key in the application database or
``ASKLYTICS_API_KEYS``), so a server is never exposed open by accident.

``X-Forwarded-For`` is believed only from ``ASKLYTICS_TRUSTED_PROXIES``: uvicorn's
own default trusts it from any loopback peer, which let one client pose as many
and slip past the per-address limits.

With ``--workers N`` (N > 1) uvicorn starts N processes on one socket, each building its own app
from the import string ``app.interfaces.assembly:served_app``. Conversations, keys and the answer
log are in the application database, shared already; rate limits and the semantic cache are
shared only through Redis, so more than one worker requires ``ASKLYTICS_REDIS_URL`` (docs/api.md,
"More than one worker").
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


def uvicorn_config(settings, app=None, *, freeze_heap: bool = False):
    """How ``serve`` runs uvicorn: proxy headers only from the configured proxies; ``freeze_heap``
    for the serving process itself (``create_app``)."""
    import uvicorn

    from app.interfaces.assembly import create_app

    proxies = trusted_proxies(settings)
    app = app or create_app(settings, warm_start=True, freeze_heap=freeze_heap)
    return uvicorn.Config(app, host=settings.host,
                          port=settings.port, log_level=settings.log_level,
                          proxy_headers=bool(proxies), forwarded_allow_ips=proxies)


SERVED_APP = "app.interfaces.assembly:served_app"


def workers_problem(settings) -> str | None:
    """Why ``settings.workers`` processes cannot share this server's state, or None."""
    if settings.workers == 1:
        return None
    if not settings.redis_url:
        return (f"--workers {settings.workers} needs Redis so that the workers share rate limits and the "
                "semantic cache: set ASKLYTICS_REDIS_URL (or REDIS_URL), e.g. redis://127.0.0.1:6379/0, "
                "or serve with --workers 1")
    if settings.conversation_store == "memory":
        return ("ASKLYTICS_CONVERSATION_STORE=memory keeps conversations in one process, so a follow-up on "
                f"another of the {settings.workers} workers would not see them: use auto, database or redis")
    return _redis_problem(settings)


def _redis_problem(settings) -> str | None:
    """Redis answers a PING, else why not (without the URL: it may hold a password)."""
    import redis

    from app.engine.redis_client import RedisUnavailable, open_redis, redis_options

    client = open_redis(settings.redis_url, component="redis", **redis_options(settings))
    try:
        client.ping()
    except RedisUnavailable as exc:
        return (f"--workers {settings.workers} shares state through Redis, and ASKLYTICS_REDIS_URL does not "
                f"answer ({exc.reason}): start Redis or correct the URL")
    except redis.RedisError as exc:  # answering but refusing: a wrong password, a bad db number
        return f"Redis at ASKLYTICS_REDIS_URL refuses: {type(exc).__name__}: {exc}"
    finally:
        client.close()
    return None


# How long uvicorn waits for a worker: to answer its health check (the answer comes from a thread of
# its own, at once) and, restarting workers on SIGHUP, for a new one to be serving before the old one
# is stopped. A worker serves only once warm (``served_app``), which took up to 80 s on busy cores.
WORKER_HEALTHCHECK_S = 300


def run_workers(settings) -> None:
    """N uvicorn worker processes; they read their settings from the environment, so the flags this
    command was given are put there first (a worker must bind, and judge loopback, as the parent did,
    and know it is one of several)."""
    import os

    import uvicorn

    os.environ.update({"ASKLYTICS_HOST": settings.host, "ASKLYTICS_PORT": str(settings.port),
                       "ASKLYTICS_WORKERS": str(settings.workers)})
    proxies = trusted_proxies(settings)
    uvicorn.run(SERVED_APP, factory=True, workers=settings.workers, host=settings.host, port=settings.port,
                log_level=settings.log_level, proxy_headers=bool(proxies), forwarded_allow_ips=proxies,
                timeout_worker_healthcheck=WORKER_HEALTHCHECK_S)


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
    workers: int = typer.Option(None, help="Worker processes (default from ASKLYTICS_WORKERS, 1); "
                                "more than one needs ASKLYTICS_REDIS_URL."),
) -> None:
    """Serve the web UI (http://HOST:PORT/), the API and its docs page (/docs)."""
    import uvicorn

    from common.errors import AsklyticsError
    from warehouse.errors import WarehouseError

    settings = load_settings(host=host, port=port, workers=workers)
    problem = auth_problem(settings) or workers_problem(settings)
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
    try:  # built here with any number of workers, so that a configuration error stops this command
        config = uvicorn_config(settings, freeze_heap=True)
    except AsklyticsError as exc:  # e.g. Slack configured without the [slack] extra
        fail(exc.message)
    console.print(f"Asklytics on [bold]http://{settings.host}:{settings.port}[/] (API docs at /docs)"
                  + (f", {settings.workers} workers" if settings.workers > 1 else ""))
    if settings.workers > 1:
        run_workers(settings)
    else:
        uvicorn.Server(config).run()
