"""Cache fixtures: both backends (Redis: the real server), the offline planner, the workload."""
from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

import pytest

from app.cache.semantic import SemanticCache
from app.cache.store import MemoryCacheStore
from app.cache.workload import load_workload

REDIS_URL = os.environ.get("ASKLYTICS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
WORKLOAD = Path(__file__).resolve().parents[2] / "benchmarks" / "cache_workload.yaml"
AS_OF = dt.date(2026, 7, 1)


def require_redis() -> str:
    """The test Redis URL; a skip locally without Redis, a failure in CI (ASKLYTICS_REQUIRE_REDIS=1)."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        if os.environ.get("ASKLYTICS_REQUIRE_REDIS") == "1":
            raise
        pytest.skip(f"no Redis at {REDIS_URL} (CI sets ASKLYTICS_REQUIRE_REDIS=1 so this fails there)")
    return REDIS_URL


@pytest.fixture()
def redis_url() -> str:
    return require_redis()


@pytest.fixture()
def make_redis_store():
    """``make_redis_store(prefix=None)``: a store on the real Redis; same prefix = same shared cache."""
    from app.cache.redis_store import RedisCacheStore

    made = []

    def make(prefix: str | None = None, **kwargs) -> RedisCacheStore:
        store = RedisCacheStore(require_redis(), prefix=prefix or f"test:cache:{uuid.uuid4().hex}", **kwargs)
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
    from app.planning.offline import OfflinePlanner
    from semantic_layer import DEMO_MODEL_PATH, load_semantic_model

    return OfflinePlanner(load_semantic_model(DEMO_MODEL_PATH), duckdb_wh.schema(), embedder=False)


@pytest.fixture(scope="session")
def workload():
    return load_workload(WORKLOAD)


@pytest.fixture()
def cache(store):
    return SemanticCache(store)
