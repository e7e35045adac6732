"""A small key -> value store with expiry: in process, or in Redis so every replica shares it."""
from __future__ import annotations

import threading
import time
from collections import OrderedDict

from app.engine.redis_client import REDIS_COOLDOWN_S, REDIS_TIMEOUT_S, open_redis

MAX_LOCAL_KEYS = 50_000


class LocalTtlStore:
    def __init__(self, ttl_s: float, clock=time.monotonic):
        self.ttl_s = ttl_s
        self._clock = clock
        self._items: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            item = self._items.get(key)
            if item is None or item[1] < self._clock():
                return None
            return item[0]

    def set(self, key: str, value: str) -> None:
        with self._lock:
            self._store(key, value)

    def add(self, key: str, value: str = "1") -> bool:
        """Set only when absent (or expired); True when this call set it."""
        with self._lock:
            item = self._items.get(key)
            if item is not None and item[1] >= self._clock():
                return False
            self._store(key, value)
            return True

    def _store(self, key: str, value: str) -> None:
        self._items.pop(key, None)
        self._items[key] = (value, self._clock() + self.ttl_s)
        while len(self._items) > MAX_LOCAL_KEYS:
            self._items.popitem(last=False)


class RedisTtlStore:
    """Raises ``RedisUnavailable`` (naming ``component``) when Redis cannot answer; callers decide."""

    def __init__(self, url: str, prefix: str, ttl_s: float, *, component: str = "slack",
                 timeout_s: float = REDIS_TIMEOUT_S, cooldown_s: float = REDIS_COOLDOWN_S):
        self._redis = open_redis(url, component=component, timeout_s=timeout_s, cooldown_s=cooldown_s,
                                 decode_responses=True)
        self._prefix = prefix
        self.ttl_s = int(ttl_s)

    def get(self, key: str) -> str | None:
        return self._redis.get(f"{self._prefix}:{key}")

    def set(self, key: str, value: str) -> None:
        self._redis.set(f"{self._prefix}:{key}", value, ex=self.ttl_s)

    def add(self, key: str, value: str = "1") -> bool:
        return bool(self._redis.set(f"{self._prefix}:{key}", value, ex=self.ttl_s, nx=True))


def open_ttl_store(redis_url: str | None, prefix: str, ttl_s: float, **redis_options):
    """``redis_options``: ``component``, ``timeout_s`` and ``cooldown_s`` of the Redis client."""
    if redis_url:
        return RedisTtlStore(redis_url, prefix, ttl_s, **redis_options)
    return LocalTtlStore(ttl_s)
