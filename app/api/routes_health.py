"""Liveness and readiness probes."""
from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.api.deps import StateDep
from warehouse.errors import WarehouseError

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness: the process is up")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Readiness: the warehouse answers a query")
def readyz(state: StateDep) -> JSONResponse:
    try:
        state.warehouse().execute("SELECT 1")
    except WarehouseError as exc:
        body = {"status": "unavailable", "error": {"code": exc.code, "message": exc.message}}
        return JSONResponse(body, status_code=503)
    return JSONResponse({"status": "ready", "warehouse": state.settings.warehouse})
