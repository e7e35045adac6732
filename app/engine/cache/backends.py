"""Choose the cache's storage: Redis when configured, else in process.

Apart from ``store.py`` (the entry type and the in-process store) so the Redis store can
import those without ``store.py`` importing it back.
"""
from __future__ import annotations

from app.engine.cache.redis_store import RedisCacheStore
from app.engine.cache.store import CacheStore, MemoryCacheStore


def open_cache_store(redis_url: str | None, *, max_entries: int = 10_000, ttl_s: int = 7 * 24 * 3600,
                     prefix: str = "asklytics:cache", **redis_options: float) -> CacheStore:
    """Redis when a URL is configured (shared by every process and replica), else in-process.
    ``redis_options``: the client's ``timeout_s`` and ``cooldown_s`` (app.engine.redis_client)."""
    if redis_url:
        return RedisCacheStore(redis_url, ttl_s=ttl_s, prefix=prefix, **redis_options)
    return MemoryCacheStore(max_entries=max_entries)
