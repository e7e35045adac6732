"""The front doors put together: one ASGI app with the REST API, the web UI (and the embeddable chat
component), the docs page, the MCP endpoint at ``/mcp`` and (when configured) the Slack endpoint,
plus the Slack Socket Mode runner and the MCP server over stdio.

This is the only module that imports more than one front door (the composition root): the
doors themselves never import each other, and ``asklytics serve`` / ``asklytics slack socket``
start them through here.
"""
from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.routing import NoMatchFound

from app.interfaces.api import (
    routes_ask,
    routes_cache,
    routes_catalog,
    routes_conversations,
    routes_feedback,
    routes_health,
    routes_monitors,
    routes_schema,
    routes_tokens,
    routes_verified,
)
from app.interfaces.api.cors import KeyedCorsMiddleware
from app.interfaces.api.errors import install_error_handlers
from app.interfaces.api.middleware import BodyLimitMiddleware, SecurityHeadersMiddleware
from app.interfaces.api.trusted_hosts import TrustedHostsMiddleware, trusted_host_patterns
from app.interfaces.api.warm_request import run_warm_up_request
from app.interfaces.mcp import stdio as mcp_stdio
from app.interfaces.mcp.http_endpoint import MCP_PATH, McpHttpEndpoint
from app.interfaces.shared.context import ApiContext
from app.interfaces.shared.monitors.runner import MonitorRunner
from app.interfaces.shared.monitors.scheduler import MonitorScheduler
from app.interfaces.shared.state import AppState
from app.interfaces.web import docs as web_docs
from app.interfaces.web import embed as web_embed
from app.interfaces.web import routes as web_routes
from app.settings import Settings, get_settings
from common.errors import AsklyticsError

API_DESCRIPTION = (
    "Ask questions about mobile-app marketing data in plain language. "
    "Every answer carries the SQL that produced it. Authenticate with `Authorization: Bearer <key>` "
    "(keys from `asklytics keys create`); errors are `{\"error\": {\"code\", \"message\"}}`."
)
API_ROUTERS = (routes_health, routes_schema, routes_ask, routes_conversations, routes_feedback,
               routes_catalog, routes_cache, routes_verified, routes_tokens, routes_monitors)
WEB_ROUTERS = (web_routes, web_docs, web_embed)


