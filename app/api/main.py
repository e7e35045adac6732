"""Application factory: routers, middleware, error handlers, lifespan."""
from __future__ import annotations

import importlib
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app.api import (
    routes_ask,
    routes_catalog,
    routes_conversations,
    routes_docs,
    routes_feedback,
    routes_health,
    routes_schema,
    routes_web,
)
from app.api.context import ApiContext
from app.api.errors import install_error_handlers
from app.api.middleware import BodyLimitMiddleware, SecurityHeadersMiddleware
from app.api.trusted_hosts import TrustedHostsMiddleware, trusted_host_patterns
from app.services.state import AppState
from app.settings import Settings, get_settings

API_DESCRIPTION = (
    "Ask questions about mobile-app marketing data in plain language. "
    "Every answer carries the SQL that produced it. Authenticate with `Authorization: Bearer <key>` "
    "(keys from `asklytics keys create`); errors are `{\"error\": {\"code\", \"message\"}}`."
)
ROUTERS = (routes_health, routes_schema, routes_ask, routes_conversations, routes_feedback, routes_catalog)
# Routers other engineers own, included when their module exists.
OPTIONAL_ROUTERS = ("app.api.routes_cache",)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    state = AppState(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        slack = getattr(app.state, "slack", None)
        if slack is not None:  # let Slack answers in flight finish before the warehouse closes
            slack.drain()
        state.close()

    # docs_url/redoc_url off: FastAPI's pages load a CDN; routes_docs serves Swagger UI locally.
    app = FastAPI(title="Asklytics", version="0.1.0", description=API_DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None)
    app.state.asklytics = state
    app.state.api = ApiContext.from_settings(settings)
    for module in ROUTERS + _optional_routers():
        app.include_router(module.router)
    app.include_router(routes_web.router)
    app.include_router(routes_docs.router)
    if settings.slack_signing_secret is not None:  # the Slack bot at /slack/events (docs/slack.md)
        from app.slack.app import mount_slack

        mount_slack(app, state, app.state.api)
    install_error_handlers(app)
    _add_middleware(app, settings)
    return app


def _optional_routers() -> tuple:
    found = []
    for name in OPTIONAL_ROUTERS:
        try:
            found.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return tuple(found)


def _add_middleware(app: FastAPI, settings: Settings) -> None:
    # Added innermost first: the Host check runs first, then CORS, then the body cap.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    origins = settings.resolved_cors_origins()
    if origins:
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST", "DELETE"],
                           allow_headers=["Authorization", "Content-Type"], max_age=600)
    app.add_middleware(TrustedHostsMiddleware, patterns=trusted_host_patterns(settings))
    app.add_middleware(SecurityHeadersMiddleware)
