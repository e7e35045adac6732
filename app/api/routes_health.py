"""Liveness and readiness probes."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from app.api.deps import StateDep
from app.services.readiness import check_readiness

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness: the process is up")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Readiness: each dependency's status; 503 when a required one (the warehouse) is down")
async def readyz(request: Request, state: StateDep) -> JSONResponse:
    slack_mounted = getattr(request.app.state, "slack", None) is not None
    status, body = await run_in_threadpool(check_readiness, state, slack_mounted=slack_mounted)
    return JSONResponse(body, status_code=status)
