"""Cache fixtures: both backends (Redis: the real server), the offline planner, the workload."""
from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest

from app.engine.cache.semantic import SemanticCache
from app.engine.cache.store import MemoryCacheStore
from app.engine.cache.workload import load_workload

WORKLOAD = Path(__file__).resolve().parents[3] / "benchmarks" / "cache_workload.yaml"
AS_OF = dt.date(2026, 7, 1)


@pytest.fixture()
def make_redis_store(request):
    """``make_redis_store(prefix=None)``: a store on the real Redis; same prefix = same shared cache."""
    from app.engine.cache.redis_store import RedisCacheStore

    made = []

    def make(prefix: str | None = None, **kwargs) -> RedisCacheStore:
        store = RedisCacheStore(request.getfixturevalue("redis_url"),
                                prefix=prefix or f"test:cache:{uuid.uuid4().hex}", **kwargs)
        made.append(store)
        return store

    yield make
    for store in made:
        store.clear()


@pytest.fixture(params=["memory", "redis"])
def store(request, make_redis_store):
    return MemoryCacheStore() if request.param == "memory" else make_redis_store()


@pytest.fixture(scope="session")
def offline_planner(duckdb_wh):
    from app.engine.planning.offline import OfflinePlanner
    from semantic_layer import DEMO_MODEL_PATH, load_semantic_model

    return OfflinePlanner(load_semantic_model(DEMO_MODEL_PATH), duckdb_wh.schema(), embedder=False)


@pytest.fixture(scope="session")
def workload():
    return load_workload(WORKLOAD)


@pytest.fixture()
def cache(store):
    return SemanticCache(store)
