"""Liveness and readiness probes."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app.interfaces.api.deps import StateDep
from app.interfaces.api.readiness import check_readiness

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness: the process is up")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz",
            summary="Readiness: each dependency's status; 503 when a required one (the warehouse) is down")
def readyz(request: Request, state: StateDep) -> JSONResponse:
    status, body = check_readiness(state, slack_mounted=getattr(request.app.state, "slack", None) is not None)
    return JSONResponse(body, status_code=status)