def create_app(settings: Settings | None = None, *, warm_start: bool = False,
               freeze_heap: bool = False, serve_when_warm: bool = False) -> FastAPI:
    """``warm_start``: load the assistant (model, warehouse, indexes, embedding model) as the app
    starts, ``/readyz`` saying ``starting`` until it is done (``asklytics serve``); else it loads
    on first use. ``freeze_heap``: then move what was loaded out of the garbage collector's
    sight (``AppState.start_warm_up``; a server process, not a test). ``serve_when_warm``: the
    app's startup ends only when its warm start has (a worker of ``serve --workers N``: uvicorn
    accepts connections on the shared socket only after startup, so a worker still warming takes
    none, neither a question nor a ``/readyz`` probe, and the ones that answer are warm)."""
    settings = settings or get_settings()
    state = AppState(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        scheduler = _start_monitor_scheduler(app, state)
        if warm_start:
            loop = asyncio.get_running_loop()  # the server's: the warm-up request runs on it
            state.start_warm_up(freeze_heap=freeze_heap, request=lambda question, stop: run_warm_up_request(
                app, loop, question, stop))
            build_route_handlers(app)
            if serve_when_warm:
                await _warm_start_done(state)
        async with mcp.lifespan():  # the MCP endpoint's session manager (docs/embedding.md)
            yield
        if scheduler is not None:  # a run in progress finishes its posts before the database closes
            await run_in_threadpool(scheduler.stop)
        slack = getattr(app.state, "slack", None)
        if slack is not None:  # let Slack answers in flight finish before the warehouse closes
            slack.drain()
        state.close()

    # docs_url/redoc_url off: FastAPI's pages load a CDN; web.docs serves Swagger UI locally.
    app = FastAPI(title="Asklytics", version="0.1.0", description=API_DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None)
    app.state.asklytics = state
    app.state.api = ApiContext.from_settings(settings, state.database)
    for module in API_ROUTERS + WEB_ROUTERS:
        app.include_router(module.router)
    mcp = McpHttpEndpoint(state, app.state.api)
    app.router.add_route(MCP_PATH, mcp, include_in_schema=False)
    if settings.slack_signing_secret is not None:  # the Slack bot at /slack/events (docs/slack.md)
        _slack_module().mount_slack(app, state, app.state.api)
    install_error_handlers(app)
    _add_middleware(app, settings)
    return app


async def _warm_start_done(state: AppState) -> None:
    """Wait, with the event loop free (the warm-up request runs on it), until the warm start is over."""
    while not state.warm.done.is_set():
        await asyncio.sleep(0.05)


def build_route_handlers(app: FastAPI) -> None:
    """Have the router build every route's handler now (a server starting), not on its first request.

    FastAPI (0.16x) builds an included router's routes -- their dependency trees, the request
    body's and parameters' validators -- when a request first walks them: 20-50 ms on the first
    request of a process on the busy 2 cores, which made a first answer 2.6-3.5x a warm one while
    the time inside ``Assistant.ask`` was the same (docs/benchmarks.md, "Warm start"). Resolving
    a name no route has walks them all; on a FastAPI that builds routes when they are added it
    costs nothing."""
    try:
        app.url_path_for("asklytics-warm-start-builds-every-route")
    except NoMatchFound:
        pass


def _start_monitor_scheduler(app: FastAPI, state: AppState) -> MonitorScheduler | None:
    """Due monitors run in the background when ASKLYTICS_MONITOR_SCHEDULER is on (docs/monitors.md)."""
    if not state.settings.monitor_scheduler:
        return None
    scheduler = MonitorScheduler(MonitorRunner.from_state(state), state.settings.monitor_poll_s)
    scheduler.start()
    app.state.monitor_scheduler = scheduler
    return scheduler
def served_app() -> FastAPI:
    """The app ``asklytics serve`` runs, settings from the environment, warm started: an import
    string (``app.interfaces.assembly:served_app``, a factory) so that each uvicorn worker
    process builds its own; with more than one, each serves only once it is warm."""
    settings = get_settings()
    return create_app(settings, warm_start=True, freeze_heap=True, serve_when_warm=settings.workers > 1)


def run_mcp_stdio(settings: Settings, api_key: str | None) -> None:
    """The MCP server over stdin/stdout (``asklytics mcp``), as the key's caller; a RequestError
    (an AsklyticsError) says why a key is refused, before anything is served."""
    state = AppState(settings)
    try:
        api = ApiContext.from_settings(settings, state.database)
        mcp_stdio.serve_stdio(state, api, mcp_stdio.stdio_caller(api, api_key))
    finally:
        state.close()


def run_slack_socket_mode(settings: Settings) -> None:
    """The Slack bot over Socket Mode (``asklytics slack socket``); ValueError names a missing setting."""
    _slack_module().run_socket_mode(settings)


def _slack_module():
    """The Slack door, imported when configured: slack_bolt is the optional [slack] extra."""
    try:
        from app.interfaces.slack import app as slack_app
    except ModuleNotFoundError as exc:
        raise AsklyticsError(f"the Slack bot needs the [slack] extra ({exc.name} is not installed): "
                             "pip install 'asklytics[slack]', or unset ASKLYTICS_SLACK_SIGNING_SECRET",
                             code="slack_not_installed") from None
    return slack_app


def _add_middleware(app: FastAPI, settings: Settings) -> None:
    # Added innermost first: the Host check runs first, then CORS, then the body cap.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    api: ApiContext = app.state.api  # CORS per key: the server-wide origins and those keys allow
    app.add_middleware(KeyedCorsMiddleware, server_origins=api.cors_origins,
                       key_origins=api.keys.origins_in_use)
    app.add_middleware(TrustedHostsMiddleware, patterns=trusted_host_patterns(settings))
    app.add_middleware(SecurityHeadersMiddleware)
