"""Application factory: routers, error handlers, lifespan."""
from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse

from app.api import routes_ask, routes_health, routes_schema
from app.services.state import AppState
from app.settings import Settings, get_settings
from warehouse.errors import WarehouseError, WarehouseUnavailable

API_DESCRIPTION = (
    "Ask questions about mobile-app marketing data in plain language. "
    "Every answer carries the SQL that produced it."
)


def create_app(settings: Settings | None = None) -> FastAPI:
    state = AppState(settings or get_settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        state.close()

    app = FastAPI(title="Asklytics", version="0.1.0", description=API_DESCRIPTION, lifespan=lifespan)
    app.state.asklytics = state
    app.include_router(routes_health.router)
    app.include_router(routes_schema.router)
    app.include_router(routes_ask.router)
    app.add_exception_handler(WarehouseError, _warehouse_error)

    @app.get("/", include_in_schema=False)
    def index() -> RedirectResponse:
        return RedirectResponse("/docs")

    return app


async def _warehouse_error(request: Request, exc: WarehouseError) -> JSONResponse:
    status = 503 if isinstance(exc, WarehouseUnavailable) else 400
    return JSONResponse({"error": {"code": exc.code, "message": exc.message}}, status_code=status)
