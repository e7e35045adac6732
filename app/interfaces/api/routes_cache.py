"""``GET /api/v1/cache/stats``: the semantic cache's counters (docs/cache.md)."""
from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from app.engine.cache import CacheStats
from app.interfaces.api.deps import StateDep
from app.interfaces.api.errors import ERROR_RESPONSES
from app.interfaces.api.security import CallerDep

router = APIRouter(prefix="/api/v1", tags=["cache"], responses=ERROR_RESPONSES)


def _stats(assistant) -> CacheStats:
    cache = assistant.cache
    return cache.stats() if cache is not None else CacheStats(backend="none", enabled=False)


@router.get("/cache/stats", response_model=CacheStats,
            summary="Cache hits by tier, misses, LLM calls and tokens avoided, estimated cost saved")
async def cache_stats(state: StateDep, caller: CallerDep) -> CacheStats:
    assistant = await run_in_threadpool(state.assistant)
    return await run_in_threadpool(_stats, assistant)
